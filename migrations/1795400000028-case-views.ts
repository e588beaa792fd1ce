import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Saved views of the case list: a user's named filters (the list's own query fields, never a
 * complainant's name), at most a few dozen per user, one per name.
 */
export class CaseViews1795400000028 implements MigrationInterface {
  name = 'CaseViews1795400000028';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "case_views" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
      "name" character varying(80) NOT NULL CHECK (length(btrim("name")) BETWEEN 1 AND 80),
      "filters" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE UNIQUE INDEX "uq_case_views_user_name" ON "case_views" ("user_id", lower("name"))');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "case_views"');
  }
}
