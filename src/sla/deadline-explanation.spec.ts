import { explainDays } from './deadline-explanation';
import { addWorkingDays, type DaysOff } from './working-time';

const lebaran2024: DaysOff = {
  has: (d) =>
    ['2024-04-08', '2024-04-09', '2024-04-10', '2024-04-11', '2024-04-12', '2024-04-15'].includes(d),
  knownYears: new Set([2024]),
};
const names = new Map([
  ['2024-04-10', 'Hari Raya Idulfitri 1445 H'],
  ['2024-04-08', 'Cuti bersama Idulfitri'],
]);

describe('explainDays', () => {
  it('marks the start day, weekends and named days off, and counts exactly the limit', () => {
    // A 5-day step started on Friday 5 April 2024 (WIB) ends on Monday 22 April: Lebaran in between.
    const start = new Date('2024-04-05T10:00:00+07:00');
    const { dueAt } = addWorkingDays(start, 5, 'Asia/Jakarta', lebaran2024);
    const days = explainDays(start, dueAt, 'Asia/Jakarta', lebaran2024, names);
    expect(days[0]).toEqual({
      date: '2024-04-05',
      weekday: 'Jumat',
      counted: false,
      reason: 'hari mulai langkah (tidak dihitung)',
    });
    expect(days.filter((d) => d.counted).map((d) => d.date)).toEqual([
      '2024-04-16',
      '2024-04-17',
      '2024-04-18',
      '2024-04-19',
      '2024-04-22',
    ]);
    expect(days.at(-1)!.date).toBe('2024-04-22');
    expect(days.find((d) => d.date === '2024-04-06')!.reason).toBe('Sabtu');
    expect(days.find((d) => d.date === '2024-04-10')!.reason).toBe('Hari Raya Idulfitri 1445 H');
    expect(days.find((d) => d.date === '2024-04-11')!.reason).toBe('hari libur');
  });

  it('counts the start day itself for a limit in office minutes', () => {
    // 20 office minutes from Friday 5 April 2024, 15:50 WIB: 40 minutes left before 16:30.
    const start = new Date('2024-04-05T15:50:00+07:00');
    const days = explainDays(
      start,
      new Date('2024-04-05T16:10:00+07:00'),
      'Asia/Jakarta',
      lebaran2024,
      names,
      'menit',
    );
    expect(days).toEqual([{ date: '2024-04-05', weekday: 'Jumat', counted: true, reason: null }]);
  });
});
