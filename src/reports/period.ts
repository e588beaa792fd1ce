/** Reporting periods as the reports name them: a year, a semester, a quarter (triwulan), a month B01..B12, or dates. */
import { DateTime } from 'luxon';
import { InvalidInputError } from '../common/errors';

export interface Period {
  /** Local dates, `to` exclusive. */
  from: string;
  to: string;
  label: string;
}

export interface PeriodQuery {
  year?: number;
  semester?: number;
  quarter?: number;
  month?: string;
  from?: string;
  to?: string;
}

export function parsePeriod(q: PeriodQuery): Period {
  if (q.from || q.to) {
    const from = DateTime.fromISO(q.from ?? '', { zone: 'UTC' });
    const to = DateTime.fromISO(q.to ?? '', { zone: 'UTC' });
    if (!from.isValid) throw InvalidInputError.field('from', 'harus tanggal YYYY-MM-DD');
    if (!to.isValid) throw InvalidInputError.field('to', 'harus tanggal YYYY-MM-DD');
    if (to < from) throw InvalidInputError.field('to', 'tidak boleh sebelum from');
    // `to` is inclusive for people; exclusive in the queries.
    return {
      from: from.toISODate(),
      to: to.plus({ days: 1 }).toISODate(),
      label: `${from.toISODate()} s.d. ${to.toISODate()}`,
    };
  }
  if (!q.year) throw InvalidInputError.field('year', 'wajib diisi (atau from dan to)');
  const y = q.year;
  if (q.month) {
    const m = Number(q.month.replace(/^B/i, ''));
    if (!/^B?\d{2}$/i.test(q.month) || m < 1 || m > 12)
      throw InvalidInputError.field('month', 'harus B01 sampai B12');
    const start = DateTime.utc(y, m, 1);
    return {
      from: start.toISODate()!,
      to: start.plus({ months: 1 }).toISODate()!,
      label: `B${String(m).padStart(2, '0')} ${y}`,
    };
  }
  if (q.quarter) {
    const start = DateTime.utc(y, (q.quarter - 1) * 3 + 1, 1);
    return {
      from: start.toISODate()!,
      to: start.plus({ months: 3 }).toISODate()!,
      label: `Triwulan ${['I', 'II', 'III', 'IV'][q.quarter - 1]} ${y}`,
    };
  }
  if (q.semester) {
    const start = DateTime.utc(y, q.semester === 1 ? 1 : 7, 1);
    return {
      from: start.toISODate()!,
      to: start.plus({ months: 6 }).toISODate()!,
      label: `Semester ${q.semester === 1 ? 'I' : 'II'} ${y}`,
    };
  }
  return { from: `${y}-01-01`, to: `${y + 1}-01-01`, label: `Tahun ${y}` };
}
