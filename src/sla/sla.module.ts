import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module';
import { CasesModule } from '../cases/cases.module';
import { JobsModule } from '../jobs/jobs.module';
import { MailModule } from '../mail/mail.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RemindersModule } from '../reminders/reminders.module';
import { UnitsModule } from '../units/units.module';
import { SchedulerService } from './scheduler.service';
import { SlaController } from './sla.controller';
import { SlaSummaryService } from './sla-summary.service';
import { SlaSweepService } from './sla-sweep.service';
import { DerivedStateService } from './derived-state.service';
import { AuthModule } from '../auth/auth.module';
import { ComplainantsModule } from '../complainants/complainants.module';

/**
 * Owns sla_escalations; the sweep, the scheduler of every job, the deadline views, and what a
 * configuration change moves (derived-state.service.ts).
 */
@Module({
  imports: [
    AuthModule,
    ComplainantsModule,
    CalendarsModule,
    CasesModule,
    JobsModule,
    MailModule,
    NotificationsModule,
    RemindersModule,
    UnitsModule,
  ],
  controllers: [SlaController],
  providers: [SchedulerService, SlaSummaryService, SlaSweepService, DerivedStateService],
  exports: [],
})
export class SlaModule {}
