import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { CalendarEditor } from './calendar-editor.service';
import { CalendarService } from './calendar.service';
import { CalendarWatchService } from './calendar-watch.service';
import { CalendarsController } from './calendars.controller';

/** Owns calendar_days_off and calendar_years; a correction announces itself to what it moves. */
@Module({
  imports: [NotificationsModule],
  controllers: [CalendarsController],
  providers: [CalendarService, CalendarWatchService, CalendarEditor],
  exports: [CalendarService, CalendarWatchService],
})
export class CalendarsModule {}
