import { Global, Module } from '@nestjs/common';
import { SHIPPED_WORKFLOWS, WorkflowRegistry } from '../../workflows';
import { WorkflowsController } from './workflows.controller';

/** The registry of workflow versions: new cases take the current one, running cases keep theirs. */
@Global()
@Module({
  controllers: [WorkflowsController],
  providers: [{ provide: WorkflowRegistry, useFactory: () => new WorkflowRegistry(SHIPPED_WORKFLOWS) }],
  exports: [WorkflowRegistry],
})
export class WorkflowModule {}
