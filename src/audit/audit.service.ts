import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth.decorators';
import { describeError } from '../common/error-description';
import { queryRows, type StatementFragment } from '../database/sql';

export interface AuditRecord {
  actor: Pick<AuthUser, 'id' | 'username' | 'roles' | 'unitCode'> | null;
  address: string | null;
  action: string;
  method?: string | null;
  path?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  statusCode?: number | null;
  details?: Record<string, unknown>;
}

/** The values of an audit row in column order, for plain inserts and for the event statement. */
export function auditValues(r: AuditRecord): unknown[] {
  return [
    r.actor?.id ?? null,
    r.actor?.username ?? null,
    r.actor?.roles ?? [],
    r.actor?.unitCode ?? null,
    r.address,
    r.action,
    r.method ?? null,
    r.path ?? null,
    r.entityType ?? null,
    r.entityId ?? null,
    r.statusCode ?? null,
    JSON.stringify(r.details ?? {}),
  ];
}

export const AUDIT_COLUMNS =
  'actor_id, actor_username, actor_roles, actor_unit_code, address, action, method, path, entity_type, entity_id, status_code, details';

/** The audit row of a one-statement commit, written once the commit's `upd` row exists. */
export function auditInsertFragment(record: AuditRecord): StatementFragment {
  return (p) =>
    `INSERT INTO audit_log (${AUDIT_COLUMNS}) SELECT ${auditValues(record).map(p).join(', ')} FROM upd`;
}

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

@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly dataSource: DataSource) {}

  async record(entry: AuditRecord, db: EntityManager | DataSource = this.dataSource): Promise<void> {
    await db.query(
      `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      auditValues(entry),
    );
  }

  /** For the request log: a failure to write it is reported, never turned into the client's error. */
  recordQuietly(entry: AuditRecord): void {
    const write = this.record(entry)
      .catch((error) =>
        this.logger.error(`audit entry lost: ${entry.action} ${entry.path}: ${describeError(error)}`),
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** A graceful stop writes the entries of the last answered requests before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pending]);
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
