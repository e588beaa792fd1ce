import { CALENDAR_DATE_REASON, isCalendarDate } from '../common/query-fields';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { InvalidInputError, NotFoundError } from '../common/errors';
import type { Period } from './period';
import { firstRow, queryRows, sqlNames, writeRows, type SqlRunner } from '../database/sql';
import { ReadReplicas } from '../database/read-replicas';
import { Scope } from '../common/access-policy';
import {
  CATEGORY_COLUMNS,
  categoryCountsSql,
  coalescedColumnsSql,
  columnSpec,
  RECAP_COLUMNS,
  responseCountsSql,
  type CategoryColumn,
  type RecapColumn,
} from './recap-columns';
import { UnitsService } from '../units/units.service';
import { WorkflowRegistry, type EffectKind } from '../../workflows';

export { RECAP_COLUMNS, type RecapColumn } from './recap-columns';

/** One case behind a figure of the recap. */
export interface DrillDownCase {
  id: string;
  registerNumber: string;
  unitCode: string;
  provinceCode: string | null;
  receivedAt: Date;
  stateNow: string;
  categoryAsOf?: string;
  respondedAt?: Date;
}

export type BreakdownRow = { key: string; name: string | null } & Record<CategoryColumn, number>;

export interface ExaminationRow {
  id: string;
  regency: string;
  registerNumber: string;
  receivedOn: string;
  rights: string[];
  theme: string | null;
  categoryAsOf: string;
  workflowId: string;
  workflowVersion: number;
  stateValue: unknown;
  context: object;
  responses: number;
  lastResponseOn: string | null;
  awaiting: number;
}

export interface IndicatorTargetRow {
  unitCode: string;
  year: number;
  targetPercent: number;
  denominator: 'DITERIMA' | 'TARGET';
  targetCount: number | null;
}

/** Breakdowns the reports use, each as a grouping key and a display name; `local`: its key reads the unit's zone. */
export const DIMENSIONS = {
  rights: {
    key: 'right_code',
    name: `(SELECT name FROM reference_items WHERE kind = 'HAK' AND code = k.key)`,
  },
  theme: { key: 'r.theme', name: `(SELECT name FROM reference_items WHERE kind = 'TEMA' AND code = k.key)` },
  reportedParty: {
    key: 'r.reported_party',
    name: `(SELECT name FROM reference_items WHERE kind = 'PIHAK_TERADU' AND code = k.key)`,
  },
  channel: {
    key: 'r.channel',
    name: `(SELECT name FROM reference_items WHERE kind = 'SALURAN' AND code = k.key)`,
  },
  regency: { key: `coalesce(r.locus_regency, '(tidak diisi)')`, name: 'k.key' },
  unit: { key: 'r.unit_code', name: '(SELECT name FROM units WHERE code = k.key)' },
  month: { key: `'B' || to_char(r.received_at AT TIME ZONE r.time_zone, 'MM')`, name: 'k.key', local: true },
} as const;
export type Dimension = keyof typeof DIMENSIONS;
export type RecapRow = { provinceCode: string; provinceName: string } & Record<RecapColumn, number>;

/**
 * Whether a case (`c`) stands at the cut-off $4 in the unit and category it has now: its last event
 * is not after the cut-off, or it has had both since before it (category_since). Events never go
 * back before last_event_at.
 */
const STANDS_AS_NOW = 'c.last_event_at <= $4 OR c.category_since <= $4';

/** A case's value of a history column as of the cut-off: from its last event up to $4. */
const AS_OF_CUT_OFF = (column: string) =>
  `(SELECT e.${column} FROM case_events e WHERE e.case_id = c.id AND e.occurred_at <= $4
     ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1)`;

/**
 * The shared part of every figure: each case's unit and category as of the cut-off (its last
 * event at or before it), the complaints received in the period, and the responses that arrived
 * in it with each case's first response. Local dates are the case's unit's own zone.
 * $1 unit code or ALL, $2 period start, $3 period end (exclusive), $4 cut-off instant.
 * Which events follow a complaint up, and which of them are institutions' responses, is the
 * workflow packs' (their TINDAK_LANJUT and TUTUP_PENGIRIMAN effects), over every version.
 */
const baseOf = (followUps: string, responses: string, transfers: string) => `
  WITH zones AS MATERIALIZED (
    -- Each unit's period as instants, its local midnights: a row is in the period by a comparison
    -- of instants, not by its local date computed row by row.
    SELECT code, time_zone, ($2::date::timestamp AT TIME ZONE time_zone) AS period_start,
           ($3::date::timestamp AT TIME ZONE time_zone) AS period_end
      FROM units
  ),
  -- Not materialized although received_local reads it too: each query inlines what it uses.
  received AS NOT MATERIALIZED (
    SELECT c.*
      FROM (SELECT c.id, c.register_number, c.received_at, c.locus_province_code AS loc, c.state AS state_now,
                   c.rights, c.theme, c.reported_party, c.channel, c.locus_regency,
                   -- Only a case that moved after the cut-off looks its values up (a subquery in a
                   -- CASE runs only where its branch is taken); no event up to the cut-off: none.
                   CASE WHEN ${STANDS_AS_NOW} THEN c.unit_code ELSE ${AS_OF_CUT_OFF('unit_code')} END AS unit_code,
                   CASE WHEN ${STANDS_AS_NOW} THEN c.category
                        ELSE coalesce(${AS_OF_CUT_OFF('to_category')}, c.category) END AS category
              -- Only cases received near the period can be in it (two days of slack for the zones),
              -- read from the covering indexes of receipt alone (migration 033): a unit's report
              -- reads its own cases by unit and receipt, plus the few that a transfer may have moved
              -- to or from it since the period began (a transfer comes after the receipt), by id.
              -- Two disjoint branches, so that each is an index-only range instead of a bitmap.
              FROM (SELECT * FROM cases
                     WHERE received_at >= $2::date - 2 AND received_at < $3::date + 2 AND ($1 = 'ALL' OR unit_code = $1)
                    UNION ALL
                    SELECT * FROM cases
                     WHERE received_at >= $2::date - 2 AND received_at < $3::date + 2 AND $1 <> 'ALL' AND unit_code <> $1
                       AND id = ANY (ARRAY(SELECT t.case_id FROM case_events t
                                            WHERE t.type = ANY(${transfers}) AND t.occurred_at >= $2::date - 2))) c
            -- Kept a subquery: pulled up, its CASEs would be evaluated again at every use above.
            OFFSET 0) c
     -- No unit at the cut-off: not yet received then.
     WHERE c.unit_code IS NOT NULL AND ($1 = 'ALL' OR c.unit_code = $1)
       -- In the period: a case received more than a day inside both ends is in it in every zone;
       -- one nearer to an end is compared with the local midnights of its unit at the cut-off.
       AND (c.received_at >= ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
            AND c.received_at < ($3::date - 1)::timestamp AT TIME ZONE 'UTC'
            OR c.received_at >= (SELECT z.period_start FROM zones z WHERE z.code = c.unit_code)
               AND c.received_at < (SELECT z.period_end FROM zones z WHERE z.code = c.unit_code))
  ),
  received_local AS (
    -- The same cases with their unit's zone, for the figures by local month or date: joined only
    -- where those read it, not in every count.
    SELECT r.*, z.time_zone FROM received r JOIN zones z ON z.code = r.unit_code
  ),
  in_period AS NOT MATERIALIZED (
    -- Follow-ups near the period (an index range on type and time), then exactly in it, locally.
    SELECT e.case_id, e.occurred_at, e.unit_code, e.type = ANY(${responses}) AS response,
           e.locus_province_code AS event_loc, e.first_follow_up
      FROM case_events e JOIN zones u ON u.code = e.unit_code
     WHERE e.type = ANY(${followUps}) AND e.occurred_at <= $4
       AND e.occurred_at >= $2::date - 2 AND e.occurred_at < $3::date + 2
       AND ($1 = 'ALL' OR e.unit_code = $1)
       AND e.occurred_at >= u.period_start AND e.occurred_at < u.period_end
  ),
  follow_ups AS NOT MATERIALIZED (
    -- A case counts as followed up in the period of its first follow-up ever, wherever it fell.
    -- What the counts need of each follow-up (its locus, whether it was its case's first), from
    -- its history row; only a row written before migration 036 reads its case (a subquery in a
    -- CASE runs only where its branch is taken: a join would read every follow-up's case).
    SELECT p.case_id, p.occurred_at, p.unit_code, p.response,
           CASE WHEN p.event_loc IS NULL
                THEN (SELECT x.locus_province_code FROM cases x WHERE x.id = p.case_id)
                ELSE p.event_loc END AS loc,
           CASE WHEN p.first_follow_up IS NULL
                THEN (SELECT x.first_response_at = p.occurred_at FROM cases x WHERE x.id = p.case_id)
                ELSE p.first_follow_up END AS first_follow_up
      FROM in_period p
  ),
  responded AS (
    -- Each follow-up with what a drill-down shows of its case and sorts its cell by.
    SELECT p.*, c.register_number, c.received_at, c.state AS state_now
      FROM follow_ups p JOIN cases c ON c.id = p.case_id
  )`;

/**
 * Figures computed in the database from the event history, never typed: the recap table of the
 * annual report, the list of cases behind any of its cells, and the "ditindaklanjuti" indicator.
 */
@Injectable()
export class ReportsService {
  /** The figures' reads: a streaming replica when one is usable (database/read-replicas.ts). */
  private readonly reads: SqlRunner;
  /**
   * The recap's reads. Its counts per province group every case of the period, and the planner
   * sorts them for that even where it estimates their number well; the sort spills past work_mem
   * (a larger work_mem only makes it slower), while counting them into a hash table takes a fraction
   * of its time. Over ten million cases, the national recap 2.3 -> 1.9 s; over the million
   * 213 -> 176-189 ms, a Kanwil's 24 -> 20. The statement's other sorts (the follow-ups' distinct
   * count, the forty rows of the table) have no alternative and stay.
   */
  private readonly hashedReads: SqlRunner;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly units: UnitsService,
    private readonly workflows: WorkflowRegistry,
    replicas: ReadReplicas,
  ) {
    this.reads = replicas.runner();
    this.hashedReads = replicas.runner(null, { enable_sort: 'off' });
  }

  /** The shared part of every figure, with the follow-up and response events of every version. */
  private base(): string {
    return baseOf(
      this.eventsWith('TINDAK_LANJUT'),
      this.eventsWith('TUTUP_PENGIRIMAN'),
      this.eventsWith('PINDAH_UNIT'),
    );
  }

  /** The event types with an effect in any version, as an SQL array of their names. */
  private eventsWith(effect: EffectKind): string {
    return sqlNames(this.workflows.eventTypesWith(effect));
  }

  /** A unit's report covers its own cases; ALL (every unit) only for those who see every unit. */
  /** A unit's figures for its own users and PUSAT/ADMIN; the national ones (ALL) for PUSAT/ADMIN only. */
  assertScope(user: AuthUser, unitCode: string): void {
    const scope = Scope.of(user);
    if (unitCode === 'ALL' ? !scope.allUnits : !scope.sees(unitCode)) throw new NotFoundError('Unit');
  }

  /** The year of a target's address, checked, for a unit that exists or ALL. */
  async setIndicatorTarget(
    unitCode: string,
    year: number,
    target: { targetPercent: number; denominator: 'DITERIMA' | 'TARGET'; targetCount: number | null },
  ): Promise<IndicatorTargetRow> {
    const [row] = await writeRows<IndicatorTargetRow>(
      this.dataSource,
      `INSERT INTO indicator_targets (unit_code, year, target_percent, denominator, target_count)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (unit_code, year) DO UPDATE SET target_percent = EXCLUDED.target_percent,
         denominator = EXCLUDED.denominator, target_count = EXCLUDED.target_count, updated_at = now()
       RETURNING unit_code AS "unitCode", year, target_percent::float AS "targetPercent", denominator,
         target_count AS "targetCount"`,
      [unitCode, year, target.targetPercent, target.denominator, target.targetCount],
    );
    return row;
  }

  async targetYear(unitCode: string, rawYear: string): Promise<number> {
    if (!/^\d{4}$/.test(rawYear)) throw InvalidInputError.field('year', 'harus tahun empat digit');
    if (unitCode !== 'ALL' && !(await this.units.unitExists(unitCode))) throw new NotFoundError('Unit');
    return Number(rawYear);
  }

  /** The end of the cut-off day (in WIB for the national view, else the unit's zone); now when none is given. */
  async cutOff(unitCode: string, asOf?: string): Promise<Date> {
    if (!asOf) return this.clock.now();
    if (!isCalendarDate(asOf)) throw InvalidInputError.field('asOf', CALENDAR_DATE_REASON);
    const [{ t }] = await queryRows<{ t: Date }>(
      this.reads,
      `SELECT (($1::date + 1)::timestamp AT TIME ZONE $2) - interval '1 millisecond' AS t`,
      [asOf, await this.zoneOf(unitCode)],
    );
    return t;
  }

  /** The zone a report's dates are local to: its unit's, the centre's for the national one. */
  async zoneOf(unitCode: string): Promise<string> {
    const unit = await firstRow<{ time_zone: string }>(
      this.reads,
      'SELECT time_zone FROM units WHERE code = $1',
      [unitCode === 'ALL' ? 'PUSAT' : unitCode],
    );
    if (!unit) throw new NotFoundError('Unit');
    return unit.time_zone;
  }

  async recap(
    unitCode: string,
    period: Period,
    asOf: Date,
  ): Promise<{ rows: RecapRow[]; totals: Omit<RecapRow, 'provinceCode' | 'provinceName'> }> {
    const recapRows = await queryRows<RecapRow>(
      this.hashedReads,
      `${this.base()},
       recv AS (
         SELECT loc,
                ${categoryCountsSql()}
           FROM received GROUP BY loc
       ),
       resp AS (
         SELECT loc, ${responseCountsSql()}
           FROM follow_ups GROUP BY loc
       )
       SELECT p.code AS "provinceCode", p.name AS "provinceName", ${coalescedColumnsSql('recv', 'resp')}
         FROM provinces p LEFT JOIN recv ON recv.loc = p.code LEFT JOIN resp ON resp.loc = p.code
        ORDER BY p.sort_order`,
      [unitCode, period.from, period.to, asOf],
    );
    // Totals are the sum of the rows, by construction.
    const totals = Object.fromEntries(
      RECAP_COLUMNS.map((c) => [c, recapRows.reduce((sum, r) => sum + r[c], 0)]),
    ) as Omit<RecapRow, 'provinceCode' | 'provinceName'>;
    return { rows: recapRows, totals };
  }

  /** The cases behind one cell (or a column total, without provinceCode). */
  cases(
    unitCode: string,
    period: Period,
    asOf: Date,
    column: RecapColumn,
    provinceCode?: string,
  ): Promise<DrillDownCase[]> {
    const { text, values } = this.drillDown(unitCode, period, asOf, column, provinceCode);
    return queryRows<DrillDownCase>(this.reads, text, values);
  }

  /**
   * One page of the cases behind a cell, and how many there are, in the database: the page's rows
   * are all that leave it, however many cases the cell holds.
   */
  async casesPage(
    unitCode: string,
    period: Period,
    asOf: Date,
    column: RecapColumn,
    provinceCode: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<{ cases: DrillDownCase[]; total: number }> {
    const { text, values } = this.drillDown(unitCode, period, asOf, column, provinceCode);
    const rows = await queryRows<DrillDownCase & { total: number }>(
      this.reads,
      `WITH cell AS (${text})
       SELECT cell.*, count(*) OVER ()::int AS total FROM cell
        LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, pageSize, (page - 1) * pageSize],
    );
    // A page past the end: no row carries the count, so it is counted alone.
    const total =
      rows[0]?.total ??
      (page > 1
        ? ((
            await queryRows<{ n: number }>(
              this.reads,
              `WITH cell AS (${text}) SELECT count(*)::int AS n FROM cell`,
              values,
            )
          )[0]?.n ?? 0)
        : 0);
    return { cases: rows.map(({ total: _t, ...c }) => c), total };
  }

  /** The statement of a cell's cases, in the cell's order (the one owner of what a cell holds). */
  private drillDown(
    unitCode: string,
    period: Period,
    asOf: Date,
    column: RecapColumn,
    provinceCode?: string,
  ): { text: string; values: unknown[] } {
    const spec = columnSpec(column);
    const responses = spec.source === 'responded';
    return {
      text: responses
        ? `${this.base()}
           SELECT case_id AS id, register_number AS "registerNumber", unit_code AS "unitCode", loc AS "provinceCode",
                  received_at AS "receivedAt", occurred_at AS "respondedAt", state_now AS "stateNow"
             FROM responded
            WHERE ($5::text IS NULL OR loc = $5) AND ($6::boolean AND first_follow_up OR NOT $6::boolean AND response)
            ORDER BY occurred_at, register_number`
        : `${this.base()}
           SELECT id, register_number AS "registerNumber", unit_code AS "unitCode", loc AS "provinceCode",
                  received_at AS "receivedAt", category AS "categoryAsOf", state_now AS "stateNow"
             FROM received
            WHERE ($5::text IS NULL OR loc = $5) AND ($6::text IS NULL OR category = $6)
            ORDER BY received_at, register_number`,
      values: [
        unitCode,
        period.from,
        period.to,
        asOf,
        provinceCode ?? null,
        responses ? spec.firstResponseOnly === true : (spec.category ?? null),
      ],
    };
  }

  /**
   * The same counts by another dimension. Rights are multi-valued (a complaint may allege several),
   * so that breakdown's rows can add up to more than the complaints received; the others add up.
   */
  async breakdown(unitCode: string, period: Period, asOf: Date, dimension: Dimension) {
    const { key, name, local }: { key: string; name: string; local?: boolean } = DIMENSIONS[dimension];
    const found = await queryRows<BreakdownRow>(
      this.reads,
      `${this.base()},
       keyed AS (SELECT r.*, ${key} AS key FROM ${local ? 'received_local' : 'received'} r ${dimension === 'rights' ? ', unnest(r.rights) AS right_code' : ''})
       SELECT k.key, ${name} AS name,
              ${categoryCountsSql()}
         FROM keyed k
        GROUP BY k.key ORDER BY jumlah DESC, k.key`,
      [unitCode, period.from, period.to, asOf],
    );
    const totals = Object.fromEntries(
      CATEGORY_COLUMNS.map((c) => [c.key, found.reduce((sum, r) => sum + r[c.key], 0)]),
    ) as Record<CategoryColumn, number>;
    return { dimension, multiValued: dimension === 'rights', rows: found, totals };
  }

  /**
   * The regional office's annual examination report for the Kabupaten/Kota Peduli HAM assessment:
   * each complaint received in the year, by regency, with where it stands and its follow-up.
   */
  regencyExamination(unitCode: string, year: number, asOf: Date): Promise<ExaminationRow[]> {
    return queryRows<ExaminationRow>(
      this.reads,
      `${this.base()}
       SELECT r.id, coalesce(r.locus_regency, '(tidak diisi)') AS regency, r.register_number AS "registerNumber",
              to_char(r.received_at AT TIME ZONE r.time_zone, 'YYYY-MM-DD') AS "receivedOn", r.rights, r.theme,
              r.category AS "categoryAsOf", c.workflow_id AS "workflowId", c.workflow_version AS "workflowVersion",
              c.state_value AS "stateValue", c.context,
              (SELECT count(*)::int FROM case_events e WHERE e.case_id = r.id AND e.type = ANY(${this.eventsWith('TUTUP_PENGIRIMAN')}) AND e.occurred_at <= $4) AS responses,
              (SELECT to_char(max(e.occurred_at) AT TIME ZONE r.time_zone, 'YYYY-MM-DD') FROM case_events e
                WHERE e.case_id = r.id AND e.type = ANY(${this.eventsWith('TUTUP_PENGIRIMAN')}) AND e.occurred_at <= $4) AS "lastResponseOn",
              (SELECT count(*)::int FROM dispatches d WHERE d.case_id = r.id AND d.sent_at <= $4
                  AND (d.responded_at IS NULL OR d.responded_at > $4)) AS awaiting
         FROM received_local r JOIN cases c ON c.id = r.id
        ORDER BY regency, r.received_at, r.register_number`,
      [unitCode, `${year}-01-01`, `${year + 1}-01-01`, asOf],
    );
  }

  /**
   * Realisation to date at the end of each month or quarter of a year, against that date's
   * denominator. One pass over the year's figures: a case first answered twice at the same instant
   * still counts once, since it falls in one month; each point sums the months up to its end,
   * exactly what the indicator with that end would count.
   */
  async indicatorSeries(unitCode: string, year: number, by: 'month' | 'quarter', asOf: Date) {
    const ends = by === 'month' ? Array.from({ length: 12 }, (_, i) => i + 1) : [3, 6, 9, 12];
    const counts = await queryRows<{ month: number; received: number; followed: number }>(
      this.reads,
      `${this.base()},
       -- Each figure is evaluated once per local month (materialized, not once per period end),
       -- then summed up to each period's end.
       received_by_month AS MATERIALIZED (
         SELECT extract(month FROM r.received_at AT TIME ZONE r.time_zone)::int AS month, count(*) AS n FROM received_local r GROUP BY 1
       ),
       followed_by_month AS MATERIALIZED (
         SELECT extract(month FROM p.occurred_at AT TIME ZONE u.time_zone)::int AS month, count(DISTINCT p.case_id) AS n
           FROM follow_ups p JOIN units u ON u.code = p.unit_code WHERE p.first_follow_up GROUP BY 1
       )
       SELECT e.month,
              coalesce((SELECT sum(n) FROM received_by_month r WHERE r.month <= e.month), 0)::int AS received,
              coalesce((SELECT sum(n) FROM followed_by_month f WHERE f.month <= e.month), 0)::int AS followed
         FROM unnest($5::int[]) AS e(month) ORDER BY e.month`,
      [unitCode, `${year}-01-01`, `${year + 1}-01-01`, asOf, ends],
    );
    const target = await this.target(unitCode, year);
    const points = counts.map(({ month, received, followed }) => ({
      period: by === 'month' ? `B${String(month).padStart(2, '0')}` : `TW${month / 3}`,
      to: month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`,
      ...this.present(unitCode, year, asOf, { received, followed }, target),
    }));
    return { unitCode, year, by, points };
  }

  async indicator(unitCode: string, year: number, asOf: Date, until?: string) {
    const period = { from: `${year}-01-01`, to: until ?? `${year + 1}-01-01` };
    const [counts] = await queryRows<{ received: number; followed: number }>(
      this.reads,
      `${this.base()}
       SELECT (SELECT count(*) FROM received)::int AS received,
              (SELECT count(DISTINCT case_id) FROM follow_ups WHERE first_follow_up)::int AS followed`,
      [unitCode, period.from, period.to, asOf],
    );
    return this.present(unitCode, year, asOf, counts, await this.target(unitCode, year));
  }

  private async target(unitCode: string, year: number): Promise<IndicatorTarget | undefined> {
    // From the primary: an administrator who just set the target sees it at once.
    return firstRow<IndicatorTarget>(
      this.dataSource,
      `SELECT target_percent::text AS "targetPercent", denominator, target_count AS "targetCount"
         FROM indicator_targets WHERE unit_code = $1 AND year = $2`,
      [unitCode, year],
    );
  }

  private present(
    unitCode: string,
    year: number,
    asOf: Date,
    counts: { received: number; followed: number },
    target: IndicatorTarget | undefined,
  ) {
    const basis: 'DITERIMA' | 'TARGET' = target?.denominator ?? 'DITERIMA';
    const denominator: number = basis === 'TARGET' ? (target?.targetCount ?? 0) : counts.received;
    return presentIndicator(counts.followed, denominator, basis, target?.targetPercent ?? null, {
      unitCode,
      year,
      asOf: asOf.toISOString(),
      received: counts.received,
    });
  }
}

interface IndicatorTarget {
  targetPercent: string;
  denominator: 'DITERIMA' | 'TARGET';
  targetCount: number | null;
}

/** Half-up rounding of a/b × 100 to two decimals, exactly, in integers. */
export function percentHalfUp(numerator: bigint, denominator: bigint): number {
  const scaled = (2n * numerator * 10_000n + denominator) / (2n * denominator);
  return Number(scaled) / 100;
}

/**
 * realisasi = numerator / denominator × 100 and capaian = realisasi / target × 100, each from the
 * exact fraction and rounded only for display; a zero denominator is "N/A", never 0% or 100%.
 */
export function presentIndicator(
  numerator: number,
  denominator: number,
  basis: 'DITERIMA' | 'TARGET',
  targetPercent: string | null,
  extra: Record<string, unknown>,
) {
  const target = targetPercent === null ? null : Number(targetPercent);
  const realisasi = denominator > 0 ? percentHalfUp(BigInt(numerator), BigInt(denominator)) : null;
  // capaian = (n/d × 100) / (t/100 × ... ) = n × 100 × 100 / (d × t), with t in hundredths to stay in integers.
  const targetHundredths = target === null ? null : BigInt(Math.round(target * 100));
  const capaian =
    denominator > 0 && targetHundredths !== null && targetHundredths > 0n
      ? percentHalfUp(BigInt(numerator) * 10_000n, BigInt(denominator) * targetHundredths)
      : null;
  return {
    ...extra,
    numerator,
    denominator,
    denominatorBasis: basis,
    fraction: `${numerator}/${denominator}`,
    realisasi,
    target,
    capaian,
    display: {
      realisasi: realisasi === null ? 'N/A' : `${realisasi.toFixed(2)}%`,
      capaian: capaian === null ? 'N/A' : `${capaian.toFixed(2)}%`,
    },
  };
}
