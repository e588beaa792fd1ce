import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { WorkflowRegistry } from '../../workflows';
import { Clock } from '../common/clock';
import { JOB_NAMES, JobRuns } from '../jobs/job-runs';
import { queryRows } from '../database/sql';

/**
 * What an operator watches, in the Prometheus text format: HTTP requests by route and status,
 * workflow events by type and outcome, each job's duration, last success and failures, the
 * outbox's backlog, the database pool, and the open, overdue and due-soon steps per unit. The
 * database figures are read at scrape time from indexed columns (no table scans), and each
 * instance has its own registry.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  private readonly eventTypes: Set<string>;

  readonly httpDuration = new Histogram({
    name: 'yankomas_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly events = new Counter({
    name: 'yankomas_workflow_events_total',
    help: 'Workflow events sent to cases, by type and outcome (applied, or the refusal status)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'yankomas_job_duration_seconds',
    help: 'Runs of each periodic job, by outcome',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobRuns,
    private readonly clock: Clock,
    workflows: WorkflowRegistry,
  ) {
    this.eventTypes = new Set(workflows.list().flatMap((d) => d.eventTypes));
    collectDefaultMetrics({ register: this.registry, prefix: 'yankomas_' });
    jobs.onRun((job, seconds, outcome) => this.jobDuration.observe({ job, outcome }, seconds));
    const registers = [this.registry];
    new Gauge({
      name: 'yankomas_job_last_success_timestamp_seconds',
      help: 'When each job last succeeded on this instance (0: not yet)',
      labelNames: ['job'] as const,
      registers,
      collect() {
        for (const state of jobs.all())
          this.set({ job: state.name }, state.lastSuccessAt ? state.lastSuccessAt.getTime() / 1000 : 0);
      },
    });
    new Gauge({
      name: 'yankomas_job_consecutive_failures',
      help: 'Failed runs of each job since its last success',
      labelNames: ['job'] as const,
      registers,
      collect() {
        for (const state of jobs.all()) this.set({ job: state.name }, state.consecutiveFailures);
      },
    });
    const pool = () => (dataSource.driver as unknown as { master?: Pool }).master;
    new Gauge({
      name: 'yankomas_db_pool_connections',
      help: 'Connections of this instance’s database pool, by state',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const p = pool();
        this.set({ state: 'total' }, p?.totalCount ?? 0);
        this.set({ state: 'idle' }, p?.idleCount ?? 0);
        this.set({ state: 'waiting' }, p?.waitingCount ?? 0);
      },
    });
    // The gauges' collect() runs with the gauge as `this`; the service's readers are captured here.
    const backlogOf = () => this.outboxBacklog();
    const openStepsOf = () => this.openSteps();
    new Gauge({
      name: 'yankomas_outbox_pending_messages',
      help: 'Mails waiting to be sent (pending or being sent)',
      registers,
      async collect() {
        const backlog = await backlogOf();
        this.set(backlog.pending);
      },
    });
    new Gauge({
      name: 'yankomas_outbox_oldest_pending_age_seconds',
      help: 'How long the oldest mail due for sending has waited (0: none)',
      registers,
      async collect() {
        this.set((await backlogOf()).oldestAgeSeconds);
      },
    });
    new Gauge({
      name: 'yankomas_sla_steps',
      help: 'Open SOP steps with a deadline per unit: open, overdue, due soon, paused',
      labelNames: ['unit', 'status'] as const,
      registers,
      async collect() {
        this.reset();
        for (const row of await openStepsOf()) {
          for (const status of ['open', 'overdue', 'due_soon', 'paused'] as const)
            this.set({ unit: row.unit, status }, row[status]);
        }
      },
    });
  }

  onModuleInit(): void {
    // Every job appears from the first scrape on, before it has run.
    for (const job of JOB_NAMES)
      for (const outcome of ['success', 'failure']) this.jobDuration.zero({ job, outcome });
  }

  /** A label that stays within the known event types, whatever a client sends. */
  eventLabel(type: unknown): string {
    return typeof type === 'string' && this.eventTypes.has(type) ? type : 'unknown';
  }

  private backlogAt = 0;
  private backlog: Promise<{ pending: number; oldestAgeSeconds: number }> | null = null;

  /** One query per scrape for both outbox gauges (the due index on status, next_attempt_at). */
  outboxBacklog(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    if (!this.backlog || Date.now() - this.backlogAt > 1000) {
      this.backlogAt = Date.now();
      const now = this.clock.now();
      this.backlog = this.dataSource
        .query(
          `SELECT count(*)::int AS pending, min(next_attempt_at) FILTER (WHERE next_attempt_at <= $1) AS oldest
             FROM outbox_messages WHERE status IN ('PENDING', 'SENDING')`,
          [now],
        )
        .then(([row]: { pending: number; oldest: Date | null }[]) => ({
          pending: row.pending,
          oldestAgeSeconds: row.oldest
            ? Math.max(0, (now.getTime() - new Date(row.oldest).getTime()) / 1000)
            : 0,
        }));
    }
    return this.backlog;
  }

  /** Open steps per unit, over the cases with a running deadline only. */
  private async openSteps(): Promise<
    { unit: string; open: number; overdue: number; due_soon: number; paused: number }[]
  > {
    const now = this.clock.now();
    return queryRows<{ unit: string; open: number; overdue: number; due_soon: number; paused: number }>(
      this.dataSource,
      `SELECT unit_code AS unit, count(*)::int AS open,
              count(*) FILTER (WHERE paused_at IS NULL AND deadline_due_at < $1)::int AS overdue,
              count(*) FILTER (WHERE paused_at IS NULL AND deadline_due_soon_at <= $1 AND deadline_due_at >= $1)::int AS due_soon,
              count(*) FILTER (WHERE paused_at IS NOT NULL)::int AS paused
         FROM cases WHERE deadline_due_at IS NOT NULL GROUP BY unit_code`,
      [now],
    );
  }
}
