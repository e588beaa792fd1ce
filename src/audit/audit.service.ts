import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { describeError } from '../common/error-description';
import { queryRows } from '../database/sql';
import { AUDIT_INSERT, auditValues, type AuditRecord } from './audit-record';
import { RequestAudit } from './request-audit';

export { AUDIT_COLUMNS, auditInsertFragment, auditValues, type AuditRecord } from './audit-record';

export interface AuditRow {
  id: string;
  at: Date;
  actorId: string | null;
  actorUsername: string | null;
  actorRoles: string[] | null;
  actorUnitCode: string | null;
  address: string | null;
  action: string;
  method: string;
  path: string;
  entityType: string | null;
  entityId: string | null;
  statusCode: number;
  details: Record<string, unknown> | null;
}

/** How long a request row that could not be stored is retried (a database restart), and how often. */
const RETRY_EVERY_MS = 2_000;
const RETRY_FOR_MS = 120_000;

@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly pending = new Set<Promise<void>>();
  private readonly retrying: { entry: AuditRecord; until: number }[] = [];
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes a row in `db`'s transaction (or on its own). Written while a write request is handled,
   * the row stands for that request, which then gets no second one (request-audit.ts).
   */
  async record(entry: AuditRecord, db: EntityManager | DataSource = this.dataSource): Promise<void> {
    await db.query(AUDIT_INSERT, auditValues(entry));
    const runner = db instanceof EntityManager ? (db.queryRunner ?? null) : null;
    RequestAudit.current()?.recordedBy(runner);
  }

  /**
   * The row of a request that wrote nothing (a refusal, a preview), before its answer is sent.
   * A database that cannot take it now (down, restarting) does not hold the answer back: the row is
   * kept and retried every 2 s for 2 minutes, and only then reported lost in the log.
   */
  async recordRequest(entry: AuditRecord, databaseKnownDown = false): Promise<void> {
    if (databaseKnownDown) return this.retryLater(entry);
    try {
      await this.dataSource.query(AUDIT_INSERT, auditValues(entry));
    } catch (error) {
      this.logger.warn(
        `audit entry kept for a retry: ${entry.action} ${entry.path}: ${describeError(error)}`,
      );
      this.retryLater(entry);
    }
  }

  /** For a request answered before its row could be written: a failure is reported, never the client's. */
  recordQuietly(entry: AuditRecord): void {
    const write = this.recordRequest(entry).finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  private retryLater(entry: AuditRecord): void {
    this.retrying.push({ entry, until: Date.now() + RETRY_FOR_MS });
    this.retryTimer ??= setTimeout(() => void this.retryKept(), RETRY_EVERY_MS);
  }

  private async retryKept(): Promise<void> {
    this.retryTimer = null;
    const kept = this.retrying.splice(0);
    for (const [i, item] of kept.entries()) {
      try {
        await this.dataSource.query(AUDIT_INSERT, auditValues(item.entry));
      } catch (error) {
        const waiting = kept.slice(i).filter((k) => k.until > Date.now());
        for (const lost of kept.slice(i).filter((k) => k.until <= Date.now()))
          this.logger.error(
            `audit entry lost: ${lost.entry.action} ${lost.entry.path} status ${lost.entry.statusCode}: ${describeError(error)}`,
          );
        this.retrying.unshift(...waiting);
        break;
      }
    }
    if (this.retrying.length && this.dataSource.isInitialized)
      this.retryTimer = setTimeout(() => void this.retryKept(), RETRY_EVERY_MS);
  }

  /** Rows kept for a retry (the tests read it). */
  get kept(): number {
    return this.retrying.length;
  }

  /** A graceful stop writes the rows of the last answered requests, and tries the kept ones once more. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pending]);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.retrying.length) await this.retryKept();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const lost of this.retrying.splice(0))
      this.logger.error(
        `audit entry lost at shutdown: ${lost.entry.action} ${lost.entry.path} status ${lost.entry.statusCode}`,
      );
  }

  async search(filter: {
    actorId?: string;
    action?: string;
    entityId?: string;
    from?: Date;
    to?: Date;
    page: number;
    pageSize: number;
  }) {
    const found = await queryRows<AuditRow & { total: string }>(
      this.dataSource,
      `SELECT id, at, actor_id AS "actorId", actor_username AS "actorUsername", actor_roles AS "actorRoles",
              actor_unit_code AS "actorUnitCode", address, action, method, path, entity_type AS "entityType",
              entity_id AS "entityId", status_code AS "statusCode", details, count(*) OVER () AS total
         FROM audit_log
        WHERE ($1::uuid IS NULL OR actor_id = $1)
          AND ($2::text IS NULL OR action = $2)
          AND ($3::text IS NULL OR entity_id = $3)
          AND ($4::timestamptz IS NULL OR at >= $4)
          AND ($5::timestamptz IS NULL OR at < $5)
        ORDER BY id DESC
        LIMIT $6 OFFSET $7`,
      [
        filter.actorId ?? null,
        filter.action ?? null,
        filter.entityId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.pageSize,
        (filter.page - 1) * filter.pageSize,
      ],
    );
    const total = found.length > 0 ? Number(found[0].total) : 0;
    return {
      items: found.map(({ total: _t, ...r }) => r),
      total,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }
}
