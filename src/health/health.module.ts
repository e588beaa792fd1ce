import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { MetricsModule } from '../metrics/metrics.module';
import { DatabaseProbe } from '../database/database-probe';
import { HealthController } from './health.controller';

/** Liveness and readiness. */
@Module({
  imports: [JobsModule, MetricsModule],
  controllers: [HealthController],
  providers: [DatabaseProbe],
  exports: [],
})
export class HealthModule {}
