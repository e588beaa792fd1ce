import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A complainant whose file is incomplete sends the missing documents from the status page: they
 * are the case's attachments like the desk's, uploaded by no user, with `source` saying who sent
 * them, so the desk sees them on the case and nothing of theirs is ever served inline.
 */
export class ComplainantDocuments1795400000026 implements MigrationInterface {
  name = 'ComplainantDocuments1795400000026';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "case_attachments" ALTER COLUMN "uploaded_by" DROP NOT NULL');
    await q.query(
      `ALTER TABLE "case_attachments" ADD "source" character varying(16) NOT NULL DEFAULT 'PETUGAS'
         CONSTRAINT "chk_case_attachments_source" CHECK ("source" IN ('PETUGAS', 'PENGADU'))`,
    );
    await q.query(
      `ALTER TABLE "case_attachments" ADD CONSTRAINT "chk_case_attachments_uploader"
         CHECK (("source" = 'PETUGAS') = ("uploaded_by" IS NOT NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "case_attachments" DROP CONSTRAINT "chk_case_attachments_uploader"');
    await q.query('ALTER TABLE "case_attachments" DROP COLUMN "source"');
    await q.query('ALTER TABLE "case_attachments" ALTER COLUMN "uploaded_by" SET NOT NULL');
  }
}
