import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The cases' primary key and `cases_id_cover` (migration 033) were two unique btrees of the same
 * key, and every event, which rewrites the case row without HOT (its state and deadline are
 * indexed), wrote an entry into both. The primary key now carries the columns the cover carried
 * (INCLUDE), so the follow-ups of a report still read their cases from the index alone, and each
 * write of a case has one index entry less.
 *
 * A primary key is not replaced in place: the foreign keys that reference it are dropped with it
 * and added again as they were (read from the catalogue, so none is missed), which checks them
 * once more against the rows that reference a case.
 */
const COVERED = '"first_response_at", "locus_province_code", "register_number", "received_at", "state"';

interface Reference {
  name: string;
  table: string;
  definition: string;
}

async function referencesToCases(q: QueryRunner): Promise<Reference[]> {
  return (await q.query(
    `SELECT conname AS name, conrelid::regclass::text AS "table", pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE confrelid = 'cases'::regclass AND contype = 'f' ORDER BY conname`,
  )) as Reference[];
}

async function replacePrimaryKey(q: QueryRunner, key: string, afterDrop: () => Promise<void>): Promise<void> {
  const references = await referencesToCases(q);
  for (const fk of references) await q.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT "${fk.name}"`);
  await q.query('ALTER TABLE "cases" DROP CONSTRAINT "pk_cases"');
  await afterDrop();
  await q.query(`ALTER TABLE "cases" ADD CONSTRAINT "pk_cases" ${key}`);
  for (const fk of references)
    await q.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT "${fk.name}" ${fk.definition}`);
}

export class PrimaryKeyCovers1795400000034 implements MigrationInterface {
  name = 'PrimaryKeyCovers1795400000034';

  async up(q: QueryRunner): Promise<void> {
    await replacePrimaryKey(q, `PRIMARY KEY ("id") INCLUDE (${COVERED})`, async () => {
      await q.query('DROP INDEX "cases_id_cover"');
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await replacePrimaryKey(q, 'PRIMARY KEY ("id")', async () => {
      await q.query(`CREATE UNIQUE INDEX "cases_id_cover" ON "cases" ("id") INCLUDE (${COVERED})`);
    });
  }
}
