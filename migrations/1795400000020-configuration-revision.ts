import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The calendar's revision becomes the revision of every setting a deadline or a reminder is
 * computed from: the calendar, the units (time zone, office hours, due-soon share, escalation
 * grace) and the reminder schedules. Each change bumps it in its own transaction; every instance
 * compares it before computing from its cached copy, and an event's compare-and-set checks it, so
 * nothing is written from a copy another instance has already changed.
 */
export class ConfigurationRevision1795400000020 implements MigrationInterface {
  name = 'ConfigurationRevision1795400000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "calendar_revision" RENAME TO "configuration_revision"');
    await q.query(
      'ALTER TABLE "configuration_revision" RENAME CONSTRAINT "chk_calendar_revision_single" TO "chk_configuration_revision_single"',
    );
    await q.query(
      'ALTER TABLE "configuration_revision" RENAME CONSTRAINT "calendar_revision_pkey" TO "pk_configuration_revision"',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE "configuration_revision" RENAME CONSTRAINT "pk_configuration_revision" TO "calendar_revision_pkey"',
    );
    await q.query(
      'ALTER TABLE "configuration_revision" RENAME CONSTRAINT "chk_configuration_revision_single" TO "chk_calendar_revision_single"',
    );
    await q.query('ALTER TABLE "configuration_revision" RENAME TO "calendar_revision"');
  }
}
