import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CASE_SEARCH_ROW_TRIGGER_030 } from './1795400000030-search-off-the-case-row';

/*
 * New cases' search rows are written once per statement, from the statement's inserted rows, not
 * once per row: a legacy import inserts two thousand cases in one statement, and a PL/pgSQL call
 * with its own INSERT for each of them cost about as much as the case rows themselves (0.15 ms a
 * row over a million cases: 620-660 ms for 2,000 rows with the row trigger, 220-380 ms without).
 * An edit of a searched column still updates its one row (trg_cases_search, now on UPDATE only).
 * What a search row holds is said once, by yk_case_search_row(), for both triggers.
 */
/** What a search row holds, as this migration defines it (migration 032's down() restores it). */
export const CASE_SEARCH_ROW_031 = `FUNCTION yk_case_search_row(c cases, OUT search_text text, OUT complainant_name text)
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT yk_fold(c.register_number || ' ' || coalesce(c.locus_regency, '') || ' ' || c.summary),
               yk_fold(c.complainant->>'name')
      $$`;

export class CaseSearchPerStatement1795400000031 implements MigrationInterface {
  name = 'CaseSearchPerStatement1795400000031';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE ${CASE_SEARCH_ROW_031}`);
    await q.query(`CREATE OR REPLACE FUNCTION yk_case_search() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO case_search (case_id, search_text, complainant_name)
        SELECT NEW.id, r.search_text, r.complainant_name FROM yk_case_search_row(NEW) r
        ON CONFLICT (case_id) DO UPDATE
          SET search_text = EXCLUDED.search_text, complainant_name = EXCLUDED.complainant_name;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION yk_case_search_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO case_search (case_id, search_text, complainant_name)
        SELECT a.id, r.search_text, r.complainant_name FROM added a, yk_case_search_row(a) r
        ON CONFLICT (case_id) DO UPDATE
          SET search_text = EXCLUDED.search_text, complainant_name = EXCLUDED.complainant_name;
        RETURN NULL;
      END $$`);
    await q.query('DROP TRIGGER trg_cases_search ON cases');
    await q.query(`CREATE TRIGGER trg_cases_search AFTER UPDATE OF register_number, locus_regency, summary, complainant
      ON cases FOR EACH ROW EXECUTE FUNCTION yk_case_search()`);
    await q.query(`CREATE TRIGGER trg_cases_search_added AFTER INSERT ON cases
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION yk_case_search_added()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER trg_cases_search_added ON cases');
    await q.query('DROP FUNCTION yk_case_search_added()');
    await q.query('DROP TRIGGER trg_cases_search ON cases');
    await q.query(`CREATE OR REPLACE ${CASE_SEARCH_ROW_TRIGGER_030}`);
    await q.query('DROP FUNCTION yk_case_search_row(cases)');
    await q.query(`CREATE TRIGGER trg_cases_search AFTER INSERT OR UPDATE OF register_number, locus_regency, summary, complainant
      ON cases FOR EACH ROW EXECUTE FUNCTION yk_case_search()`);
  }
}
