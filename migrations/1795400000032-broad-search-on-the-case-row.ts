import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CASE_SEARCH_ROW_031 } from './1795400000031-case-search-per-statement';

/*
 * Two things a word found in thousands of cases needs, whose page reads the cases newest first
 * and tests each one until fifty match (cases.service.ts):
 *
 * 1. The folded text on the case row again, as a plain column without an index. Looking each case
 *    up in `case_search` cost about 4 µs a case over a million cases (all in memory) and was a
 *    random read at ten million (23 s for the bench's common word, against 4.7 s with the text on
 *    the row); folding the text while scanning cost more still. An event pays nothing for an
 *    unindexed column it does not change, and the trigram indexes stay in `case_search`, where an
 *    event never writes. What the text holds is said once, by yk_case_search_text(), a plain SQL
 *    expression that PostgreSQL inlines into the row trigger below (2,000 cases inserted in one
 *    statement: 400-539 ms with the trigger, 412-573 ms without it, 497-841 ms when it called
 *    yk_case_search_row()); yk_case_search_row(), which the search rows' triggers call
 *    (migration 031), takes its text from it.
 *
 * 2. The vocabulary: every word of letters (four or more) that a case's search text holds, with a
 *    trigram index. A word with a typo was tested as `word <% text`, a similarity against every
 *    stretch of each case's text (about 5 µs a case); it is now looked up once among the words
 *    and the cases are tested for the close words found, with LIKE, as the word itself is. The
 *    vocabulary follows the search rows (registration, an edit, an import); it holds bare words,
 *    never which case they came from.
 */
export class BroadSearchOnTheCaseRow1795400000032 implements MigrationInterface {
  name = 'BroadSearchOnTheCaseRow1795400000032';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "cases" ADD "search_text" text');
    await q.query(`CREATE FUNCTION yk_case_search_text(c cases) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT yk_fold(c.register_number || ' ' || coalesce(c.locus_regency, '') || ' ' || c.summary)
      $$`);
    await q.query(`CREATE OR REPLACE FUNCTION yk_case_search_row(c cases, OUT search_text text, OUT complainant_name text)
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT yk_case_search_text(c), yk_fold(c.complainant->>'name')
      $$`);
    await q.query(`CREATE FUNCTION yk_case_scan_text() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_text := yk_case_search_text(NEW);
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER trg_cases_scan_text BEFORE INSERT OR UPDATE OF register_number, locus_regency, summary
      ON cases FOR EACH ROW EXECUTE FUNCTION yk_case_scan_text()`);
    await q.query(
      'UPDATE "cases" c SET "search_text" = s."search_text" FROM "case_search" s WHERE s."case_id" = c."id"',
    );

    await q.query('CREATE TABLE "case_search_words" ("word" text PRIMARY KEY)');
    await q.query(
      'CREATE INDEX "case_search_words_trgm" ON "case_search_words" USING gin ("word" gin_trgm_ops)',
    );
    // What a word is: the one definition, for the vocabulary's triggers and its first filling.
    await q.query(`CREATE FUNCTION yk_search_words(text) RETURNS SETOF text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT DISTINCT w FROM regexp_split_to_table($1, '[^[:alpha:]]+') w WHERE length(w) >= 4
      $$`);
    await q.query(`CREATE FUNCTION yk_case_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- In the words' order: two registrations bringing the same new words wait for each
        -- other in one order, never each for the other (a deadlock).
        INSERT INTO case_search_words (word)
        SELECT DISTINCT w FROM written s, yk_search_words(s.search_text) w ORDER BY w
        ON CONFLICT (word) DO NOTHING;
        RETURN NULL;
      END $$`);
    // Per statement: an import writes two thousand search rows in one.
    await q.query(`CREATE TRIGGER trg_case_search_words_added AFTER INSERT ON case_search
      REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION yk_case_search_words()`);
    await q.query(`CREATE TRIGGER trg_case_search_words_changed AFTER UPDATE ON case_search
      REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION yk_case_search_words()`);
    await q.query(`INSERT INTO case_search_words (word)
      SELECT DISTINCT w FROM case_search s, yk_search_words(s.search_text) w`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER trg_case_search_words_changed ON case_search');
    await q.query('DROP TRIGGER trg_case_search_words_added ON case_search');
    await q.query('DROP FUNCTION yk_case_search_words()');
    await q.query('DROP FUNCTION yk_search_words(text)');
    await q.query('DROP TABLE "case_search_words"');
    await q.query('DROP TRIGGER trg_cases_scan_text ON cases');
    await q.query('DROP FUNCTION yk_case_scan_text()');
    await q.query(`CREATE OR REPLACE ${CASE_SEARCH_ROW_031}`);
    await q.query('DROP FUNCTION yk_case_search_text(cases)');
    await q.query('ALTER TABLE "cases" DROP COLUMN "search_text"');
  }
}
