import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { AppConfig } from '../config/app-config';
import { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { auditInsertFragment, type AuditRecord } from '../audit/audit.service';
import { RequestAudit } from '../audit/request-audit';
import { CaseEventEntity } from './case-event.entity';
import { CaseEntity } from './case.entity';
import { queryRows, writeStatement, type StatementFragment } from '../database/sql';
import { ADVANCE_REGISTER_COUNTERS, parseRegisterNumber } from './register-number';
import { CONFIGURATION_REVISION_SQL } from '../config/configuration-revision';
import type { ParkedItems } from '../jobs/job-runs';

type Db = EntityManager | DataSource;

/** A case as the event path reads it: with the configuration revision of the same instant. */
export type StoredCase = CaseEntity & { configRevision?: string };

/**
 * What a write of a case was computed from: the case as read (its version is compared) and the
 * configuration revision (calendar, units, schedules). The write happens only if both still stand.
 */
export interface ReadBasis {
  row: CaseEntity;
  configRevision: string;
}

/**
 * The history row of a recomputed deadline: the system moved the case's deadline because a
 * setting it was counted from changed. Not an event of any workflow version; it keeps the history
 * gap-free (every version of the case has its row) and says why the date moved.
 */
export const DEADLINE_RECOMPUTED = 'TENGGAT_DIHITUNG_ULANG';

/** The history row of a change of a case's assignee by the unit's head (see commitRecord). */
export const ASSIGNED = 'PENUGASAN';

/** The history row of a decision to stop the reminders to an institution (see commitRecord). */
export const REMINDERS_STOPPED = 'PENGINGAT_DIHENTIKAN';

/** How many recently written cases an instance keeps (a few KB each). */
const MOST_REMEMBERED = 2_000;

/**
 * How many shapes of an event's statement an instance keeps (a few KB each): the shapes are the
 * combinations of columns the workflow's effects set, a few dozen, so this bound is never met.
 */
const MOST_EVENT_SHAPES = 500;

/**
 * What an event's statement hands on of the updated case row (`upd`) to the rows written with it:
 * the history row takes the version, the further writes (a letter, a dispatch, a notice, the
 * audit row) the case's id, unit and version, and the caller the time of the write. Not the forty
 * columns of the row: PostgreSQL keeps a data-modifying CTE's whole result for its readers, and
 * copying the row's JSON and text there was about 4% of PostgreSQL's CPU per event.
 */
const WRITTEN_ROW_PROPERTIES = ['id', 'unitCode', 'version', 'updatedAt'];

/**
 * The changes of a write with `categorySince` where they move the case to another unit or
 * category: since the write's event (the history row's instant, which is never before the case's
 * last event). The one place it is kept; registration starts it (insertCase).
 */
function withCategorySince<T extends Partial<CaseEntity>>(row: CaseEntity, changes: T, at: Date): T {
  const moved =
    (changes.unitCode !== undefined && changes.unitCode !== row.unitCode) ||
    (changes.category !== undefined && changes.category !== row.category);
  return moved ? { ...changes, categorySince: at } : changes;
}

/** What a history row takes from its case as CaseStore writes it, never from the caller. */
type DerivedEventColumns = 'locusProvinceCode' | 'firstFollowUp';

/** Columns as a select list under their entity's property names (`"unit_code" AS "unitCode"`). */
function aliased(columns: ColumnMetadata[]): string {
  return columns.map((c) => `"${c.databaseName}" AS "${c.propertyName}"`).join(', ');
}

/**
 * Plain SQL for the per-event path (read, compare-and-set, append), run on every workflow event;
 * TypeORM's query building cost a third of the service's CPU there. The column lists come from
 * the entity metadata, so they cannot drift from the entities and migrations.
 */
@Injectable()
export class CaseStore {
  private readonly caseColumns: ColumnMetadata[];
  private readonly selectList: string;
  /** The columns of WRITTEN_ROW_PROPERTIES, as an event's statement returns them. */
  private readonly writtenList: string;
  private readonly eventColumns: ColumnMetadata[];
  /** The history row's columns that an event's statement fills (its seq is the case's version). */
  private readonly eventInsertColumns: ColumnMetadata[];
  private readonly statementNames = new Map<string, string>();
  /** The text of an event's statement without further writes, per shape (commitEvent). */
  private readonly eventStatements = new Map<string, string>();

  /** Behind a transaction pooler a prepared statement lives on whichever server ran it: none are named. */
  private readonly namesStatements: boolean;

  /**
   * The cases this instance wrote last, as committed, newest last (see lastWritten). A case moves
   * through its steps in a run of events from the same desk, so most events find their case here.
   */
  private readonly written = new Map<string, StoredCase>();

  constructor(
    private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.namesStatements = config.DATABASE_POOLER !== 'pgbouncer';
    // A column the entity keeps out of reads (select: false) is neither read nor written here.
    this.caseColumns = dataSource.getMetadata(CaseEntity).columns.filter((c) => c.isSelect);
    this.selectList = aliased(this.caseColumns);
    const written = this.caseColumns.filter((c) => WRITTEN_ROW_PROPERTIES.includes(c.propertyName));
    if (written.length !== WRITTEN_ROW_PROPERTIES.length)
      throw new Error(
        `CaseEntity lacks one of ${WRITTEN_ROW_PROPERTIES.join(', ')} (WRITTEN_ROW_PROPERTIES)`,
      );
    this.writtenList = aliased(written);
    this.eventColumns = dataSource
      .getMetadata(CaseEventEntity)
      .columns.filter((c) => !c.isGenerated && c.propertyName !== 'recordedAt');
    this.eventInsertColumns = this.eventColumns.filter((c) => c.propertyName !== 'seq');
  }

  /**
   * One case, read with the calendar's revision in the same round trip: the event path then checks
   * its cached calendar without a query of its own (calendars/calendar.service.ts).
   */
  async find(db: Db, id: string): Promise<StoredCase | null> {
    const rows = await this.run(
      db,
      `SELECT ${this.selectList}, ${CONFIGURATION_REVISION_SQL} AS "configRevision" FROM cases WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The case as this instance last committed it, with the configuration revision it was written
   * under: a guess, never the truth. Another instance may have written the case since, so a write
   * computed from it is checked by its compare-and-set like any other, and a refusal computed
   * from it must be decided again on a fresh read (CaseEventsService.apply).
   */
  lastWritten(id: string): StoredCase | null {
    return this.written.get(id) ?? null;
  }

  forgetWritten(id: string): void {
    this.written.delete(id);
  }

  private rememberWritten(row: StoredCase): void {
    this.written.delete(row.id);
    this.written.set(row.id, row);
    // Insertion order is age: the oldest goes first.
    if (this.written.size > MOST_REMEMBERED) this.written.delete(this.written.keys().next().value!);
  }

  /** A complainant's new tracking code (its hash): the old one no longer opens the status page. */
  async replaceTrackingCode(id: string, trackingCodeHash: string): Promise<void> {
    await writeStatement(this.dataSource, 'UPDATE cases SET tracking_code_hash = $2 WHERE id = $1', [
      id,
      trackingCodeHash,
    ]);
  }

  /**
   * Before a configuration change recomputes: waits for every write of a case in flight and holds
   * new ones (reads go on) until the change commits. A write computed from the old configuration
   * then either committed before (and is recomputed) or fails its revision check and is computed
   * again; FOR UPDATE claims (the sweep) wait too, so the two cannot deadlock.
   */
  async holdWritesForChange(em: EntityManager): Promise<void> {
    await em.query('LOCK TABLE cases IN EXCLUSIVE MODE');
  }

  /**
   * For a transaction that computes a new case from the configuration (registration, import):
   * taken first, so a configuration change in flight commits before it reads the calendar.
   */
  async enterWrite(em: EntityManager): Promise<void> {
    await em.query('LOCK TABLE cases IN ROW EXCLUSIVE MODE');
  }

  /**
   * The open cases a configuration change may move, locked for its transaction: those of a unit,
   * or those whose counted span comes near a changed date (two days of slack for the zones).
   */
  openDeadlines(em: EntityManager, filter: { unitCode: string } | { date: string }): Promise<CaseEntity[]> {
    const where =
      'unitCode' in filter
        ? 'unit_code = $1'
        : 'deadline_basis_at < ($1::date + 2) AND deadline_due_at > ($1::date - 2)';
    return queryRows<CaseEntity>(
      em,
      `SELECT ${this.selectList} FROM cases WHERE deadline_due_at IS NOT NULL AND ${where} ORDER BY id FOR UPDATE`,
      ['unitCode' in filter ? filter.unitCode : filter.date],
    );
  }

  /**
   * The cases whose SLA check has come, locked for the caller's transaction; others' locks are
   * skipped, and so are cases on a workflow version this instance does not know (`known`, as
   * "id@version"): an instance of another release handles those.
   */
  lockDue(em: EntityManager, now: Date, limit: number, known: string[]): Promise<CaseEntity[]> {
    return queryRows<CaseEntity>(
      em,
      `SELECT ${this.selectList} FROM cases
        WHERE next_sla_check_at <= $1 AND (workflow_id || '@' || workflow_version) = ANY($3::text[])
        ORDER BY next_sla_check_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit, known],
    );
  }

  /**
   * Outside a transaction, hot statements go to the driver's pool as named prepared statements,
   * so PostgreSQL parses and plans them once per connection instead of once per event (not behind
   * PgBouncer, whose server connections are shared: there each is parsed where it runs).
   */
  private async run(db: Db, text: string, values: unknown[]): Promise<CaseEntity[]> {
    if (db instanceof EntityManager && db.queryRunner) return queryRows<CaseEntity>(db, text, values);
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    if (!this.namesStatements) return (await pool.query<CaseEntity>({ text, values })).rows;
    let name = this.statementNames.get(text);
    if (!name) {
      name = `yk_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      this.statementNames.set(text, name);
    }
    const result = await pool.query<CaseEntity>({ name, text, values });
    return result.rows;
  }

  /**
   * Writes one event as a single statement: the case row is compare-and-set on its version, and
   * the history row and the audit row are appended only if that update happened. `upd` exposes
   * what WRITTEN_ROW_PROPERTIES names, by the entity's property names (`upd."unitCode"`). The
   * statement is atomic on its own, so no BEGIN/COMMIT round trips; the event's seq is the case's
   * new version, which makes the history gap-free and ordered by construction. Null when another
   * writer got there first, or when the configuration changed since `basis` was read (a deadline
   * computed from the old calendar is never written). The row as written is the row read with the changes: the statement
   * answers only what the database adds (updated_at), not forty columns to parse again.
   */
  async commitEvent(
    db: Db,
    basis: ReadBasis,
    changes: Partial<CaseEntity> & { id: string; version: number },
    event: Omit<CaseEventEntity, 'id' | 'seq' | 'recordedAt' | 'case' | 'actor' | DerivedEventColumns>,
    audit: AuditRecord,
    writes: StatementFragment[] = [],
  ): Promise<CaseEntity | null> {
    changes = withCategorySince(basis.row, changes, event.occurredAt);
    const written = {
      ...event,
      locusProvinceCode: basis.row.locusProvinceCode,
      // The first follow-up is the write that gives the case its first_response_at.
      firstFollowUp: Boolean(changes.firstResponseAt) && !basis.row.firstResponseAt,
    } satisfies Record<DerivedEventColumns, unknown>;
    const values: unknown[] = [changes.id, basis.row.version, basis.configRevision];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    // The columns the event sets, by their place among the case's columns: with the audit row's
    // text, the statement's shape. Its values are pushed in the order of its placeholders.
    const setColumns: ColumnMetadata[] = [];
    let shape = '';
    for (let i = 0; i < this.caseColumns.length; i += 1) {
      const column = this.caseColumns[i];
      if (!(column.propertyName in changes) || column.propertyName === 'id') continue;
      values.push(this.toDb(column, (changes as Record<string, unknown>)[column.propertyName]));
      setColumns.push(column);
      shape += `${i},`;
    }
    const firstEventValue = values.length + 1;
    for (const c of this.eventInsertColumns)
      values.push(this.toDb(c, (written as Record<string, unknown>)[c.propertyName]));
    const auditRow = auditInsertFragment(audit)(param);
    const extra = writes.map((write, i) => `, w${i} AS (${write(param)})`).join('');
    // A statement with further writes is built each time (their text is theirs); one without is
    // built once per shape, and is then the same string, which the driver finds its name by.
    const key = writes.length === 0 ? `${shape}|${auditRow}` : null;
    let text = key === null ? undefined : this.eventStatements.get(key);
    if (text === undefined) {
      const sets = setColumns.map((c, i) => `"${c.databaseName}" = $${4 + i}`);
      sets.push('updated_at = now()');
      text = `WITH upd AS (
         UPDATE cases SET ${sets.join(', ')}
          WHERE id = $1 AND version = $2 AND ${CONFIGURATION_REVISION_SQL} = $3::text
          RETURNING ${this.writtenList}
       ), ins AS (
         INSERT INTO case_events (${this.eventInsertColumns.map((c) => `"${c.databaseName}"`).join(', ')}, seq)
         SELECT ${this.eventInsertColumns.map((_, i) => `$${firstEventValue + i}`).join(', ')}, upd."version" FROM upd
       ), aud AS (${auditRow})${extra}
       SELECT upd."updatedAt" FROM upd`;
      if (key !== null && this.eventStatements.size < MOST_EVENT_SHAPES) this.eventStatements.set(key, text);
    }
    const rows = await this.run(db, text, values);
    const committed = rows[0] ? this.asWritten(basis.row, changes, rows[0].updatedAt) : null;
    // Only what has committed: a statement inside a caller's transaction may still be rolled back.
    if (committed && !(db instanceof EntityManager && db.queryRunner))
      this.rememberWritten({ ...committed, configRevision: basis.configRevision });
    else this.forgetWritten(changes.id);
    // A user's record stands for the request that made it: it gets no second row (request-audit.ts).
    if (committed && audit.actor)
      RequestAudit.current()?.recordedBy(db instanceof EntityManager ? (db.queryRunner ?? null) : null);
    return committed;
  }

  /**
   * A new case, its first history row and the further writes it carries (its receipt mail) as one
   * statement: registration takes its unit's register counter just before, and holds that row
   * lock until COMMIT, so the registrations of a unit queue behind this one statement each, not
   * behind a whole transaction's round trips.
   */
  async insertCase(
    em: EntityManager,
    row: Partial<CaseEntity> & { id: string },
    event: Omit<CaseEventEntity, 'id' | 'recordedAt' | 'case' | 'actor' | 'caseId' | DerivedEventColumns>,
    writes: StatementFragment[] = [],
    /** The request's audit row, written in the same statement (the request then has it). */
    audit: AuditRecord | null = null,
  ): Promise<CaseEntity> {
    const values: unknown[] = [];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    // Registration gives the case its first unit and category.
    if (!('categorySince' in row)) row = { ...row, categorySince: event.occurredAt };
    const written = {
      ...event,
      locusProvinceCode: row.locusProvinceCode ?? null,
      firstFollowUp: false,
    } satisfies Record<DerivedEventColumns, unknown>;
    const columns = this.caseColumns.filter((c) => c.propertyName in row);
    const placeholders = columns.map((c) =>
      param(this.toDb(c, (row as Record<string, unknown>)[c.propertyName])),
    );
    const eventColumns = this.eventColumns.filter((c) => c.propertyName !== 'caseId');
    const eventPlaceholders = eventColumns.map((c) =>
      param(this.toDb(c, (written as Record<string, unknown>)[c.propertyName])),
    );
    const extra = writes.map((write, i) => `, w${i} AS (${write(param)})`).join('');
    const [inserted] = await queryRows<CaseEntity>(
      em,
      `WITH upd AS (
         INSERT INTO cases (${columns.map((c) => `"${c.databaseName}"`).join(', ')})
         VALUES (${placeholders.join(', ')})
         RETURNING ${this.selectList}
       ), ins AS (
         INSERT INTO case_events (${eventColumns.map((c) => `"${c.databaseName}"`).join(', ')}, case_id)
         SELECT ${eventPlaceholders.join(', ')}, upd.id FROM upd
       )${audit ? `, aud AS (${auditInsertFragment(audit)(param)})` : ''}${extra}
       SELECT * FROM upd`,
      values,
    );
    if (audit) RequestAudit.current()?.recordedBy(em.queryRunner ?? null);
    return inserted;
  }

  /**
   * A deadline moved by a configuration change, written like an event: the version is bumped (an
   * event in flight that read the case before retries on the corrected row), a history row says
   * why, and an audit row records it. In the change's transaction, after holdWritesForChange.
   */
  commitRecompute(
    em: EntityManager,
    row: CaseEntity,
    deadline: Partial<CaseEntity>,
    cause: Record<string, unknown>,
    configRevision: string,
    at: Date,
  ): Promise<CaseEntity | null> {
    return this.commitRecord(
      em,
      { row, configRevision },
      {
        type: DEADLINE_RECOMPUTED,
        actor: null,
        at,
        payload: cause,
        changes: deadline,
      },
    );
  }

  /**
   * A record in a case's history that is not an event of its workflow (a recomputed deadline, a
   * decision to stop reminders): a new version of the case, its history row and its audit row in
   * one compare-and-set statement, with the further writes it carries. The state stays.
   */
  commitRecord(
    db: Db,
    basis: ReadBasis,
    record: {
      type: string;
      /** Null for the system itself. */
      actor: { id: string; username: string; roles: string[]; unitCode: string; address: string } | null;
      at: Date;
      payload: Record<string, unknown>;
      changes?: Partial<CaseEntity>;
      /** The route a user's record was asked through, for its audit row, and its method (POST). */
      path?: string;
      method?: string;
    },
    writes: StatementFragment[] = [],
  ): Promise<CaseEntity | null> {
    const { row } = basis;
    const actor = record.actor;
    return this.commitEvent(
      db,
      basis,
      { id: row.id, version: row.version + 1, ...record.changes },
      {
        caseId: row.id,
        type: record.type,
        actorId: actor?.id ?? null,
        actorUsername: actor?.username ?? 'sistem',
        actorRoles: actor?.roles ?? ['SISTEM'],
        actorUnitCode: actor?.unitCode ?? null,
        unitCode: row.unitCode,
        occurredAt: record.at < row.lastEventAt ? row.lastEventAt : record.at,
        fromState: row.state,
        toState: row.state,
        toCategory: row.category,
        fromStepStartedAt: row.stepStartedAt,
        fromStepDueAt: row.deadlineDueAt,
        workflowVersion: row.workflowVersion,
        payload: record.payload,
      },
      {
        actor: actor
          ? { id: actor.id, username: actor.username, roles: actor.roles as never, unitCode: actor.unitCode }
          : null,
        address: actor?.address ?? null,
        action: record.type,
        method: actor ? (record.method ?? 'POST') : null,
        path: record.path ?? null,
        entityType: 'case',
        entityId: row.id,
        statusCode: 200,
        details: { ...record.payload, version: row.version + 1, ...(actor ? {} : { actor: 'SISTEM' }) },
      },
      writes,
    );
  }

  /**
   * Legacy cases, as the import planned them (JSON rows), with their register numbers: a number of
   * the service's own format moves its unit's counter past it in the same transaction, so a
   * registration never draws a number an import already took. Existing numbers are skipped.
   */
  async insertImported(
    em: EntityManager,
    casesJson: string,
    definition: { id: string; version: number },
    userId: string,
  ): Promise<{ id: string; register_number: string }[]> {
    const inserted = await queryRows<{ id: string; register_number: string }>(
      em,
      `INSERT INTO cases (id, register_number, register_year, register_seq, unit_code, workflow_id, workflow_version,
                          state, state_value, context, category, version, received_at, channel, submission,
                          complainant, locus_province_code, locus_regency, rights, theme, reported_party, summary,
                          created_by, last_event_at, category_since, step_started_at, assignee_id, first_response_at,
                          deadline_step, deadline_clock, deadline_basis_at, deadline_limit, deadline_due_at,
                          deadline_due_soon_at, deadline_provisional, paused_at, next_sla_check_at)
       SELECT r.id, r.register_number, r.register_year, r.register_seq, r.unit_code, $2, $3, r.state, r.state_value,
              r.context, r.category, r.version, r.received_at, r.channel, r.submission,
              '{"name": "(impor: tidak tercatat)"}', r.locus_province_code, r.locus_regency, r.rights, r.theme,
              -- category_since: the last event's instant, a bound never too early (CaseEntity.categorySince)
              r.reported_party, r.summary, $4, r.last_event_at, r.last_event_at, r.last_event_at, NULL, r.first_response_at,
              r.deadline_step, r.deadline_clock, r.deadline_basis_at, r.deadline_limit, r.deadline_due_at,
              r.deadline_due_soon_at, coalesce(r.deadline_provisional, false), r.paused_at, r.next_sla_check_at
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, register_number text, register_year int, register_seq int,
              unit_code text, state text, state_value jsonb, context jsonb, category text, version int,
              received_at timestamptz, channel text, submission text, locus_province_code text, locus_regency text,
              rights text[], theme text, reported_party text, summary text, last_event_at timestamptz,
              first_response_at timestamptz, deadline_step text, deadline_clock text, deadline_basis_at timestamptz,
              deadline_limit jsonb, deadline_due_at timestamptz, deadline_due_soon_at timestamptz,
              deadline_provisional boolean, paused_at timestamptz, next_sla_check_at timestamptz)
       ON CONFLICT (register_number) DO NOTHING RETURNING id, register_number`,
      [casesJson, definition.id, definition.version, userId],
    );
    const issuedNumbers = inserted.flatMap((r) => {
      const parts = parseRegisterNumber(r.register_number);
      return parts ? [{ unit_code: parts.unitCode, year: parts.year, seq: parts.seq }] : [];
    });
    if (issuedNumbers.length) await em.query(ADVANCE_REGISTER_COUNTERS, [JSON.stringify(issuedNumbers)]);
    return inserted;
  }

  /** The histories of the imported cases just created (`ids`), recorded by the importing user. */
  async insertImportedEvents(
    em: EntityManager,
    eventsJson: string,
    ids: string[],
    user: { id: string; username: string; roles: string[]; unitCode: string },
    workflowVersion: number,
  ): Promise<void> {
    await em.query(
      `INSERT INTO case_events (case_id, seq, type, actor_id, actor_username, actor_roles, actor_unit_code, unit_code,
                                occurred_at, from_state, to_state, to_category, workflow_version, payload)
       SELECT r.case_id, r.seq, r.type, $3, $4, $5, $6, r.unit_code, r.occurred_at, r.from_state, r.to_state,
              r.to_category, $7, r.payload
         FROM jsonb_to_recordset($1::jsonb) AS r(case_id uuid, seq int, type text, unit_code text,
              occurred_at timestamptz, from_state text, to_state text, to_category text, payload jsonb)
         JOIN unnest($2::uuid[]) AS created(id) ON created.id = r.case_id`,
      [eventsJson, ids, user.id, user.username, user.roles, user.unitCode, workflowVersion],
    );
  }

  /** The sweep's bookkeeping: the escalation level reached and when to look at the case again. */
  async setSlaCheck(em: EntityManager, id: string, level: number, next: Date | null): Promise<void> {
    await em.query(
      'UPDATE cases SET sla_level = $2, next_sla_check_at = $3, sla_check_failures = 0 WHERE id = $1',
      [id, level, next],
    );
  }

  /** The unit's watched cases are looked at by the next sweep (its escalation times may have moved). */
  async checkSlaSoon(em: EntityManager, unitCode: string, now: Date): Promise<void> {
    await em.query(
      'UPDATE cases SET next_sla_check_at = $2 WHERE unit_code = $1 AND next_sla_check_at > $2',
      [unitCode, now],
    );
  }

  /** The cases whose SLA checks were parked after `tries` failures in a row. */
  async parkedSlaChecks(tries: number): Promise<ParkedItems> {
    const rows = await queryRows<{ caseId: string; registerNumber: string; total: number }>(
      this.dataSource,
      `SELECT id AS "caseId", register_number AS "registerNumber", count(*) OVER ()::int AS total
         FROM cases WHERE sla_check_failures >= $1 AND next_sla_check_at IS NULL
        ORDER BY updated_at DESC LIMIT 20`,
      [tries],
    );
    return {
      count: rows[0]?.total ?? 0,
      items: rows.map((r) => ({
        caseId: r.caseId,
        registerNumber: r.registerNumber,
        what: 'pemeriksaan tenggat',
      })),
    };
  }

  /**
   * A check of the case failed: try again at `retryAt`, or park it (no further checks) once it
   * failed `tries` times in a row. Answers the failures counted and whether it is parked now.
   */
  async deferSlaCheck(
    em: EntityManager,
    id: string,
    retryAt: Date,
    tries: number,
  ): Promise<{ failures: number; parked: boolean }> {
    const [row] = await queryRows<{ failures: number }>(
      em,
      `UPDATE cases SET sla_check_failures = sla_check_failures + 1,
              next_sla_check_at = CASE WHEN sla_check_failures + 1 >= $3 THEN NULL ELSE $2::timestamptz END
        WHERE id = $1 RETURNING sla_check_failures AS failures`,
      [id, retryAt, tries],
    );
    return { failures: row?.failures ?? 0, parked: (row?.failures ?? 0) >= tries };
  }

  /**
   * A case as an update wrote it: every column the update set, as the database stores it (no
   * value is undefined, a timestamp is a Date), the others as they were read. No trigger of
   * `cases` writes a column read here (only the search text, which is never read), so the
   * database's only addition is `updated_at`; the event-path test compares this with a fresh read.
   */
  private asWritten(previous: CaseEntity, changes: Partial<CaseEntity>, updatedAt: Date): CaseEntity {
    const row: Record<string, unknown> = {};
    for (const column of this.caseColumns) {
      const name = column.propertyName;
      let value = name in changes ? (changes as Record<string, unknown>)[name] : (previous as never)[name];
      if (value === undefined) value = null;
      else if (column.type === 'timestamptz' && typeof value === 'string') value = new Date(value);
      row[name] = value;
    }
    row.updatedAt = updatedAt;
    return row as unknown as CaseEntity;
  }

  private toDb(column: ColumnMetadata, value: unknown): unknown {
    if (value === undefined) return null;
    // pg would send a JSON string value unquoted; jsonb needs it serialised.
    if (column.type === 'jsonb') return value === null ? null : JSON.stringify(value);
    // An instant as UTC (V8's own toISOString), which timestamptz reads as it is; the driver's
    // rendering in the process's zone costs several times more, and an event sends a dozen.
    if (value instanceof Date && column.type === 'timestamptz' && !Number.isNaN(value.getTime()))
      return value.toISOString();
    return value;
  }
}
