import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The calendar's revision, bumped in the transaction of every correction. Each instance compares
 * it before it computes with its cached calendar, so no instance counts a deadline on a calendar
 * another instance has already corrected.
 */
export class CalendarRevision1795400000019 implements MigrationInterface {
  name = 'CalendarRevision1795400000019';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "calendar_revision" ("id" boolean PRIMARY KEY DEFAULT true CONSTRAINT "chk_calendar_revision_single" CHECK ("id"),
                                         "revision" bigint NOT NULL DEFAULT 0)`,
    );
    await q.query('INSERT INTO "calendar_revision" DEFAULT VALUES');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "calendar_revision"');
  }
}
