import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { MetricsService } from './metrics.service';

/** The Prometheus figures of this instance. */
@Module({
  imports: [JobsModule],
  controllers: [],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
