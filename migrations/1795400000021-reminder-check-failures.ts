import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * How many reminder checks of a dispatch failed in a row. As with the SLA checks of a case, a
 * failing dispatch is retried later on its own and parked (no next check, reported to the
 * administrators) after a few failures, so it never holds up the reminders of any other.
 */
export class ReminderCheckFailures1795400000021 implements MigrationInterface {
  name = 'ReminderCheckFailures1795400000021';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "dispatches" ADD "reminder_check_failures" integer NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "dispatches" DROP COLUMN "reminder_check_failures"');
  }
}
