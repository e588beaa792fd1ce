import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Owns indicator_targets; computes the recap, breakdowns and indicators from the cases. */
@Module({
  imports: [UnitsModule],
  controllers: [ReportsController],
  providers: [ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
