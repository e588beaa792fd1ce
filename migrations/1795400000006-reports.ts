import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Reports: each history row carries the recap category after its event, so a report can read the
 * category as of any cut-off; and the indicator targets per unit and year. Rows written before
 * this migration get their category from the decision events before them, the one time the
 * append-only rule is lifted, inside this migration's transaction.
 */
export class Reports1795400000006 implements MigrationInterface {
  name = 'Reports1795400000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE TABLE "indicator_targets" ("unit_code" character varying(32) NOT NULL, "year" integer NOT NULL, "target_percent" numeric(7,2) NOT NULL, "denominator" character varying(16) NOT NULL, "target_count" integer, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_indicator_targets" PRIMARY KEY ("unit_code", "year"))',
    );
    await q.query(
      'ALTER TABLE "case_events" ADD "to_category" character varying(32) NOT NULL DEFAULT \'PROSES\'',
    );
    await q.query(
      'CREATE INDEX "idx_case_events_case_occurred" ON "case_events"  ("case_id", "occurred_at") ',
    );
    await q.query('ALTER TABLE case_events DISABLE TRIGGER trg_case_events_append_only');
    await q.query(`
      UPDATE case_events e SET to_category = coalesce(d.category, 'PROSES')
        FROM (SELECT id, (array_remove(array_agg(decision) OVER (PARTITION BY case_id ORDER BY seq), NULL))[1] AS category
                FROM (SELECT id, case_id, seq,
                             CASE WHEN type IN ('FILE', 'TIDAK_BERWENANG', 'DICABUT') THEN 'FILE'
                                  WHEN type = 'REKOMENDASI_SEGERA' THEN 'REKOMENDASI'
                                  WHEN type = 'SETUJUI_TELAAH' AND payload->>'kesimpulan' = 'FILE' THEN 'TELAAH_FILE'
                                  WHEN type = 'SETUJUI_TELAAH' THEN 'TELAAH_REKOMENDASI' END AS decision
                        FROM case_events) x) d
       WHERE d.id = e.id`);
    await q.query('ALTER TABLE case_events ENABLE TRIGGER trg_case_events_append_only');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "public"."idx_case_events_case_occurred"');
    await q.query('ALTER TABLE "case_events" DROP COLUMN "to_category"');
    await q.query('DROP TABLE "indicator_targets"');
  }
}
