/**
 * Working-time arithmetic on a unit's calendar, in the unit's own time zone. Pure: the days off
 * are passed in, so it can be tested on its own and re-run when an admin corrects a calendar.
 * Days are counted on civil dates (no zone math in the loop); the zone is applied once at each end.
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

const DAY_MS = 86_400_000;

/** A civil date as days since 1970-01-01 (a plain number: cheap to step through). */
export type CivilDay = number;

const HOUR_MS = 3_600_000;
const offsets = new Map<string, number>();

/**
 * The zone's UTC offset (minutes) at an instant, cached per zone and hour: zone rules only change
 * on hour boundaries in practice, and this runs several times per workflow event.
 */
function offsetMinutes(zone: string, ms: number): number {
  const key = `${zone}|${Math.floor(ms / HOUR_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = DateTime.fromMillis(ms, { zone }).offset;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

export function civilDayOf(instant: Date, zone: string): CivilDay {
  const ms = instant.getTime();
  return Math.floor((ms + offsetMinutes(zone, ms) * 60_000) / DAY_MS);
}

const isoDates = new Map<CivilDay, string>();

/**
 * `YYYY-MM-DD` of a civil day. Remembered: a deadline count asks it for every day it steps over,
 * several times per workflow event, and a decade of days is a few thousand strings.
 */
export function isoOf(day: CivilDay): string {
  let iso = isoDates.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoDates.size > 20_000) isoDates.clear();
    isoDates.set(day, iso);
  }
  return iso;
}

function yearOf(day: CivilDay): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** 1 = Monday ... 7 = Sunday. */
export function weekdayOf(day: CivilDay): number {
  return ((new Date(day * DAY_MS).getUTCDay() + 6) % 7) + 1;
}

export function isWorkingCivilDay(day: CivilDay, daysOff: DaysOff): boolean {
  return weekdayOf(day) <= 5 && !daysOff.has(isoOf(day));
}

/** The first instant of a civil day in a zone. */
export function startOfCivilDay(day: CivilDay, zone: string): Date {
  const guess = day * DAY_MS - offsetMinutes(zone, day * DAY_MS) * 60_000;
  // Re-read the offset at the guessed instant, in case the zone changed its offset that night.
  return new Date(day * DAY_MS - offsetMinutes(zone, guess) * 60_000);
}

/** The last millisecond of a civil day in a zone. */
export function endOfCivilDay(day: CivilDay, zone: string): Date {
  return new Date(startOfCivilDay(day + 1, zone).getTime() - 1);
}

/**
 * N working days after the day the step started (the start day does not count); the limit ends
 * at the close (end) of the N-th working day, local time.
 */
export function addWorkingDays(start: Date, days: number, zone: string, daysOff: DaysOff): DueDate {
  let day = civilDayOf(start, zone);
  let provisional = false;
  let counted = 0;
  while (counted < days) {
    day += 1;
    if (!daysOff.knownYears.has(yearOf(day))) provisional = true;
    if (isWorkingCivilDay(day, daysOff)) counted += 1;
  }
  return { dueAt: endOfCivilDay(day, zone), provisional };
}

/** Office minutes: counted only inside office hours of working days. */
export function addOfficeMinutes(
  start: Date,
  minutes: number,
  zone: string,
  daysOff: DaysOff,
  hours = DEFAULT_OFFICE_HOURS,
): DueDate {
  let day = civilDayOf(start, zone);
  let cursor = start.getTime();
  let left = minutes;
  let provisional = false;
  for (let guard = 0; guard < 3660; guard += 1, day += 1) {
    if (!daysOff.knownYears.has(yearOf(day))) provisional = true;
    if (!isWorkingCivilDay(day, daysOff)) continue;
    const dayStart = startOfCivilDay(day, zone).getTime();
    const open = dayStart + hours.open * 60_000;
    const close = dayStart + (weekdayOf(day) === 5 ? hours.closeFriday : hours.close) * 60_000;
    const from = Math.max(cursor, open);
    if (from >= close) continue;
    const available = (close - from) / 60_000;
    if (available >= left) return { dueAt: new Date(from + left * 60_000), provisional };
    left -= available;
    cursor = close;
  }
  throw new Error('office minutes could not be placed within ten years');
}

export function computeDue(
  start: Date,
  batas: Batas,
  zone: string,
  daysOff: DaysOff,
  hours = DEFAULT_OFFICE_HOURS,
): DueDate {
  return 'hari' in batas
    ? addWorkingDays(start, batas.hari, zone, daysOff)
    : addOfficeMinutes(start, batas.menit, zone, daysOff, hours);
}

/** Working days strictly after `from`'s local day up to and including `to`'s local day. */
export function workingDaysBetween(from: Date, to: Date, zone: string, daysOff: DaysOff): number {
  const end = civilDayOf(to, zone);
  let count = 0;
  for (let day = civilDayOf(from, zone) + 1; day <= end; day += 1) {
    if (isWorkingCivilDay(day, daysOff)) count += 1;
  }
  return count;
}
