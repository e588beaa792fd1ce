import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * How many SLA checks of a case failed in a row. A failing case is retried later, on its own,
 * and parked (next_sla_check_at NULL, reported to the administrators) after a few failures,
 * so it never holds up the sweep of every other case.
 */
export class SlaCheckFailures1795400000018 implements MigrationInterface {
  name = 'SlaCheckFailures1795400000018';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "cases" ADD "sla_check_failures" integer NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "cases" DROP COLUMN "sla_check_failures"');
  }
}
