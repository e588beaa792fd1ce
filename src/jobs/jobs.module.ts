import { Module } from '@nestjs/common';
import { JobRuns } from './job-runs';

/** The per-job error boundaries and their last outcomes on this instance. */
@Module({
  imports: [],
  controllers: [],
  providers: [JobRuns],
  exports: [JobRuns],
})
export class JobsModule {}
