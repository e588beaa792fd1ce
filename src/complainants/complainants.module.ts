import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReportsModule } from '../reports/reports.module';
import { UnitsModule } from '../units/units.module';
import { ComplainantNoticesController } from './complainant-notices.controller';
import { IkmController } from './ikm.controller';
import { IkmService } from './ikm.service';
import { PublicController } from './public.controller';
import { PublicStatusService } from './public-status.service';
import { SurveyService } from './survey.service';

/** Owns the survey tables, ikm_targets and public_lookup_failures: the complainant's side. */
@Module({
  imports: [AuditModule, ReportsModule, UnitsModule],
  controllers: [PublicController, ComplainantNoticesController, IkmController],
  providers: [PublicStatusService, SurveyService, IkmService],
  exports: [SurveyService, PublicStatusService],
})
export class ComplainantsModule {}
