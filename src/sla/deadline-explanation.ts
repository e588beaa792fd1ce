/**
 * Why a deadline falls where it does: every local day from the day the step started to the due
 * day, each marked counted or skipped with the reason (weekend, or the decreed day off's name).
 * Pure, like the arithmetic it explains, so the explanation cannot disagree with the count.
 */
import { civilDayOf, isoOf, weekdayOf, type DaysOff } from './working-time';

export interface ExplainedDay {
  date: string;
  /** Senin ... Minggu */
  weekday: string;
  counted: boolean;
  /** Why the day does not count, or that it is the start day. */
  reason: string | null;
}

const WEEKDAYS = ['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'];

/** More days than any limit in the SOP spans, even over Lebaran: a guard against a corrupt row. */
const MAX_DAYS = 400;

/**
 * `unit` says how the limit counts: working days start the day after the step started; office
 * minutes count from the start itself, so the start day is a working day like the others.
 */
export function explainDays(
  basisAt: Date,
  dueAt: Date,
  zone: string,
  daysOff: DaysOff,
  names: ReadonlyMap<string, string>,
  unit: 'hari' | 'menit' = 'hari',
): ExplainedDay[] {
  const first = civilDayOf(basisAt, zone);
  const last = Math.min(civilDayOf(dueAt, zone), first + MAX_DAYS);
  const days: ExplainedDay[] = [];
  for (let day = first; day <= last; day += 1) {
    const date = isoOf(day);
    const weekday = weekdayOf(day);
    let reason: string | null = null;
    if (day === first && unit === 'hari') reason = 'hari mulai langkah (tidak dihitung)';
    else if (weekday >= 6) reason = WEEKDAYS[weekday - 1];
    else if (daysOff.has(date)) reason = names.get(date) ?? 'hari libur';
    days.push({ date, weekday: WEEKDAYS[weekday - 1], counted: reason === null, reason });
  }
  return days;
}
