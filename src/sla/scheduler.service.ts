import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CasesService } from '../cases/cases.service';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CalendarWatchService } from '../calendars/calendar-watch.service';
import { JobRuns } from '../jobs/job-runs';
import { Lifecycle } from '../common/lifecycle';
import { AppConfig } from '../config/app-config';
import { MailDispatcherService } from '../mail/mail-dispatcher.service';
import { ReminderService } from '../reminders/reminder.service';
import { SlaSweepService } from './sla-sweep.service';
import { LoginThrottleService } from '../auth/login-throttle.service';
import { PublicStatusService } from '../complainants/public-status.service';
import { OutboxService } from '../mail/outbox.service';

/**
 * Every SCHEDULER_INTERVAL_MS: the SLA sweep, the reminder sweep, the calendar watch and retention on one
 * timer, mail delivery on its own, so a slow mail server never delays a deadline or a reminder.
 * The timers only trigger the work; the work itself is rows in tables, claimed with SKIP LOCKED, so
 * it is safe to run on every instance, and a round that is still running is not started twice.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<void> | null = null;
  private sending: Promise<void> | null = null;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly sweep: SlaSweepService,
    private readonly reminders: ReminderService,
    private readonly dispatcher: MailDispatcherService,
    private readonly calendarWatch: CalendarWatchService,
    private readonly jobs: JobRuns,
    private readonly logins: LoginThrottleService,
    private readonly lookups: PublicStatusService,
    private readonly outbox: OutboxService,
    private readonly lifecycle: Lifecycle,
    private readonly cases: CasesService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER_ENABLED !== 'true') return;
    const every = this.config.SCHEDULER_INTERVAL_MS;
    this.registry.addInterval(
      'yankomas-sweep',
      setInterval(() => void this.sweeps(), every),
    );
    this.registry.addInterval(
      'yankomas-mail',
      setInterval(() => void this.mail(), every),
    );
    // Catch up at once after a restart rather than one interval later.
    setImmediate(() => void this.tick());
  }

  /** One round of all periodic work, the sweeps and then mail; also called by tests and tools. */
  async tick(): Promise<void> {
    await this.sweeps();
    await this.mail();
  }

  /**
   * The deadline work: each job in its own error boundary (JobRuns), so one that fails is
   * recorded and the others still run.
   */
  sweeps(): Promise<void> {
    if (this.running) return this.running;
    if (this.lifecycle.stopping) return Promise.resolve();
    this.running = (async () => {
      try {
        await this.jobs.run(
          'sla_sweep',
          () => this.sweep.sweep(),
          (swept) => (swept.withdrawn || swept.escalations || swept.failed ? JSON.stringify(swept) : null),
        );
        await this.jobs.run(
          'reminders',
          () => this.reminders.sweep(),
          (swept) => (swept.decided || swept.failed ? JSON.stringify(swept) : null),
        );
        await this.jobs.run('calendar_watch', () => this.calendarWatch.check());
        await this.jobs.run(
          'retention',
          () => this.prune(),
          (pruned) => (Object.values(pruned).some(Boolean) ? JSON.stringify(pruned) : null),
        );
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** The tables that only grow, kept to what is still needed; each table's owner deletes. */
  private async prune() {
    return {
      loginFailures: await this.logins.prune(),
      lookupFailures: await this.lookups.prune(),
      outboxAttempts: await this.outbox.pruneAttempts(this.config.OUTBOX_ATTEMPTS_RETENTION_DAYS),
      registrationKeys: await this.cases.pruneRegistrations(),
    };
  }

  /** Mail delivery, on its own timer. */
  mail(): Promise<void> {
    if (this.sending) return this.sending;
    if (this.lifecycle.stopping) return Promise.resolve();
    this.sending = (async () => {
      try {
        await this.jobs.run(
          'mail',
          () => this.dispatcher.dispatch(),
          (sent) => (sent ? `${sent} mails sent` : null),
        );
      } finally {
        this.sending = null;
      }
    })();
    return this.sending;
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const name of ['yankomas-sweep', 'yankomas-mail'])
      if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    await Promise.all([this.running, this.sending]);
  }
}
