import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The case list's year filter reads the register's year (the year of receipt in the unit's zone),
 * newest first: one index per unit and year, and one for the national view of a year.
 */
export class ListIndexes1795400000029 implements MigrationInterface {
  name = 'ListIndexes1795400000029';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE INDEX "cases_unit_year_received" ON "cases" ("unit_code", "register_year", "received_at" DESC)',
    );
    await q.query('CREATE INDEX "cases_year_received" ON "cases" ("register_year", "received_at" DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "cases_year_received"');
    await q.query('DROP INDEX "cases_unit_year_received"');
  }
}
