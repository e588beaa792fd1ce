import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { describeError } from '../common/error-description';

/** The periodic jobs of an instance, each run on its own with its own error boundary. */
export const JOB_NAMES = ['sla_sweep', 'reminders', 'mail', 'calendar_watch', 'retention'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobState {
  name: JobName;
  lastStartedAt: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** The error of the last failed run, by kind and code (never its message: see describeError). */
  lastError: string | null;
  consecutiveFailures: number;
  lastDurationMs: number | null;
  runs: number;
  failures: number;
}

type RunListener = (name: JobName, seconds: number, outcome: 'success' | 'failure') => void;

/** Items a job has given up on after repeated failures, for the administrators to look at. */
export interface ParkedItems {
  count: number;
  /** The first of them (at most 20): the case and what is parked. */
  items: { caseId: string; registerNumber: string; what: string }[];
}

/**
 * What each job of this instance last did: when it started, last succeeded, last failed and why,
 * and how long it took. A job that throws is recorded and logged, and the next job still runs;
 * readiness and the metrics read this.
 */
@Injectable()
export class JobRuns {
  private readonly logger = new Logger('Jobs');
  private readonly states = new Map<JobName, JobState>();
  private readonly listeners: RunListener[] = [];
  private readonly parkedCounters = new Map<JobName, () => Promise<ParkedItems>>();
  readonly startedAt: Date;

  constructor(private readonly clock: Clock) {
    this.startedAt = clock.now();
    for (const name of JOB_NAMES) {
      this.states.set(name, {
        name,
        lastStartedAt: null,
        lastSuccessAt: null,
        lastFailureAt: null,
        lastError: null,
        consecutiveFailures: 0,
        lastDurationMs: null,
        runs: 0,
        failures: 0,
      });
    }
  }

  onRun(listener: RunListener): void {
    this.listeners.push(listener);
  }

  /** Runs one job inside its own error boundary; returns its result, or null when it failed. */
  async run<T>(
    name: JobName,
    work: () => Promise<T>,
    describe?: (result: T) => string | null,
  ): Promise<T | null> {
    const state = this.states.get(name)!;
    const started = Date.now();
    state.lastStartedAt = this.clock.now();
    state.runs += 1;
    try {
      const result = await work();
      state.lastSuccessAt = this.clock.now();
      state.consecutiveFailures = 0;
      state.lastDurationMs = Date.now() - started;
      const summary = describe?.(result);
      if (summary) this.logger.log(`${name}: ${summary} (${state.lastDurationMs} ms)`);
      for (const listener of this.listeners) listener(name, state.lastDurationMs / 1000, 'success');
      return result;
    } catch (error) {
      state.lastFailureAt = this.clock.now();
      state.lastError = describeError(error).split('\n')[0];
      state.consecutiveFailures += 1;
      state.failures += 1;
      state.lastDurationMs = Date.now() - started;
      this.logger.error(
        `${name} failed (${state.consecutiveFailures} in a row), retried next tick: ${describeError(error)}`,
      );
      for (const listener of this.listeners) listener(name, state.lastDurationMs / 1000, 'failure');
      return null;
    }
  }

  /** A job that parks failing items says how to list them (the shared database's, not this instance's). */
  reportsParked(name: JobName, list: () => Promise<ParkedItems>): void {
    this.parkedCounters.set(name, list);
  }

  /** Each job's parked items, for the jobs that park any. */
  async parked(): Promise<Partial<Record<JobName, ParkedItems>>> {
    const entries = await Promise.all(
      [...this.parkedCounters].map(async ([name, list]) => [name, await list()] as const),
    );
    return Object.fromEntries(entries);
  }

  all(): JobState[] {
    return JOB_NAMES.map((name) => ({ ...this.states.get(name)! }));
  }
}
