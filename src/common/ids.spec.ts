import { newId } from './ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  it('is a UUID of version 7 whose first 48 bits are the instant it was made', () => {
    const at = Date.UTC(2026, 11, 7, 16, 30, 0, 123);
    const id = newId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by the instant, as text and as PostgreSQL orders uuids (byte by byte)', () => {
    const instants = [
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 0, 1) + 1,
      Date.UTC(2026, 5, 1),
      Date.UTC(2200, 0, 1),
    ];
    const ids = instants.map((at) => newId(at));
    expect([...ids].sort()).toEqual(ids);
  });

  it('draws new random bits for every id, past its pool of random bytes', () => {
    const at = Date.now();
    const ids = Array.from({ length: 2_000 }, () => newId(at));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});
