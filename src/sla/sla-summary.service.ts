import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { NotFoundError } from '../common/errors';
import { isCalendarDate } from '../common/query-fields';
import { UnitDirectory } from '../units/unit-directory';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { queryRows, type SqlRunner } from '../database/sql';
import { ReadReplicas } from '../database/read-replicas';
import { Scope } from '../common/access-policy';
import { officerSteps, stepHolders, WorkflowRegistry } from '../../workflows';

export interface SummaryFilter {
  unitCode?: string;
  from: Date;
  to: Date;
}

/**
 * When a step counts as finished for compliance: when it was recorded, for a late record (one
 * dated more than a working day before it was entered); otherwise when it happened. Back-dating
 * cannot make an overdue step "on time".
 */
const FINISHED_AT = `CASE WHEN payload ? 'dicatatTerlambat' THEN recorded_at ELSE occurred_at END`;

export interface UnitDeadlines {
  unitCode: string;
  open: number;
  paused: number;
  overdue: number;
  dueSoon: number;
  onTime: number;
  /** Open officer steps given to no one: the unit's shared queue. */
  unassigned: number;
}

export interface PersonDeadlines {
  userId: string;
  username: string;
  unitCode: string;
  overdue: number;
  dueSoon: number;
}

export interface StepCompliance {
  step: string;
  finished: number;
  onTime: number;
  /** Cases in this step now, past its deadline: already missed, though not finished. */
  openOverdue: number;
  /** onTime of finished + openOverdue: an overdue step counts as missed before it is finished. */
  onTimePercent: number;
  recordedLate: number;
  medianDays: number;
  p90Days: number;
}

export interface OverdueCase {
  id: string;
  registerNumber: string;
  unitCode: string;
  state: string;
  dueAt: Date;
  daysOverdue: number;
}

/** The summary as the API answers it; the console reads the same type. */
export interface SlaSummary {
  asOf: string;
  period: { from: string; to: string };
  byUnit: UnitDeadlines[];
  byPerson: PersonDeadlines[];
  compliance: StepCompliance[];
  slowest: OverdueCase[];
}

/** What supervisors watch: open deadlines by unit and by person, compliance per SOP step, the slowest cases. */
@Injectable()
export class SlaSummaryService {
  /** The summary's reads: a streaming replica when one is usable (database/read-replicas.ts). */
  private readonly reads: SqlRunner;

  constructor(
    private readonly clock: Clock,
    private readonly registry: WorkflowRegistry,
    private readonly units: UnitDirectory,
    replicas: ReadReplicas,
  ) {
    this.reads = replicas.runner();
  }

  /**
   * The period asked for, in the zone of the unit watched (the user's own when it names none): a
   * date alone is that local day's start (`from`) or end (`to`), and the default is the local 1
   * January of this year until now.
   */
  async period(user: AuthUser, q: { unitCode?: string; from?: string; to?: string }): Promise<SummaryFilter> {
    const unit = Scope.of(user).unitFilter ?? q.unitCode ?? user.unitCode;
    const zone = await this.units.timeZone(unit).catch(() => {
      throw new NotFoundError('Unit');
    });
    const now = this.clock.now();
    const localDay = (date: string, plusDays: number) =>
      DateTime.fromISO(date, { zone }).plus({ days: plusDays }).toJSDate();
    const at = (value: string | undefined, plusDays: number) =>
      value === undefined ? undefined : isCalendarDate(value) ? localDay(value, plusDays) : new Date(value);
    return {
      unitCode: q.unitCode,
      from: at(q.from, 0) ?? DateTime.fromJSDate(now, { zone }).startOf('year').toJSDate(),
      to: at(q.to, 1) ?? now,
    };
  }

  async summary(user: AuthUser, filter: SummaryFilter): Promise<SlaSummary> {
    const now = this.clock.now();
    // Visibility in the query itself: a Kanwil user gets its own unit whatever it asks for.
    const unit = Scope.of(user).unitFilter ?? filter.unitCode ?? null;
    // Four statements at once, each on its own connection: they never read one snapshot together
    // (no transaction holds them), so waiting for each in turn only added their times up.
    const [byUnit, byPerson, compliance, slowest] = await Promise.all([
      queryRows<UnitDeadlines>(
        this.reads,
        `SELECT unit_code AS "unitCode",
              count(*) FILTER (WHERE deadline_due_at IS NOT NULL)::int AS open,
              count(*) FILTER (WHERE paused_at IS NOT NULL)::int AS paused,
              count(*) FILTER (WHERE paused_at IS NULL AND deadline_due_at < $2)::int AS overdue,
              count(*) FILTER (WHERE paused_at IS NULL AND deadline_due_soon_at <= $2 AND deadline_due_at >= $2)::int AS "dueSoon",
              count(*) FILTER (WHERE paused_at IS NULL AND deadline_due_soon_at > $2)::int AS "onTime",
              count(*) FILTER (WHERE assignee_id IS NULL AND deadline_step = ANY($3::text[]))::int AS unassigned
         FROM cases WHERE deadline_due_at IS NOT NULL AND ($1::text IS NULL OR unit_code = $1)
        GROUP BY unit_code ORDER BY unit_code`,
        [unit, now, [...new Set(this.registry.list().flatMap(officerSteps))]],
      ),
      // Per person: the assignee of officer steps, the supervisors of theirs. An unassigned officer
      // step is the unit's shared queue: counted for the unit (unassigned), for no one person.
      queryRows<PersonDeadlines>(
        this.reads,
        `WITH open AS (
         SELECT c.id, c.unit_code, c.deadline_step, c.assignee_id, c.deadline_due_at, c.deadline_due_soon_at
           FROM cases c
          WHERE c.deadline_due_at IS NOT NULL AND c.paused_at IS NULL AND c.deadline_clock = 'KASUS'
            AND c.deadline_due_soon_at <= $2 AND ($1::text IS NULL OR c.unit_code = $1)
       ), holders AS (
         -- Who holds each step is the workflow packs' (stepHolders), over every version.
         SELECT DISTINCT o.*, u.id AS user_id, u.username
           FROM open o
           JOIN jsonb_to_recordset($3::jsonb) AS h(step text, roles text[], "byAssignee" boolean)
             ON h.step = o.deadline_step
           JOIN users u ON u.unit_code = o.unit_code AND u.active
          WHERE (h."byAssignee" AND u.id = o.assignee_id) OR (NOT h."byAssignee" AND u.roles && h.roles)
       )
       SELECT user_id AS "userId", username, unit_code AS "unitCode",
              count(*) FILTER (WHERE deadline_due_at < $2)::int AS overdue,
              count(*) FILTER (WHERE deadline_due_at >= $2)::int AS "dueSoon"
         FROM holders GROUP BY user_id, username, unit_code ORDER BY overdue DESC, "dueSoon" DESC, username`,
        [unit, now, JSON.stringify(this.registry.list().flatMap(stepHolders))],
      ),
      // Finished steps of the period, on time or not, and the steps open now past their deadline:
      // those are missed already, and leaving them out would show 100% beside overdue cases.
      queryRows<StepCompliance>(
        this.reads,
        `WITH finished AS (
         SELECT from_state AS step,
                count(*)::int AS finished,
                count(*) FILTER (WHERE ${FINISHED_AT} <= from_step_due_at)::int AS "onTime",
                count(*) FILTER (WHERE payload ? 'dicatatTerlambat')::int AS "recordedLate",
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM occurred_at - from_step_started_at)) / 86400)::numeric, 2)::float AS "medianDays",
                round((percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM occurred_at - from_step_started_at)) / 86400)::numeric, 2)::float AS "p90Days"
           FROM case_events
          WHERE from_step_due_at IS NOT NULL AND from_state IS DISTINCT FROM to_state
            AND occurred_at >= $2 AND occurred_at < $3 AND ($1::text IS NULL OR unit_code = $1)
          GROUP BY from_state
       ), overdue AS (
         SELECT deadline_step AS step, count(*)::int AS "openOverdue"
           FROM cases
          WHERE deadline_due_at < $4 AND paused_at IS NULL AND deadline_clock = 'KASUS'
            AND ($1::text IS NULL OR unit_code = $1)
          GROUP BY deadline_step
       )
       SELECT step,
              coalesce(f.finished, 0) AS finished,
              coalesce(f."onTime", 0) AS "onTime",
              coalesce(o."openOverdue", 0) AS "openOverdue",
              round(100.0 * coalesce(f."onTime", 0) / (coalesce(f.finished, 0) + coalesce(o."openOverdue", 0)), 2)::float AS "onTimePercent",
              coalesce(f."recordedLate", 0) AS "recordedLate",
              coalesce(f."medianDays", 0)::float AS "medianDays",
              coalesce(f."p90Days", 0)::float AS "p90Days"
         FROM finished f FULL JOIN overdue o USING (step)
        ORDER BY step`,
        [unit, filter.from, filter.to, now],
      ),
      queryRows<OverdueCase>(
        this.reads,
        `SELECT id, register_number AS "registerNumber", unit_code AS "unitCode", state, deadline_due_at AS "dueAt",
              round((extract(epoch FROM $2::timestamptz - deadline_due_at) / 86400)::numeric, 2)::float AS "daysOverdue"
         FROM cases
        WHERE deadline_due_at < $2 AND paused_at IS NULL AND ($1::text IS NULL OR unit_code = $1)
        ORDER BY deadline_due_at LIMIT 10`,
        [unit, now],
      ),
    ]);
    return {
      asOf: now.toISOString(),
      period: { from: filter.from.toISOString(), to: filter.to.toISOString() },
      byUnit,
      byPerson,
      compliance,
      slowest,
    };
  }
}
