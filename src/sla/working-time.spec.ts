import fc from 'fast-check';
import { DAYS_OFF, YEARS } from '../../migrations/1795400000002-sla-calendars';
import { pauseDeadline, resumeDeadline, startDeadline, dueSoonFrom, deadlineStatus } from './deadline-policy';
import {
  addOfficeMinutes,
  addWorkingDays,
  civilDayOf,
  DaysOff,
  isoOf,
  isWorkingCivilDay,
  workingDaysBetween,
} from './working-time';

/** The decreed calendars 2024-2026, exactly as the migration seeds them. */
const decreed: DaysOff = {
  has: (
    (set) => (d: string) =>
      set.has(d)
  )(new Set(DAYS_OFF.map(([d]) => d))),
  knownYears: new Set(YEARS.map(([y]) => y)),
};
const ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];

describe('working days on the decreed calendar', () => {
  it('counts across Lebaran 2024 (8-15 April off) in all three time zones', () => {
    // Friday 5 April 2024, 10:00 local; 5 working days: 16, 17, 18, 19, 22 April.
    expect(
      addWorkingDays(new Date('2024-04-05T10:00:00+07:00'), 5, 'Asia/Jakarta', decreed).dueAt.toISOString(),
    ).toBe('2024-04-22T16:59:59.999Z');
    expect(
      addWorkingDays(new Date('2024-04-05T10:00:00+08:00'), 5, 'Asia/Makassar', decreed).dueAt.toISOString(),
    ).toBe('2024-04-22T15:59:59.999Z');
    expect(
      addWorkingDays(new Date('2024-04-05T10:00:00+09:00'), 5, 'Asia/Jayapura', decreed).dueAt.toISOString(),
    ).toBe('2024-04-22T14:59:59.999Z');
  });

  it('counts 30 working days over Nyepi, Good Friday and Lebaran 2024', () => {
    // From Friday 1 March 2024: 17 working days in March (11, 12, 29 off), 13 in April up to the 25th.
    const due = addWorkingDays(new Date('2024-03-01T09:00:00+07:00'), 30, 'Asia/Jakarta', decreed);
    expect(due).toEqual({ dueAt: new Date('2024-04-25T16:59:59.999Z'), provisional: false });
  });

  it('treats one instant as a different local day in Java than in Sulawesi', () => {
    // 23:30 Thursday in Jakarta is 00:30 Friday in Makassar: a 1-day limit ends on different days.
    const instant = new Date('2024-04-04T16:30:00Z');
    expect(addWorkingDays(instant, 1, 'Asia/Jakarta', decreed).dueAt.toISOString()).toBe(
      '2024-04-05T16:59:59.999Z',
    );
    expect(addWorkingDays(instant, 1, 'Asia/Makassar', decreed).dueAt.toISOString()).toBe(
      '2024-04-16T15:59:59.999Z',
    );
  });

  it('marks a deadline provisional when it runs into a year without a decreed calendar, and still computes it', () => {
    const due = addWorkingDays(new Date('2026-12-28T09:00:00+07:00'), 5, 'Asia/Jakarta', decreed);
    expect(due.provisional).toBe(true);
    expect(isWorkingCivilDay(civilDayOf(due.dueAt, 'Asia/Jakarta'), decreed)).toBe(true);
    expect(
      addWorkingDays(new Date('2026-03-02T09:00:00+07:00'), 5, 'Asia/Jakarta', decreed).provisional,
    ).toBe(false);
  });

  it('counts office minutes inside office hours only (Friday closes 16:30)', () => {
    expect(
      addOfficeMinutes(
        new Date('2024-04-05T15:50:00+07:00'),
        20,
        'Asia/Jakarta',
        decreed,
      ).dueAt.toISOString(),
    ).toBe('2024-04-05T09:10:00.000Z');
    // 10 minutes left on Friday, then Lebaran: the other 10 on Tuesday 16 April from 08:00.
    expect(
      addOfficeMinutes(
        new Date('2024-04-05T16:20:00+07:00'),
        20,
        'Asia/Jakarta',
        decreed,
      ).dueAt.toISOString(),
    ).toBe('2024-04-16T01:10:00.000Z');
    expect(
      addOfficeMinutes(
        new Date('2024-04-16T06:00:00+07:00'),
        20,
        'Asia/Jakarta',
        decreed,
      ).dueAt.toISOString(),
    ).toBe('2024-04-16T01:20:00.000Z');
  });

  const instant = fc.date({
    min: new Date('2024-01-01T00:00:00Z'),
    max: new Date('2026-10-31T00:00:00Z'),
    noInvalidDate: true,
  });
  const zone = fc.constantFrom(...ZONES);

  it('never lands a deadline on a day off, and counting back gives the same number of days', () => {
    fc.assert(
      fc.property(instant, zone, fc.integer({ min: 1, max: 40 }), (start, z, n) => {
        const { dueAt } = addWorkingDays(start, n, z, decreed);
        const day = civilDayOf(dueAt, z);
        expect(isWorkingCivilDay(day, decreed)).toBe(true);
        expect(workingDaysBetween(start, dueAt, z, decreed)).toBe(n);
        // The limit ends at the close of its day: one millisecond later is the next local day.
        expect(civilDayOf(new Date(dueAt.getTime() + 1), z)).toBe(day + 1);
        expect(decreed.has(isoOf(day))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('adds working days associatively: n then m equals n + m', () => {
    fc.assert(
      fc.property(
        instant,
        zone,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        (start, z, n, m) => {
          const first = addWorkingDays(start, n, z, decreed).dueAt;
          expect(addWorkingDays(first, m, z, decreed).dueAt).toEqual(
            addWorkingDays(start, n + m, z, decreed).dueAt,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('starts due-soon within the limit: at least one working day, about the last 20%', () => {
    fc.assert(
      fc.property(instant, zone, fc.integer({ min: 1, max: 40 }), (start, z, n) => {
        const { dueAt } = addWorkingDays(start, n, z, decreed);
        const soon = dueSoonFrom(dueAt, { hari: n }, z, decreed);
        expect(soon.getTime()).toBeLessThan(dueAt.getTime());
        expect(soon.getTime()).toBeGreaterThan(start.getTime());
        const lead = workingDaysBetween(new Date(soon.getTime() - 1), dueAt, z, decreed);
        expect(lead).toBe(Math.max(1, Math.ceil(n * 0.2)));
      }),
      { numRuns: 300 },
    );
  });

  it('resumes a paused deadline with the working days that were left', () => {
    const meta = { langkah: 5, nama: 'telaah', batas: { hari: 30 }, jam: 'KASUS' as const, peran: {} };
    const started = startDeadline(
      'telaah.penyusunan',
      meta,
      new Date('2024-03-01T09:00:00+07:00'),
      'Asia/Jakarta',
      decreed,
    )!;
    expect(started.dueAt.toISOString()).toBe('2024-04-25T16:59:59.999Z');
    // Paused on Monday 4 March with 29 working days left; resumed Monday 1 April: 29 more from there.
    const paused = pauseDeadline(started, new Date('2024-03-04T10:00:00+07:00'));
    expect(deadlineStatus(paused, new Date('2024-06-01T00:00:00Z'))).toBe('PAUSED');
    const resumed = resumeDeadline(paused, new Date('2024-04-01T10:00:00+07:00'), 'Asia/Jakarta', decreed);
    expect(
      workingDaysBetween(new Date('2024-04-01T10:00:00+07:00'), resumed.dueAt, 'Asia/Jakarta', decreed),
    ).toBe(29);
    expect(resumed.pausedAt).toBeNull();
    // Pausing and resuming at once changes nothing.
    fc.assert(
      fc.property(instant, zone, (at, z) => {
        const d = startDeadline('x', meta, at, z, decreed)!;
        expect(resumeDeadline(pauseDeadline(d, at), at, z, decreed).dueAt).toEqual(d.dueAt);
      }),
      { numRuns: 200 },
    );
  });
});
