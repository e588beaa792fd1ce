import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { AUDIT_COLUMNS, auditValues, type AuditRecord } from '../audit/audit.service';
import { CaseEventEntity } from './case-event.entity';
import { CaseEntity } from './case.entity';

type Db = EntityManager | DataSource;

/**
 * Further writes an event makes in its own statement, as CTE bodies that read the updated case
 * from `upd` (so they happen only if the case update did). `param` adds a bound value and
 * returns its placeholder.
 */
export type EventWrite = (param: (value: unknown) => string) => string;

/**
 * Plain SQL for the per-event path (read, compare-and-set, append), run on every workflow event;
 * TypeORM's query building cost a third of the service's CPU there. The column lists come from
 * the entity metadata, so they cannot drift from the entities and migrations.
 */
@Injectable()
export class CaseStore {
  private readonly caseColumns: ColumnMetadata[];
  private readonly selectList: string;
  private readonly eventColumns: ColumnMetadata[];
  private readonly statementNames = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {
    this.caseColumns = dataSource.getMetadata(CaseEntity).columns;
    this.selectList = this.caseColumns.map((c) => `"${c.databaseName}" AS "${c.propertyName}"`).join(', ');
    this.eventColumns = dataSource
      .getMetadata(CaseEventEntity)
      .columns.filter((c) => !c.isGenerated && c.propertyName !== 'recordedAt');
  }

  async find(db: Db, id: string): Promise<CaseEntity | null> {
    const rows = await this.run(db, `SELECT ${this.selectList} FROM cases WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The cases whose SLA check has come, locked for the caller's transaction; others' locks are skipped. */
  lockDue(em: EntityManager, now: Date, limit: number): Promise<CaseEntity[]> {
    return em.query(
      `SELECT ${this.selectList} FROM cases WHERE next_sla_check_at <= $1 ORDER BY next_sla_check_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  /**
   * Outside a transaction, hot statements go to the driver's pool as named prepared statements,
   * so PostgreSQL parses and plans them once per connection instead of once per event.
   */
  private async run(db: Db, text: string, values: unknown[]): Promise<any[]> {
    if (db instanceof EntityManager && db.queryRunner) return db.query(text, values);
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    let name = this.statementNames.get(text);
    if (!name) {
      name = `yk_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      this.statementNames.set(text, name);
    }
    const result = await pool.query({ name, text, values });
    return result.rows;
  }

  /**
   * Writes one event as a single statement: the case row is compare-and-set on its version, and
   * the history row and the audit row are appended only if that update happened. `upd` exposes
   * the entity's property names (`upd."unitCode"`), not the column names. The statement is atomic on its
   * own, so no BEGIN/COMMIT round trips; the event's seq is the case's new version, which makes
   * the history gap-free and ordered by construction. Null when another writer got there first.
   */
  async commitEvent(
    db: Db,
    expectedVersion: number,
    changes: Partial<CaseEntity> & { id: string; version: number },
    event: Omit<CaseEventEntity, 'id' | 'seq' | 'recordedAt' | 'case' | 'actor'>,
    audit: AuditRecord,
    writes: EventWrite[] = [],
  ): Promise<CaseEntity | null> {
    const values: unknown[] = [changes.id, expectedVersion];
    const sets: string[] = [];
    for (const column of this.caseColumns) {
      if (!(column.propertyName in changes) || column.propertyName === 'id') continue;
      values.push(this.toDb(column, (changes as Record<string, unknown>)[column.propertyName]));
      sets.push(`"${column.databaseName}" = $${values.length}`);
    }
    sets.push('updated_at = now()');
    const eventColumns = this.eventColumns.filter((c) => c.propertyName !== 'seq');
    const eventPlaceholders = eventColumns.map((c) => {
      values.push(this.toDb(c, (event as Record<string, unknown>)[c.propertyName]));
      return `$${values.length}`;
    });
    const auditPlaceholders = auditValues(audit).map((value) => {
      values.push(value);
      return `$${values.length}`;
    });
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const extra = writes.map((write, i) => `, w${i} AS (${write(param)})`).join('');
    const rows = await this.run(
      db,
      `WITH upd AS (
         UPDATE cases SET ${sets.join(', ')} WHERE id = $1 AND version = $2 RETURNING ${this.selectList}
       ), ins AS (
         INSERT INTO case_events (${eventColumns.map((c) => `"${c.databaseName}"`).join(', ')}, seq)
         SELECT ${eventPlaceholders.join(', ')}, upd."version" FROM upd
       ), aud AS (
         INSERT INTO audit_log (${AUDIT_COLUMNS})
         SELECT ${auditPlaceholders.join(', ')} FROM upd
       )${extra}
       SELECT * FROM upd`,
      values,
    );
    return rows[0] ?? null;
  }

  private toDb(column: ColumnMetadata, value: unknown): unknown {
    if (value === undefined) return null;
    // pg would send a JSON string value unquoted; jsonb needs it serialised.
    return column.type === 'jsonb' && value !== null ? JSON.stringify(value) : value;
  }
}
