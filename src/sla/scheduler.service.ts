import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CalendarWatchService } from '../calendars/calendar-watch.service';
import { JobRuns } from '../jobs/job-runs';
import { AppConfig } from '../config/app-config';
import { MailDispatcherService } from '../mail/mail-dispatcher.service';
import { ReminderService } from '../reminders/reminder.service';
import { SlaSweepService } from './sla-sweep.service';

/**
 * Every SCHEDULER_INTERVAL_MS: the SLA sweep, the reminder sweep, mail delivery, the calendar watch. The interval only triggers the
 * work; the work itself is rows in tables, claimed with SKIP LOCKED, so it is safe to run on
 * every instance, and a tick that is still running is not started twice.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<void> | null = null;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly sweep: SlaSweepService,
    private readonly reminders: ReminderService,
    private readonly dispatcher: MailDispatcherService,
    private readonly calendarWatch: CalendarWatchService,
    private readonly jobs: JobRuns,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER_ENABLED !== 'true') return;
    this.registry.addInterval(
      'yankomas-sweep',
      setInterval(() => void this.tick(), this.config.SCHEDULER_INTERVAL_MS),
    );
    // Catch up at once after a restart rather than one interval later.
    setImmediate(() => void this.tick());
  }

  /**
   * One round of all periodic work; also called directly by tests and tools. Each job runs in
   * its own error boundary (JobRuns): one that fails is recorded and the others still run.
   */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        await this.jobs.run(
          'sla_sweep',
          () => this.sweep.sweep(),
          (swept) => (swept.withdrawn || swept.escalations ? JSON.stringify(swept) : null),
        );
        await this.jobs.run(
          'reminders',
          () => this.reminders.sweep(),
          (decided) => (decided ? `${decided} reminders decided` : null),
        );
        await this.jobs.run(
          'mail',
          () => this.dispatcher.dispatch(),
          (sent) => (sent ? `${sent} mails sent` : null),
        );
        await this.jobs.run('calendar_watch', () => this.calendarWatch.check());
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
