import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The desk's daily work:
 * - the office's address, for the printed forms;
 * - a case's officer steps belong to its assignee (named by the unit's head), no longer to whoever
 *   last worked it; the officer recorded so far becomes the assignee;
 * - a case filed as a repeat names the case it repeats;
 * - internal notes, append-only;
 * - one registration per complaint: the Idempotency-Key of each registration for 24 hours, with
 *   the receipt's tracking code sealed so a repeated request answers the same receipt;
 * - search: a folded (lower-case, accents removed) text of the register number, the regency and
 *   the summary, and of the complainant's name, indexed by trigrams (pg_trgm, unaccent: both
 *   trusted extensions, shipped with PostgreSQL's contrib).
 */
export class DeskWork1795400000024 implements MigrationInterface {
  name = 'DeskWork1795400000024';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "cases" RENAME COLUMN "handler_id" TO "assignee_id"');
    // The office's address heads its printed forms (receipt, disposition sheet).
    await q.query('ALTER TABLE "unit_settings" ADD "office_address" text');
    await q.query(
      'CREATE INDEX "cases_assignee" ON "cases" ("assignee_id", "deadline_due_at") WHERE "assignee_id" IS NOT NULL',
    );
    // A complaint filed as a repeat of an earlier one (FILE { reason: DUPLIKAT, duplicateOf }).
    await q.query('ALTER TABLE "cases" ADD "duplicate_of" uuid');
    await q.query(
      'ALTER TABLE "cases" ADD CONSTRAINT "fk_cases_duplicate_of" FOREIGN KEY ("duplicate_of") REFERENCES "cases"("id") ON DELETE SET NULL',
    );
    await q.query(`CREATE TABLE "case_notes" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "case_id" uuid NOT NULL REFERENCES "cases" ("id"),
      "author_id" uuid NOT NULL,
      "author_username" text NOT NULL,
      "text" text NOT NULL CHECK (length("text") BETWEEN 1 AND 5000),
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX "case_notes_case" ON "case_notes" ("case_id", "created_at")');
    // Notes are never edited nor deleted, whoever asks: the table refuses it as the history does.
    await q.query(`CREATE TRIGGER trg_case_notes_append_only BEFORE UPDATE OR DELETE ON case_notes
      FOR EACH ROW EXECUTE FUNCTION refuse_history_change()`);
    await q.query(`CREATE TRIGGER trg_case_notes_no_truncate BEFORE TRUNCATE ON case_notes
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()`);
    await q.query(`CREATE TABLE "case_registrations" (
      "user_id" uuid NOT NULL,
      "idempotency_key" text NOT NULL,
      "case_id" uuid NOT NULL REFERENCES "cases" ("id") ON DELETE CASCADE,
      "sealed_tracking_code" bytea NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("user_id", "idempotency_key")
    )`);
    await q.query('CREATE INDEX "case_registrations_created" ON "case_registrations" ("created_at")');

    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    await q.query('CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public');
    // unaccent() is only STABLE (its dictionary could change); with the dictionary named, the
    // folding is fixed, which an index and a generated column need.
    await q.query(`CREATE FUNCTION yk_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`);
    // Kept by a trigger rather than as a generated column: the entity declares it as a column
    // the service never writes, and the schema comparison of the migrations stays exact.
    await q.query('ALTER TABLE "cases" ADD "search_text" text');
    await q.query(`CREATE FUNCTION yk_case_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_text := yk_fold(NEW.register_number || ' ' || coalesce(NEW.locus_regency, '') || ' ' || NEW.summary);
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER trg_cases_search_text BEFORE INSERT OR UPDATE OF register_number, locus_regency, summary
      ON cases FOR EACH ROW EXECUTE FUNCTION yk_case_search_text()`);
    await q.query('UPDATE "cases" SET "summary" = "summary"');
    await q.query('CREATE INDEX "cases_search_trgm" ON "cases" USING gin ("search_text" gin_trgm_ops)');
    await q.query(
      `CREATE INDEX "cases_complainant_trgm" ON "cases" USING gin (yk_fold("complainant"->>'name') gin_trgm_ops)`,
    );
    await q.query(
      'CREATE INDEX "institutions_name_trgm" ON "institutions" USING gin (yk_fold("name") gin_trgm_ops)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "institutions_name_trgm"');
    await q.query('DROP INDEX "cases_complainant_trgm"');
    await q.query('DROP TRIGGER trg_cases_search_text ON cases');
    await q.query('DROP FUNCTION yk_case_search_text()');
    await q.query('ALTER TABLE "cases" DROP COLUMN "search_text"');
    await q.query('DROP FUNCTION yk_fold(text)');
    await q.query('DROP TABLE "case_registrations"');
    await q.query('DROP TABLE "case_notes"');
    await q.query('DROP INDEX "cases_assignee"');
    await q.query('ALTER TABLE "cases" DROP COLUMN "duplicate_of"');
    await q.query('ALTER TABLE "cases" RENAME COLUMN "assignee_id" TO "handler_id"');
    await q.query('ALTER TABLE "unit_settings" DROP COLUMN "office_address"');
  }
}
