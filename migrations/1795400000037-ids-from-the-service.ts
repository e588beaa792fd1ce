import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Every id is made by the service (src/common/ids.ts: time-ordered, so that the indexes keyed by
 * an id take new rows at their right edge). The three tables whose ids PostgreSQL drew at random
 * lose that default: an insert that names no id now fails instead of writing a random one.
 */
const TABLES = ['case_notes', 'case_views', 'survey_responses'] as const;

export class IdsFromTheService1795400000037 implements MigrationInterface {
  name = 'IdsFromTheService1795400000037';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`ALTER TABLE "${table}" ALTER COLUMN "id" DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES)
      await q.query(`ALTER TABLE "${table}" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()`);
  }
}
