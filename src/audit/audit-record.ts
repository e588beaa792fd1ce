/** The shape of an audit row and the statements that write it, for every writer of the log. */
import type { AuthUser } from '../common/auth.decorators';
import type { StatementFragment } from '../database/sql';

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

export const AUDIT_INSERT = `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

/** The audit row of a one-statement commit, written once the commit's `upd` row exists. */
export function auditInsertFragment(record: AuditRecord): StatementFragment {
  return (p) =>
    `INSERT INTO audit_log (${AUDIT_COLUMNS}) SELECT ${auditValues(record).map(p).join(', ')} FROM upd`;
}
