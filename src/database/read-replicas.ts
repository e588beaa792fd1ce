import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { describeError } from '../common/error-description';
import { dataSourceOptions } from './data-source-options';
import { firstRow, type SqlRunner } from './sql';

/** How often each replica's lag is read. */
const CHECK_INTERVAL_MS = 1_000;

interface Replica {
  /** host:port/database: what health shows of it (never the credentials). */
  name: string;
  url: string;
  source: DataSource | null;
  lagMs: number | null;
  usable: boolean;
  reason: string | null;
  checkedAt: Date | null;
}

export interface ReplicaStatus {
  name: string;
  usable: boolean;
  lagMs: number | null;
  reason: string | null;
  checkedAt: Date | null;
}

/**
 * Planner settings a statement may run under where the planner misjudges it (measured, and said
 * why where it is used). Names and values are this type's own, never a caller's text.
 */
export interface PlannerSettings {
  enable_sort?: 'off';
}

/** The replicas DATABASE_REPLICA_URLS names, in order; none when it is empty. */
export function replicaUrls(config: Pick<AppConfig, 'DATABASE_REPLICA_URLS'>): string[] {
  return (config.DATABASE_REPLICA_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
}

/**
 * The streaming replicas of DATABASE_REPLICA_URLS, for the reads that may lag a little: the
 * reports, the indicators, the lists and the SLA summary. Each replica's lag is read every second;
 * one behind by more than DATABASE_REPLICA_MAX_LAG_MS, or unreachable, is skipped until it catches
 * up, and a read that fails on a replica is read again on the primary. A user who just wrote reads
 * from the primary for as long as a replica may lag (read-your-writes on this instance), and the
 * case view and every write always use the primary.
 */
@Injectable()
export class ReadReplicas implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Replicas');
  private readonly replicas: Replica[];
  private readonly recentWriters = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private next = 0;

  constructor(
    private readonly primary: DataSource,
    private readonly config: AppConfig,
  ) {
    this.replicas = replicaUrls(config).map((url) => {
      const parsed = new URL(url);
      return {
        name: `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
        url,
        source: null,
        lagMs: null,
        usable: false,
        reason: 'belum diperiksa',
        checkedAt: null,
      };
    });
  }

  get configured(): boolean {
    return this.replicas.length > 0;
  }

  onModuleInit(): void {
    if (!this.configured) return;
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const replica of this.replicas) await replica.source?.destroy().catch(() => undefined);
  }

  /** A write by this user: their reads go to the primary until every replica may have it. */
  noteWrite(userId: string): void {
    this.recentWriters.set(userId, Date.now() + this.config.DATABASE_REPLICA_MAX_LAG_MS + CHECK_INTERVAL_MS);
    if (this.recentWriters.size > 10_000) {
      const now = Date.now();
      for (const [id, until] of this.recentWriters) if (until < now) this.recentWriters.delete(id);
    }
  }

  /**
   * Runs a read on a usable replica (in turn), or on the primary when none is usable, the caller
   * wrote a moment ago, or the replica fails under the read.
   */
  async read<T>(userId: string | null, work: (db: DataSource) => Promise<T>): Promise<T> {
    const replica = this.pick(userId);
    if (!replica) return work(this.primary);
    try {
      return await work(replica.source!);
    } catch (error) {
      if (!connectionLost(error)) throw error;
      this.mark(replica, false, null, `gagal saat membaca: ${describeError(error)}`);
      return work(this.primary);
    }
  }

  /**
   * A runner of single read statements that go where `read` sends them. With `planner`, each
   * statement runs in a transaction of its own under those settings (SET LOCAL: they end with the
   * transaction, which is also all that a transaction pooler keeps together).
   */
  runner(userId: string | null = null, planner?: PlannerSettings): SqlRunner {
    if (!planner) return { query: (text, params) => this.read(userId, (db) => db.query(text, params)) };
    const settings = Object.entries(planner).map(([name, value]) => `SET LOCAL ${name} = ${value}`);
    return {
      query: (text, params) =>
        this.read(userId, (db) =>
          db.transaction(async (em): Promise<unknown> => {
            for (const setting of settings) await em.query(setting);
            return em.query(text, params);
          }),
        ),
    };
  }

  status(): ReplicaStatus[] {
    return this.replicas.map(({ name, usable, lagMs, reason, checkedAt }) => ({
      name,
      usable,
      lagMs,
      reason,
      checkedAt,
    }));
  }

  private pick(userId: string | null): Replica | null {
    if (!this.configured) return null;
    if (userId && (this.recentWriters.get(userId) ?? 0) > Date.now()) return null;
    const usable = this.replicas.filter((r) => r.usable && r.source);
    if (usable.length === 0) return null;
    this.next = (this.next + 1) % usable.length;
    return usable[this.next];
  }

  private async checkAll(): Promise<void> {
    await Promise.all(this.replicas.map((r) => this.check(r)));
  }

  private async check(replica: Replica): Promise<void> {
    try {
      if (!replica.source) {
        replica.source = await new DataSource(
          dataSourceOptions(replica.url, Math.max(2, Math.ceil(this.config.DATABASE_POOL_SIZE / 2)), {
            connectTimeoutMs: this.config.DATABASE_CONNECT_TIMEOUT_MS,
            statementTimeoutMs: this.config.DATABASE_STATEMENT_TIMEOUT_MS,
            lockTimeoutMs: this.config.DATABASE_LOCK_TIMEOUT_MS,
          }),
        ).initialize();
      }
      // Caught up (all WAL received is replayed): no lag, however long ago the last commit was.
      const row = await firstRow<{ standby: boolean; lag: number | null }>(
        replica.source,
        `SELECT pg_is_in_recovery() AS standby,
                CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                     ELSE greatest(0, extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)
                END::float8 AS lag`,
      );
      if (!row?.standby) return this.mark(replica, false, null, 'bukan replika (tidak dalam pemulihan)');
      const lag = row.lag ?? null;
      if (lag !== null && lag > this.config.DATABASE_REPLICA_MAX_LAG_MS)
        return this.mark(replica, false, lag, `tertinggal ${Math.round(lag)} ms`);
      this.mark(replica, true, lag, null);
    } catch (error) {
      const source = replica.source;
      replica.source = null;
      await source?.destroy().catch(() => undefined);
      this.mark(replica, false, null, `tidak terjangkau: ${describeError(error)}`);
    }
  }

  private mark(replica: Replica, usable: boolean, lagMs: number | null, reason: string | null): void {
    if (replica.usable !== usable)
      this.logger[usable ? 'log' : 'warn'](
        `replica ${replica.name} ${usable ? 'in use again' : `skipped: ${reason ?? ''}`}`,
      );
    replica.usable = usable;
    replica.lagMs = lagMs;
    replica.reason = reason;
    replica.checkedAt = new Date();
  }
}

/** Whether an error means the replica went away (not that the read itself was wrong). */
function connectionLost(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  const message = error instanceof Error ? error.message : '';
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      '57P01',
      '57P02',
      '57P03',
      '08006',
      '08001',
    ].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  );
}
