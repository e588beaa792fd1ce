import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CalendarWatchService } from '../calendars/calendar-watch.service';
import { describeError } from '../common/error-description';
import { AppConfig } from '../config/app-config';
import { MailDispatcherService } from '../mail/mail-dispatcher.service';
import { ReminderService } from '../reminders/reminder.service';
import { SlaSweepService } from './sla-sweep.service';

/**
 * Every SCHEDULER_INTERVAL_MS: the SLA sweep, the reminder sweep, then mail delivery. The interval only triggers the
 * work; the work itself is rows in tables, claimed with SKIP LOCKED, so it is safe to run on
 * every instance, and a tick that is still running is not started twice.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private running: Promise<void> | null = null;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly sweep: SlaSweepService,
    private readonly reminders: ReminderService,
    private readonly dispatcher: MailDispatcherService,
    private readonly calendarWatch: CalendarWatchService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER_ENABLED !== 'true') return;
    this.registry.addInterval('yankomas-sweep', setInterval(() => void this.tick(), this.config.SCHEDULER_INTERVAL_MS));
    // Catch up at once after a restart rather than one interval later.
    setImmediate(() => void this.tick());
  }

  /** One round of all periodic work; also called directly by tests and tools. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        const swept = await this.sweep.sweep();
        if (swept.withdrawn || swept.escalations) this.logger.log(`SLA sweep: ${JSON.stringify(swept)}`);
        const reminders = await this.reminders.sweep();
        if (reminders) this.logger.log(`reminders decided: ${reminders}`);
        await this.dispatcher.dispatch();
        await this.calendarWatch.check();
      } catch (error) {
        this.logger.error(`scheduled work failed, retried next tick: ${describeError(error)}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', 'yankomas-sweep')) this.registry.deleteInterval('yankomas-sweep');
    await this.running;
  }
}
