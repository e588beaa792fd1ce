import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CalendarsModule } from '../calendars/calendars.module';
import { ComplainantsModule } from '../complainants/complainants.module';
import { MailModule } from '../mail/mail.module';
import { MetricsModule } from '../metrics/metrics.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ReferenceModule } from '../reference/reference.module';
import { RemindersModule } from '../reminders/reminders.module';
import { UnitsModule } from '../units/units.module';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { CaseEventsService } from './case-events.service';
import { CaseStore } from './case-store';
import { CasePeople } from './case-people';
import { CaseNotesService } from './case-notes.service';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { RegenciesController } from './regencies.controller';
import { ComplainantDocumentsController } from './complainant-documents.controller';
import { CaseViewsController } from './case-views.controller';
import { CaseViewsService } from './case-views.service';

/** Owns cases, case_events, case_attachments and register_counters: the SOP's one write path. */
@Module({
  imports: [
    AuditModule,
    CalendarsModule,
    ComplainantsModule,
    MailModule,
    MetricsModule,
    NotificationsModule,
    ReferenceModule,
    RemindersModule,
    UnitsModule,
  ],
  controllers: [
    CasesController,
    AttachmentsController,
    RegenciesController,
    ComplainantDocumentsController,
    CaseViewsController,
  ],
  providers: [
    CaseStore,
    CasePeople,
    CaseNotesService,
    CasesService,
    AttachmentsService,
    CaseEventsService,
    CaseViewsService,
  ],
  exports: [CaseStore, CasesService, CaseEventsService],
})
export class CasesModule {}
