import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { queryRows } from '../database/sql';
import { Scope } from '../common/access-policy';
import { stepHolders, WorkflowRegistry } from '../../workflows';

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
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly registry: WorkflowRegistry,
  ) {}

  async summary(user: AuthUser, filter: SummaryFilter): Promise<SlaSummary> {
    const now = this.clock.now();
    // Visibility in the query itself: a Kanwil user gets its own unit whatever it asks for.
    const unit = Scope.of(user).unitFilter ?? filter.unitCode ?? null;
    const byUnit = await queryRows<UnitDeadlines>(
      this.dataSource,
      `SELECT unit_code AS "unitCode",
              count(*) FILTER (WHERE deadline_due_at IS NOT NULL)::int AS open,
              count(*) FILTER (WHERE paused_at IS NOT NULL)::int AS paused,
              count(*) FILTER (WHERE paused_at IS NULL AND deadline_due_at < $2)::int AS overdue,
              count(*) FILTER (WHERE paused_at IS NULL AND deadline_due_soon_at <= $2 AND deadline_due_at >= $2)::int AS "dueSoon",
              count(*) FILTER (WHERE paused_at IS NULL AND deadline_due_soon_at > $2)::int AS "onTime"
         FROM cases WHERE deadline_due_at IS NOT NULL AND ($1::text IS NULL OR unit_code = $1)
        GROUP BY unit_code ORDER BY unit_code`,
      [unit, now],
    );
    // Per person: the officer of officer steps (the case's handler), the supervisors of theirs.
    const byPerson = await queryRows<PersonDeadlines>(
      this.dataSource,
      `WITH open AS (
         SELECT c.id, c.unit_code, c.deadline_step, c.handler_id, c.deadline_due_at, c.deadline_due_soon_at
           FROM cases c
          WHERE c.deadline_due_at IS NOT NULL AND c.paused_at IS NULL AND c.deadline_clock = 'KASUS'
            AND c.deadline_due_soon_at <= $2 AND ($1::text IS NULL OR c.unit_code = $1)
       ), holders AS (
         -- Who holds each step is the workflow packs' (stepHolders), over every version.
         SELECT DISTINCT o.*, u.id AS user_id, u.username
           FROM open o
           JOIN jsonb_to_recordset($3::jsonb) AS h(step text, roles text[], "byHandler" boolean)
             ON h.step = o.deadline_step
           JOIN users u ON u.unit_code = o.unit_code AND u.active
          WHERE (h."byHandler" AND u.id = o.handler_id) OR (NOT h."byHandler" AND u.roles && h.roles)
       )
       SELECT user_id AS "userId", username, unit_code AS "unitCode",
              count(*) FILTER (WHERE deadline_due_at < $2)::int AS overdue,
              count(*) FILTER (WHERE deadline_due_at >= $2)::int AS "dueSoon"
         FROM holders GROUP BY user_id, username, unit_code ORDER BY overdue DESC, "dueSoon" DESC, username`,
      [unit, now, JSON.stringify(this.registry.list().flatMap(stepHolders))],
    );
    const compliance = await queryRows<StepCompliance>(
      this.dataSource,
      `SELECT from_state AS step,
              count(*)::int AS finished,
              count(*) FILTER (WHERE ${FINISHED_AT} <= from_step_due_at)::int AS "onTime",
              round(100.0 * count(*) FILTER (WHERE ${FINISHED_AT} <= from_step_due_at) / count(*), 2)::float AS "onTimePercent",
              count(*) FILTER (WHERE payload ? 'dicatatTerlambat')::int AS "recordedLate",
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM occurred_at - from_step_started_at)) / 86400)::numeric, 2)::float AS "medianDays",
              round((percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM occurred_at - from_step_started_at)) / 86400)::numeric, 2)::float AS "p90Days"
         FROM case_events
        WHERE from_step_due_at IS NOT NULL AND from_state IS DISTINCT FROM to_state
          AND occurred_at >= $2 AND occurred_at < $3 AND ($1::text IS NULL OR unit_code = $1)
        GROUP BY from_state ORDER BY from_state`,
      [unit, filter.from, filter.to],
    );
    const slowest = await queryRows<OverdueCase>(
      this.dataSource,
      `SELECT id, register_number AS "registerNumber", unit_code AS "unitCode", state, deadline_due_at AS "dueAt",
              round((extract(epoch FROM $2::timestamptz - deadline_due_at) / 86400)::numeric, 2)::float AS "daysOverdue"
         FROM cases
        WHERE deadline_due_at < $2 AND paused_at IS NULL AND ($1::text IS NULL OR unit_code = $1)
        ORDER BY deadline_due_at LIMIT 10`,
      [unit, now],
    );
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
