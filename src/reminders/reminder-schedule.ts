/**
 * When each reminder stage falls due, and which stage each addressee should receive now. Pure:
 * the same answers for a dispatch sent today, for one recorded late (back-dated), and after the
 * service was down; each addressee only ever gets the latest stage due to it, never a burst.
 */
import { civilDayOf, isWorkingCivilDay, startOfCivilDay, type DaysOff } from '../sla/working-time';

export const ADDRESSEES = ['INSTITUSI', 'INDUK', 'PIMPINAN'] as const;
export type Addressee = (typeof ADDRESSEES)[number];

export interface Stage {
  code: string;
  /** Working days from the due day: negative before it, 0 on it, positive after it. */
  offsetDays: number;
  addressees: Addressee[];
}

/** A notice 5 working days before, reminder I on the due date, reminder II 10 working days later, then escalation. */
export const DEFAULT_SCHEDULE: Stage[] = [
  { code: 'PEMBERITAHUAN', offsetDays: -5, addressees: ['INSTITUSI'] },
  { code: 'PENGINGAT_I', offsetDays: 0, addressees: ['INSTITUSI'] },
  { code: 'PENGINGAT_II', offsetDays: 10, addressees: ['INSTITUSI'] },
  { code: 'ESKALASI', offsetDays: 20, addressees: ['INDUK', 'PIMPINAN'] },
];

/** The stage's moment: the opening of the office on the working day `offsetDays` from the due day. */
export function stageInstant(
  dueAt: Date,
  offsetDays: number,
  zone: string,
  daysOff: DaysOff,
  officeOpenMinutes: number,
): Date {
  let day = civilDayOf(dueAt, zone);
  const step = Math.sign(offsetDays);
  for (let left = Math.abs(offsetDays); left > 0;) {
    day += step;
    if (isWorkingCivilDay(day, daysOff)) left -= 1;
  }
  return new Date(startOfCivilDay(day, zone).getTime() + officeOpenMinutes * 60_000);
}

export interface StageDue {
  stage: Stage;
  rank: number;
  at: Date;
}

export function stageTimes(
  schedule: Stage[],
  dueAt: Date,
  zone: string,
  daysOff: DaysOff,
  officeOpen: number,
): StageDue[] {
  return schedule.map((stage, rank) => ({
    stage,
    rank,
    at: stageInstant(dueAt, stage.offsetDays, zone, daysOff, officeOpen),
  }));
}

/** For each addressee, the latest stage due to it now (by schedule order), if any. */
export function latestDue(times: StageDue[], now: Date): Map<Addressee, StageDue> {
  const latest = new Map<Addressee, StageDue>();
  for (const due of times) {
    if (due.at > now) continue;
    for (const addressee of due.stage.addressees) {
      const current = latest.get(addressee);
      if (!current || due.rank > current.rank) latest.set(addressee, due);
    }
  }
  return latest;
}

export function nextCheck(times: StageDue[], now: Date): Date | null {
  const future = times.filter((t) => t.at > now).map((t) => t.at.getTime());
  return future.length ? new Date(Math.min(...future)) : null;
}

/** Checks an admin's schedule; returns problems by field. */
export function scheduleProblems(
  stages: Stage[],
  knownTemplates: string[],
): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  if (stages.length === 0) problems.push({ field: 'stages', reason: 'tidak boleh kosong' });
  stages.forEach((s, i) => {
    if (!knownTemplates.includes(s.code))
      problems.push({ field: `stages[${i}].code`, reason: `tidak ada templat surat untuk tahap ${s.code}` });
    if (i > 0 && s.offsetDays <= stages[i - 1].offsetDays)
      problems.push({ field: `stages[${i}].offsetDays`, reason: 'harus lebih besar dari tahap sebelumnya' });
  });
  return problems;
}
