import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { isUuid } from '../database/query-results';
import { firstRow, queryRows, writeRows } from '../database/sql';

const MONTHS = Array.from({ length: 12 }, (_, i) => `B${String(i + 1).padStart(2, '0')}`);
const asNumber = (x: string | null) => (x === null ? null : Number(x));

export interface IkmMonth {
  month: string;
  respondents: number;
  nilai: number | null;
  display: string;
}

export interface IkmResult {
  unitCode: string;
  year: number;
  respondents: number;
  nilai: number | null;
  target: number | null;
  capaian: number | null;
  /** The value converted to 25-100 (×25), as PermenPANRB 14/2017 reports it, and its grade. */
  konversi: number | null;
  mutu: IkmGrade | null;
  display: { nilai: string; target: string; capaian: string; konversi: string; mutu: string };
  months: IkmMonth[];
}

export interface IkmGrade {
  /** A, B, C or D. */
  grade: string;
  /** The service's performance as the grade names it. */
  kinerja: string;
}

/** The quality grades of the converted IKM (PermenPANRB 14/2017), each from its lower bound. */
const GRADES: readonly (IkmGrade & { from: number })[] = [
  { grade: 'A', kinerja: 'Sangat Baik', from: 88.31 },
  { grade: 'B', kinerja: 'Baik', from: 76.61 },
  { grade: 'C', kinerja: 'Kurang Baik', from: 65.0 },
  { grade: 'D', kinerja: 'Tidak Baik', from: 25.0 },
];

/** The grade of a converted value (25-100). */
export function ikmGrade(konversi: number): IkmGrade {
  const found = GRADES.find((g) => konversi >= g.from) ?? GRADES[GRADES.length - 1];
  return { grade: found.grade, kinerja: found.kinerja };
}

export interface SurveyResponseRow {
  id: string;
  unitCode: string;
  answeredAt: Date;
  channel: string;
  score: number;
  answers: unknown;
}

/**
 * IKM (Indeks Kepuasan Masyarakat) of the complaint service, 1-4: a response's value is the
 * unweighted mean of its elements, a month's value the mean of its responses, and the year's the
 * mean of the monthly values (months without respondents do not count), as the offices report it.
 * Computed in the database with exact decimals; rounded half up to two decimals only at the end.
 */
@Injectable()
export class IkmService {
  constructor(private readonly dataSource: DataSource) {}

  async ikm(unitCode: string, year: number): Promise<IkmResult> {
    const months = await queryRows<{ month: string; respondents: number; nilai: string }>(
      this.dataSource,
      `SELECT 'B' || to_char(r.answered_at AT TIME ZONE u.time_zone, 'MM') AS month,
              count(*)::int AS respondents, avg(r.score) AS nilai
         FROM survey_responses r JOIN units u ON u.code = r.unit_code
        WHERE ($1 = 'ALL' OR r.unit_code = $1) AND extract(year FROM r.answered_at AT TIME ZONE u.time_zone) = $2
        GROUP BY 1 ORDER BY 1`,
      [unitCode, year],
    );
    // Over no months at all the aggregate still gives one row, of nulls: N/A.
    const total = (await firstRow<{
      nilai: string | null;
      konversi: string | null;
      target: string | null;
      capaian: string | null;
    }>(
      this.dataSource,
      `WITH t AS (SELECT target FROM ikm_targets WHERE unit_code = $2 AND year = $3)
       SELECT round(avg(x), 2)::text AS nilai, round(avg(x) * 25, 2)::text AS konversi,
              (SELECT target::text FROM t) AS target,
              round(avg(x) / (SELECT target FROM t) * 100, 2)::text AS capaian
         FROM unnest($1::numeric[]) AS x`,
      [months.map((m) => m.nilai), unitCode, year],
    ))!;
    const byMonth = new Map(months.map((m) => [m.month, m]));
    const series = MONTHS.map((month) => {
      const m = byMonth.get(month);
      return {
        month,
        respondents: m?.respondents ?? 0,
        nilai: m ? Number(Number(m.nilai).toFixed(6)) : null,
        display: m ? roundHalfUp(m.nilai) : 'N/A',
      };
    });
    const konversi = asNumber(total.konversi);
    const mutu = konversi === null ? null : ikmGrade(konversi);
    return {
      unitCode,
      year,
      respondents: series.reduce((sum, m) => sum + m.respondents, 0),
      nilai: asNumber(total.nilai),
      konversi,
      mutu,
      target: asNumber(total.target),
      capaian: total.nilai === null ? null : asNumber(total.capaian),
      display: {
        nilai: total.nilai ?? 'N/A',
        target: total.target ?? 'belum ditetapkan',
        capaian: total.nilai === null || total.capaian === null ? 'N/A' : `${total.capaian}%`,
        konversi: total.konversi ?? 'N/A',
        mutu: mutu ? `${mutu.grade} (${mutu.kinerja})` : 'N/A',
      },
      months: series,
    };
  }

  /** The responses behind a figure: the year, or one month; without their case. */
  responses(unitCode: string, year: number, month?: string): Promise<SurveyResponseRow[]> {
    return queryRows<SurveyResponseRow>(
      this.dataSource,
      `SELECT r.id, r.unit_code AS "unitCode", r.answered_at AS "answeredAt", r.channel, r.score::float AS score,
              r.answers
         FROM survey_responses r JOIN units u ON u.code = r.unit_code
        WHERE ($1 = 'ALL' OR r.unit_code = $1) AND extract(year FROM r.answered_at AT TIME ZONE u.time_zone) = $2
          AND ($3::text IS NULL OR 'B' || to_char(r.answered_at AT TIME ZONE u.time_zone, 'MM') = $3)
        ORDER BY r.answered_at`,
      [unitCode, year, month ?? null],
    );
  }

  async responseCase(id: string): Promise<{ caseId: string; registerNumber: string }> {
    const row = isUuid(id)
      ? await firstRow<{ caseId: string; registerNumber: string }>(
          this.dataSource,
          `SELECT c.id AS "caseId", c.register_number AS "registerNumber"
             FROM survey_responses r JOIN cases c ON c.id = r.case_id WHERE r.id = $1`,
          [id],
        )
      : undefined;
    if (!row) throw new NotFoundError('Tanggapan survei');
    return row;
  }

  async setTarget(unitCode: string, year: number, target: number) {
    const [row] = await writeRows<{ unitCode: string; year: number; target: number }>(
      this.dataSource,
      `INSERT INTO ikm_targets (unit_code, year, target) VALUES ($1, $2, $3)
       ON CONFLICT (unit_code, year) DO UPDATE SET target = EXCLUDED.target, updated_at = now()
       RETURNING unit_code AS "unitCode", year, target::float AS target`,
      [unitCode, year, target],
    );
    return row;
  }
}

/** Two decimals, half up, from the exact decimal text PostgreSQL gives. */
function roundHalfUp(exact: string): string {
  const [whole, fraction = ''] = exact.split('.');
  const cents = BigInt(whole + (fraction + '000').slice(0, 3));
  const rounded = (cents + 5n) / 10n;
  return `${rounded / 100n}.${String(rounded % 100n).padStart(2, '0')}`;
}
