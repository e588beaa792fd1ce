import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Documents attached to a case (the complaint letter, evidence, an institution's answer). They are
 * part of the record like the history: kept in the database with their hash, never changed or
 * removed (the same trigger as the history and the audit log).
 */
export class CaseAttachments1795400000010 implements MigrationInterface {
  name = 'CaseAttachments1795400000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "case_attachments" ("id" uuid NOT NULL, "case_id" uuid NOT NULL, "file_name" character varying(255) NOT NULL,
      "content_type" character varying(200) NOT NULL, "size_bytes" integer NOT NULL, "sha256" character varying(64) NOT NULL, "content" bytea NOT NULL,
      "description" text, "uploaded_by" uuid NOT NULL, "uploaded_by_username" character varying(64) NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "pk_case_attachments" PRIMARY KEY ("id"), CONSTRAINT "fk_case_attachments_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id"))`);
    await q.query(
      'CREATE INDEX "idx_case_attachments_case" ON "case_attachments" ("case_id", "uploaded_at")',
    );
    await q.query(`CREATE TRIGGER trg_case_attachments_append_only BEFORE UPDATE OR DELETE ON case_attachments
      FOR EACH ROW EXECUTE FUNCTION refuse_history_change()`);
    await q.query(`CREATE TRIGGER trg_case_attachments_no_truncate BEFORE TRUNCATE ON case_attachments
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "case_attachments"');
  }
}
