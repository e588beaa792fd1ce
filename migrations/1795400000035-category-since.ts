import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A report as of a past instant counts each case in the unit and category of its last event up to
 * that instant. A case whose last event came later was looked up in its history, one index probe
 * each: at the annual report's cut-off (a week after the year) a fifth of the year's cases, and at
 * ten million cases most of the national recap's time. Most of those later events (a letter, a
 * reminder, an institution's response) leave the unit and the category as they were, so the case
 * row now says since when they have stood (`category_since`), and only a case whose unit or
 * category changed after the cut-off is looked up.
 *
 * Filled here from each case's history: the start of the last run of events that leave its unit
 * and category of now, and never before the last event that gave others (the later of the two, so
 * an instant that orders events by time and then by seq still finds the run). The indexes of
 * receipt carry it, so the reports still read the period's cases from those indexes alone.
 */
const COVERS = {
  new: {
    cases_unit_received_cover:
      'ON "cases" ("unit_code", "received_at") INCLUDE ("id", "last_event_at", "category_since", "category", "locus_province_code", "register_number", "state")',
    cases_received_cover:
      'ON "cases" ("received_at") INCLUDE ("unit_code", "id", "last_event_at", "category_since", "category", "locus_province_code", "register_number", "state")',
  },
  old: {
    cases_unit_received_cover:
      'ON "cases" ("unit_code", "received_at") INCLUDE ("id", "last_event_at", "category", "locus_province_code", "register_number", "state")',
    cases_received_cover:
      'ON "cases" ("received_at") INCLUDE ("unit_code", "id", "last_event_at", "category", "locus_province_code", "register_number", "state")',
  },
} as const;

async function rebuildCovers(q: QueryRunner, definitions: Record<string, string>): Promise<void> {
  for (const [name, definition] of Object.entries(definitions)) {
    await q.query(`DROP INDEX "${name}"`);
    await q.query(`CREATE INDEX "${name}" ${definition}`);
  }
}

export class CategorySince1795400000035 implements MigrationInterface {
  name = 'CategorySince1795400000035';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "cases" ADD "category_since" TIMESTAMP WITH TIME ZONE');
    // An event without a category or a unit of its own takes the case's (as the reports read it).
    await q.query(
      `UPDATE cases c SET category_since = greatest(s.run_start, s.last_other)
         FROM (SELECT c2.id,
                      (SELECT min(e.occurred_at) FROM case_events e WHERE e.case_id = c2.id AND e.seq > coalesce(o.seq, -1)) AS run_start,
                      o.occurred_at AS last_other
                 FROM cases c2
                 LEFT JOIN LATERAL (SELECT max(d.seq) AS seq, max(d.occurred_at) AS occurred_at FROM case_events d
                                     WHERE d.case_id = c2.id AND (d.unit_code <> c2.unit_code OR d.to_category <> c2.category)) o ON true) s
        WHERE s.id = c.id AND s.run_start IS NOT NULL`,
    );
    await rebuildCovers(q, COVERS.new);
  }

  async down(q: QueryRunner): Promise<void> {
    await rebuildCovers(q, COVERS.old);
    await q.query('ALTER TABLE "cases" DROP COLUMN "category_since"');
  }
}
