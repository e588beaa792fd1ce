import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Stopping the reminders to an institution is a decision: who stopped them, when and why are kept
 * on the dispatch (status DIHENTIKAN), beside the case's history row of the same decision.
 */
export class DispatchStops1795400000022 implements MigrationInterface {
  name = 'DispatchStops1795400000022';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "dispatches" ADD "stopped_at" TIMESTAMP WITH TIME ZONE,
                   ADD "stopped_by" uuid CONSTRAINT "fk_dispatches_stopped_by" REFERENCES "users" ("id"),
                   ADD "stop_reason" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE "dispatches" DROP COLUMN "stop_reason", DROP COLUMN "stopped_by", DROP COLUMN "stopped_at"',
    );
  }
}
