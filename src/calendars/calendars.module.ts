import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { UnitsModule } from '../units/units.module';
import { CalendarEditor } from './calendar-editor.service';
import { CalendarService } from './calendar.service';
import { CalendarWatchService } from './calendar-watch.service';
import { CalendarsController } from './calendars.controller';
import { DeadlineRecomputeService } from './deadline-recompute.service';

/** Owns calendar_days_off and calendar_years; a correction moves the open deadlines. */
@Module({
  imports: [UnitsModule, NotificationsModule],
  controllers: [CalendarsController],
  providers: [CalendarService, CalendarWatchService, DeadlineRecomputeService, CalendarEditor],
  exports: [CalendarService, CalendarWatchService],
})
export class CalendarsModule {}
