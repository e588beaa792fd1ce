import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A recap's follow-ups of a period (TANGGAPAN, KASUS DITANGGAPI) were read from the events' index
 * and then each looked up in its case, for its locus and whether it was the case's first
 * follow-up: one probe of the cases' key per follow-up, at ten million cases half a million
 * random reads for a national year. Both are facts of the moment the event was written (a case's
 * locus is set at registration and never changes; the first follow-up is the one that set
 * first_response_at), so the history row now records them, and the indexes of the events' time
 * carry them: the counts are read from those indexes alone.
 *
 * Rows written before stay as they were (the history is append-only): their columns are null, and
 * the reports read their cases as before.
 */
const COVERS = {
  new: {
    case_events_unit_occurred_cover:
      'ON "case_events" ("unit_code", "occurred_at") INCLUDE ("type", "case_id", "locus_province_code", "first_follow_up")',
    case_events_type_occurred_cover:
      'ON "case_events" ("type", "occurred_at") INCLUDE ("unit_code", "case_id", "locus_province_code", "first_follow_up")',
  },
  old: {
    case_events_unit_occurred_cover:
      'ON "case_events" ("unit_code", "occurred_at") INCLUDE ("type", "case_id")',
    case_events_type_occurred_cover:
      'ON "case_events" ("type", "occurred_at") INCLUDE ("unit_code", "case_id")',
  },
} as const;

async function rebuildCovers(q: QueryRunner, definitions: Record<string, string>): Promise<void> {
  for (const [name, definition] of Object.entries(definitions)) {
    await q.query(`DROP INDEX "${name}"`);
    await q.query(`CREATE INDEX "${name}" ${definition}`);
  }
}

export class FollowUpsOnTheHistory1795400000036 implements MigrationInterface {
  name = 'FollowUpsOnTheHistory1795400000036';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE "case_events" ADD "locus_province_code" character varying(16), ADD "first_follow_up" boolean',
    );
    await rebuildCovers(q, COVERS.new);
  }

  async down(q: QueryRunner): Promise<void> {
    await rebuildCovers(q, COVERS.old);
    await q.query(
      'ALTER TABLE "case_events" DROP COLUMN "first_follow_up", DROP COLUMN "locus_province_code"',
    );
  }
}
