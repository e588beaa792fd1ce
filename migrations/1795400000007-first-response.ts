import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Each case keeps the time of its first institution's response, so the indicator's "cases
 * followed up in the period" reads one column instead of searching every case's history.
 */
export class FirstResponse1795400000007 implements MigrationInterface {
  name = 'FirstResponse1795400000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "cases" ADD "first_response_at" TIMESTAMP WITH TIME ZONE');
    await q.query(`
      UPDATE cases c SET first_response_at = f.first_at
        FROM (SELECT case_id, min(occurred_at) AS first_at FROM case_events WHERE type = 'TANGGAPAN' GROUP BY case_id) f
       WHERE f.case_id = c.id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "cases" DROP COLUMN "first_response_at"');
  }
}
