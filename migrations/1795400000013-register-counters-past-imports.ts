import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Imports could take numbers in the service's own format (`KANWIL-JK/2026/00002`), even another
 * unit's, without moving that unit's counter: every later registration of that unit then drew a
 * taken number and failed for good. Imports now move the counter themselves; this moves every
 * counter past the numbers already taken.
 */
export class RegisterCountersPastImports1795400000013 implements MigrationInterface {
  name = 'RegisterCountersPastImports1795400000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO register_counters (unit_code, year, last_value)
      SELECT parts[1], parts[2]::int, max(parts[3]::int)
        FROM (SELECT regexp_match(register_number, '^([A-Z]+(?:-[A-Z]+)?)/(\\d{4})/(\\d{5,9})$') AS parts FROM cases) taken
       WHERE parts IS NOT NULL AND EXISTS (SELECT 1 FROM units u WHERE u.code = parts[1])
       GROUP BY parts[1], parts[2]
      ON CONFLICT (unit_code, year) DO UPDATE SET last_value = GREATEST(register_counters.last_value, EXCLUDED.last_value)`);
  }

  async down(): Promise<void> {
    // Counters only ever move forward: nothing to undo.
  }
}
