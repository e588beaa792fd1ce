/**
 * Working-time arithmetic on a unit's calendar, in the unit's own time zone. Pure: the days off
 * are passed in, so it can be tested on its own and re-run when an admin corrects a calendar.
 */
import { DateTime } from 'luxon';
import type { Batas } from '../../workflows';

export interface DaysOff {
  /** `YYYY-MM-DD` local dates that are not working days (holidays, collective leave). */
  has(date: string): boolean;
  /** Years for which a decreed calendar exists; other years count weekends only. */
  knownYears: ReadonlySet<number>;
}

export interface OfficeHours {
  /** Minutes after midnight. */
  open: number;
  close: number;
  closeFriday: number;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = { open: 8 * 60, close: 16 * 60, closeFriday: 16 * 60 + 30 };

export interface DueDate {
  dueAt: Date;
  /** True when the count crossed a year without a decreed calendar. */
  provisional: boolean;
}

export function isWorkingDay(day: DateTime, daysOff: DaysOff): boolean {
  return day.weekday <= 5 && !daysOff.has(day.toISODate()!);
}

/**
 * N working days after the day the step started (the start day does not count); the limit ends
 * at the close (end) of the N-th working day, local time.
 */
export function addWorkingDays(start: Date, days: number, zone: string, daysOff: DaysOff): DueDate {
  let day = DateTime.fromJSDate(start, { zone }).startOf('day');
  let provisional = false;
  let counted = 0;
  while (counted < days) {
    day = day.plus({ days: 1 });
    if (!daysOff.knownYears.has(day.year)) provisional = true;
    if (isWorkingDay(day, daysOff)) counted += 1;
  }
  return { dueAt: day.endOf('day').toJSDate(), provisional };
}

/** Office minutes: counted only inside office hours of working days. */
export function addOfficeMinutes(start: Date, minutes: number, zone: string, daysOff: DaysOff, hours = DEFAULT_OFFICE_HOURS): DueDate {
  let cursor = DateTime.fromJSDate(start, { zone });
  let left = minutes;
  let provisional = false;
  for (let guard = 0; guard < 3660; guard += 1) {
    if (!daysOff.knownYears.has(cursor.year)) provisional = true;
    const dayStart = cursor.startOf('day');
    const open = dayStart.plus({ minutes: hours.open });
    const close = dayStart.plus({ minutes: cursor.weekday === 5 ? hours.closeFriday : hours.close });
    if (isWorkingDay(cursor, daysOff) && cursor < close) {
      const from = cursor < open ? open : cursor;
      const available = close.diff(from, 'minutes').minutes;
      if (available >= left) return { dueAt: from.plus({ minutes: left }).toJSDate(), provisional };
      left -= available;
    }
    cursor = dayStart.plus({ days: 1 });
  }
  throw new Error('office minutes could not be placed within ten years');
}

export function computeDue(start: Date, batas: Batas, zone: string, daysOff: DaysOff, hours = DEFAULT_OFFICE_HOURS): DueDate {
  return 'hari' in batas ? addWorkingDays(start, batas.hari, zone, daysOff) : addOfficeMinutes(start, batas.menit, zone, daysOff, hours);
}

/** Working days strictly after `from`'s local day up to and including `to`'s local day. */
export function workingDaysBetween(from: Date, to: Date, zone: string, daysOff: DaysOff): number {
  let day = DateTime.fromJSDate(from, { zone }).startOf('day');
  const end = DateTime.fromJSDate(to, { zone }).startOf('day');
  let count = 0;
  while (day < end) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(day, daysOff)) count += 1;
  }
  return count;
}
