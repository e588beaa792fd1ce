import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The recap, the indicator and the drill-down read the period's cases and follow-ups from their
 * indexes alone. A unit's or the nation's cases received in a period, and the follow-up events of
 * a period, were found by index and then read from the table, one random page each (at ten
 * million cases, most of a recap's time); the indexes of receipt and of the events' time now
 * carry the columns those reads use (INCLUDE), and the cases' ids carry what a follow-up's case
 * adds to it, so each is an index-only range. The narrow indexes they replace served nothing else.
 *
 * The price is on the write side: an event already rewrites every index of its case (it changes
 * the state and the deadline, both indexed), and now writes wider entries and one index more.
 */
const COVERING_INDEXES = [
  [
    'cases_unit_received_cover',
    'ON "cases" ("unit_code", "received_at") INCLUDE ("id", "last_event_at", "category", "locus_province_code", "register_number", "state")',
  ],
  [
    'cases_received_cover',
    'ON "cases" ("received_at") INCLUDE ("unit_code", "id", "last_event_at", "category", "locus_province_code", "register_number", "state")',
  ],
  [
    'case_events_unit_occurred_cover',
    'ON "case_events" ("unit_code", "occurred_at") INCLUDE ("type", "case_id")',
  ],
  [
    'case_events_type_occurred_cover',
    'ON "case_events" ("type", "occurred_at") INCLUDE ("unit_code", "case_id")',
  ],
] as const;

export class ReportsReadTheirIndexes1795400000033 implements MigrationInterface {
  name = 'ReportsReadTheirIndexes1795400000033';

  async up(q: QueryRunner): Promise<void> {
    for (const [name, definition] of COVERING_INDEXES) await q.query(`CREATE INDEX "${name}" ${definition}`);
    await q.query(
      'CREATE UNIQUE INDEX "cases_id_cover" ON "cases" ("id") INCLUDE ("first_response_at", "locus_province_code", "register_number", "received_at", "state")',
    );
    await q.query('DROP INDEX "idx_cases_unit_received"');
    await q.query('DROP INDEX "idx_cases_received"');
    await q.query('DROP INDEX "idx_case_events_unit_occurred"');
    await q.query('DROP INDEX "idx_case_events_type_occurred"');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX "idx_case_events_type_occurred" ON "case_events" ("type", "occurred_at")');
    await q.query(
      'CREATE INDEX "idx_case_events_unit_occurred" ON "case_events" ("unit_code", "occurred_at")',
    );
    await q.query('CREATE INDEX "idx_cases_received" ON "cases" ("received_at")');
    await q.query('CREATE INDEX "idx_cases_unit_received" ON "cases" ("unit_code", "received_at")');
    await q.query('DROP INDEX "cases_id_cover"');
    for (const [name] of [...COVERING_INDEXES].reverse()) await q.query(`DROP INDEX "${name}"`);
  }
}
