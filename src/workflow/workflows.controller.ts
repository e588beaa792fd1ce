import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { describeSteps, WorkflowRegistry } from '../../workflows';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly registry: WorkflowRegistry) {}

  /** Each workflow version's steps: state path, SOP step, name, limit and whose clock runs. */
  @Get()
  list() {
    return this.registry.list().map((definition) => ({
      id: definition.id,
      version: definition.version,
      title: definition.title,
      steps: describeSteps(definition),
    }));
  }
}
