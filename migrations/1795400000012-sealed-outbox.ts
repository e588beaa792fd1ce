import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Mails keep what they send sealed (AES-256-GCM, key outside the database) and show only a
 * masked copy: a complainant's address, tracking code and survey link are readable by no reader
 * of the outbox. `audience` tells a complainant's mail from the others. Rows queued before are
 * sealed by the service at its first start (the key is not the database's to know).
 */
export class SealedOutbox1795400000012 implements MigrationInterface {
  name = 'SealedOutbox1795400000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "outbox_messages" ADD "audience" character varying(16) NOT NULL DEFAULT 'PETUGAS'`,
    );
    await q.query(`ALTER TABLE "outbox_messages" ADD "sealed" bytea`);
    await q.query(`UPDATE "outbox_messages" SET "audience" = CASE
                     WHEN kind IN ('TANDA_TERIMA', 'PENGADU') THEN 'PENGADU'
                     WHEN kind IN ('PENGINGAT_INSTITUSI', 'PENGINGAT_INDUK') THEN 'INSTITUSI'
                     ELSE 'PETUGAS' END`);
    // Instances of the previous release write no audience during a rolling upgrade: their mails
    // count as a complainant's, the most guarded, and are sealed by the next dispatch.
    await q.query(`ALTER TABLE "outbox_messages" ALTER COLUMN "audience" SET DEFAULT 'PENGADU'`);
    await q.query(
      `ALTER TABLE "outbox_messages" ADD CONSTRAINT "chk_outbox_messages_audience" CHECK ("audience" IN ('PENGADU', 'INSTITUSI', 'PETUGAS'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox_messages" DROP CONSTRAINT "chk_outbox_messages_audience"`);
    await q.query(`ALTER TABLE "outbox_messages" DROP COLUMN "sealed"`);
    await q.query(`ALTER TABLE "outbox_messages" DROP COLUMN "audience"`);
  }
}
