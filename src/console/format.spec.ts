import { civilDate, dateTime, fromLocalInput, localInput } from './format';

describe('console formats', () => {
  it('shows instants in the unit zone with its Indonesian name', () => {
    expect(dateTime('2026-03-02T02:15:00Z', 'Asia/Jakarta')).toBe('2 Mar 2026, 09.15 WIB');
    expect(dateTime('2026-03-02T02:15:00Z', 'Asia/Jayapura')).toBe('2 Mar 2026, 11.15 WIT');
    expect(civilDate('2024-04-10')).toBe('Rabu, 10 Apr 2024');
  });

  it('reads a datetime-local field as wall time in the zone, and back', () => {
    expect(fromLocalInput('2026-03-02T09:15', 'Asia/Jakarta')).toBe('2026-03-02T09:15:00+07:00');
    expect(fromLocalInput('2026-03-02T09:15', 'Asia/Makassar')).toBe('2026-03-02T09:15:00+08:00');
    expect(fromLocalInput('kemarin', 'Asia/Jakarta')).toBeNull();
    expect(localInput(new Date('2026-03-02T02:15:00Z'), 'Asia/Jayapura')).toBe('2026-03-02T11:15');
  });
});
