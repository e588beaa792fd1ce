/**
 * The deadline of the step a case is in: when it started, when it is due, from when it is due
 * soon, and whether it is paused. Pure; the case service stores the result in the case row.
 */
import type { Batas, PemilikJam, StepMeta } from '../../workflows';
import {
  civilDayOf,
  computeDue,
  DaysOff,
  DEFAULT_OFFICE_HOURS,
  endOfCivilDay,
  isWorkingCivilDay,
  startOfCivilDay,
  workingDaysBetween,
  type OfficeHours,
} from './working-time';

/** A unit's own rules: office hours for minute limits, the share of a limit that is "due soon". */
export interface UnitRules {
  hours: OfficeHours;
  dueSoonPercent: number;
}

export const DEFAULT_RULES: UnitRules = { hours: DEFAULT_OFFICE_HOURS, dueSoonPercent: 20 };

export interface StoredDeadline {
  step: string;
  clock: PemilikJam;
  /** The instant from which the remaining limit counts (step start, or the resume). */
  basisAt: Date;
  limit: Batas;
  dueAt: Date;
  dueSoonAt: Date;
  provisional: boolean;
  pausedAt: Date | null;
}

export type DeadlineStatus = 'ON_TIME' | 'DUE_SOON' | 'OVERDUE' | 'PAUSED';

/** Due soon over the last share of the limit (default 20%), at least one working day (or minute). */
export function dueSoonFrom(due: Date, limit: Batas, zone: string, daysOff: DaysOff, percent = 20): Date {
  if ('menit' in limit)
    return new Date(due.getTime() - Math.max(1, Math.ceil((limit.menit * percent) / 100)) * 60_000);
  const lead = Math.max(1, Math.ceil((limit.hari * percent) / 100));
  // Walk back to the start of the lead-th last working day, the due day included.
  let day = civilDayOf(due, zone);
  let counted = 1;
  while (counted < lead) {
    day -= 1;
    if (isWorkingCivilDay(day, daysOff)) counted += 1;
  }
  return startOfCivilDay(day, zone);
}

export function startDeadline(
  step: string,
  meta: StepMeta,
  start: Date,
  zone: string,
  daysOff: DaysOff,
  rules = DEFAULT_RULES,
): StoredDeadline | null {
  if (!meta.batas) return null;
  const { dueAt, provisional } = computeDue(start, meta.batas, zone, daysOff, rules.hours);
  return {
    step,
    clock: meta.jam,
    basisAt: start,
    limit: meta.batas,
    dueAt,
    dueSoonAt: dueSoonFrom(dueAt, meta.batas, zone, daysOff, rules.dueSoonPercent),
    provisional,
    pausedAt: null,
  };
}

export function pauseDeadline(deadline: StoredDeadline, at: Date): StoredDeadline {
  return { ...deadline, pausedAt: at };
}

/** What was left of a paused deadline when its clock stopped: what it resumes with. */
export function leftWhenPaused(
  deadline: Pick<StoredDeadline, 'limit' | 'dueAt'> & { pausedAt: Date },
  zone: string,
  daysOff: DaysOff,
): Batas {
  return 'hari' in deadline.limit
    ? { hari: Math.max(0, workingDaysBetween(deadline.pausedAt, deadline.dueAt, zone, daysOff)) }
    : { menit: Math.max(0, Math.ceil((deadline.dueAt.getTime() - deadline.pausedAt.getTime()) / 60_000)) };
}

/** Resumes with the working days that were left when the clock stopped. */
export function resumeDeadline(
  deadline: StoredDeadline,
  at: Date,
  zone: string,
  daysOff: DaysOff,
  rules = DEFAULT_RULES,
): StoredDeadline {
  if (!deadline.pausedAt) return deadline;
  const limit = leftWhenPaused({ ...deadline, pausedAt: deadline.pausedAt }, zone, daysOff);
  return recompute({ ...deadline, basisAt: at, limit, pausedAt: null }, zone, daysOff, rules);
}

/** After a calendar correction: the same basis and limit, counted on the corrected calendar. */
export function recompute(
  deadline: StoredDeadline,
  zone: string,
  daysOff: DaysOff,
  rules = DEFAULT_RULES,
): StoredDeadline {
  const { dueAt, provisional } =
    'hari' in deadline.limit && deadline.limit.hari === 0
      ? { dueAt: endOfCivilDay(civilDayOf(deadline.basisAt, zone), zone), provisional: false }
      : computeDue(deadline.basisAt, deadline.limit, zone, daysOff, rules.hours);
  return {
    ...deadline,
    dueAt,
    provisional,
    dueSoonAt: dueSoonFrom(dueAt, deadline.limit, zone, daysOff, rules.dueSoonPercent),
  };
}

export function deadlineStatus(deadline: StoredDeadline, now: Date): DeadlineStatus {
  if (deadline.pausedAt) return 'PAUSED';
  if (now > deadline.dueAt) return 'OVERDUE';
  if (now >= deadline.dueSoonAt) return 'DUE_SOON';
  return 'ON_TIME';
}
