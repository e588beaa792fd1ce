import { morningOf } from './case-import.service';

describe('morningOf: a spreadsheet date as 09:00 in the unit zone', () => {
  it('reads ISO and day/month/year dates in each Indonesian zone', () => {
    expect(morningOf('2024-04-10', 'Asia/Jakarta')?.toISOString()).toBe('2024-04-10T02:00:00.000Z');
    expect(morningOf('10/4/2024', 'Asia/Makassar')?.toISOString()).toBe('2024-04-10T01:00:00.000Z');
    expect(morningOf('01/12/2023', 'Asia/Jayapura')?.toISOString()).toBe('2023-12-01T00:00:00.000Z');
  });

  it('refuses what is not a real date', () => {
    for (const value of [
      '2023-02-29',
      '31/4/2024',
      '2024-13-01',
      '2024-4-1',
      'kemarin',
      '2024-04-10T09:00',
    ]) {
      expect(morningOf(value, 'Asia/Jakarta')).toBeNull();
    }
  });
});
