import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { CalendarsModule } from '../calendars/calendars.module';
import { MailModule } from '../mail/mail.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UnitsModule } from '../units/units.module';
import { ReminderService } from './reminder.service';
import { RemindersController } from './reminders.controller';

/** Owns dispatches, reminders, reminder_schedules and letter_templates. */
@Module({
  imports: [JobsModule, CalendarsModule, MailModule, NotificationsModule, UnitsModule],
  controllers: [RemindersController],
  providers: [ReminderService],
  exports: [ReminderService],
})
export class RemindersModule {}
