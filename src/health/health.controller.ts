import { Controller, Get, HttpException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DatabaseProbe } from '../database/database-probe';
import { ReadReplicas } from '../database/read-replicas';
import { Public, Roles } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { Lifecycle } from '../common/lifecycle';
import { AppConfig } from '../config/app-config';
import { JobRuns, type JobState } from '../jobs/job-runs';
import { Mailer } from '../mail/mailer';
import { MetricsService } from '../metrics/metrics.service';

/** A mail due this long ago and still not sent means delivery is stuck. */
const MAIL_STUCK_AFTER_SECONDS = 15 * 60;

interface Check {
  name: string;
  ok: boolean;
  /** In Indonesian, for the operator's page; never data of a case. */
  reason?: string;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseProbe,
    private readonly jobs: JobRuns,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
    private readonly metrics: MetricsService,
    private readonly lifecycle: Lifecycle,
    private readonly replicas: ReadReplicas,
  ) {}

  /** Liveness: the process answers and reaches its database. */
  @Public()
  @Get()
  async health() {
    try {
      await this.database.ping();
      // Each replica by its place in DATABASE_REPLICA_URLS (never its address): in use, or why not.
      const replicas = this.replicas.status().map(({ usable, lagMs, reason, checkedAt }, i) => ({
        replica: i + 1,
        usable,
        lagMs: lagMs === null ? null : Math.round(lagMs),
        ...(reason ? { reason } : {}),
        checkedAt,
      }));
      return { status: 'ok', database: 'up', ...(replicas.length ? { replicas } : {}) };
    } catch {
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Basis data tidak dapat dihubungi',
      });
    }
  }

  /**
   * Readiness: the database takes writes, each job of this instance succeeded within its bound,
   * and mail is not stuck. 503 names the failing checks (never any data); ADMIN reads the detail
   * at /api/health/jobs.
   */
  @Public()
  @Get('ready')
  async ready() {
    const checks = await this.checks();
    const failing = checks.filter((c) => !c.ok);
    const body = {
      status: failing.length ? 'not_ready' : 'ready',
      checks: checks.map(({ name, ok, reason }) => ({ name, ok, ...(reason ? { reason } : {}) })),
    };
    if (failing.length)
      throw new HttpException(
        {
          statusCode: 503,
          error: 'Service Unavailable',
          message: `Belum siap: ${failing.map((c) => c.name).join(', ')}`,
          details: body,
        },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    return body;
  }

  /** Each job's last start, success, failure (by kind and code) and duration on this instance. */
  @ApiBearerAuth()
  @Roles('ADMIN')
  @Get('jobs')
  async jobStates() {
    const parked = await this.jobs.parked();
    return {
      instanceStartedAt: this.jobs.startedAt,
      schedulerEnabled: this.config.SCHEDULER_ENABLED === 'true',
      staleAfterSeconds: this.staleAfterMs() / 1000,
      // Parked items are the database's (every instance's), the rest is this instance's.
      jobs: this.jobs
        .all()
        .map((job) => ({ ...job, ...(parked[job.name] ? { parked: parked[job.name] } : {}) })),
    };
  }

  /** A job is stale when it has not succeeded for three intervals and a minute (it runs every interval). */
  private staleAfterMs(): number {
    return 3 * this.config.SCHEDULER_INTERVAL_MS + 60_000;
  }

  private async checks(): Promise<Check[]> {
    const checks: Check[] = [];
    // A stopping instance takes no new traffic: the load balancer moves on while it drains.
    if (this.lifecycle.stopping)
      checks.push({ name: 'shutdown', ok: false, reason: 'layanan sedang berhenti' });
    try {
      const writable = await this.database.writable();
      checks.push({
        name: 'database',
        ok: writable,
        ...(writable ? {} : { reason: 'basis data hanya dapat dibaca' }),
      });
    } catch {
      checks.push({ name: 'database', ok: false, reason: 'basis data tidak dapat dihubungi' });
      return checks;
    }
    if (this.config.SCHEDULER_ENABLED === 'true') {
      const now = this.clock.now().getTime();
      for (const job of this.jobs.all()) checks.push(this.jobCheck(job, now));
    }
    if (this.mailer.enabled) {
      const { oldestAgeSeconds } = await this.metrics.outboxBacklog();
      const stuck = oldestAgeSeconds > MAIL_STUCK_AFTER_SECONDS;
      checks.push({
        name: 'mail',
        ok: !stuck,
        ...(stuck ? { reason: `surel tertunda sejak ${Math.round(oldestAgeSeconds / 60)} menit` } : {}),
      });
    }
    return checks;
  }

  private jobCheck(job: JobState, now: number): Check {
    const since = (job.lastSuccessAt ?? this.jobs.startedAt).getTime();
    const ok = now - since <= this.staleAfterMs();
    return {
      name: `job:${job.name}`,
      ok,
      ...(ok
        ? {}
        : {
            reason: job.lastError ? `gagal: ${job.lastError}` : 'tidak berhasil berjalan dalam batas waktu',
          }),
    };
  }
}
