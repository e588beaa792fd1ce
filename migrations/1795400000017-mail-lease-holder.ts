import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A mail being sent names the attempt that holds it. The sender renews the lease while the SMTP
 * conversation lasts and marks the outcome only while it still holds it, so an instance that lost
 * the lease (it was taken over after expiry) can never mark what another instance is sending.
 */
export class MailLeaseHolder1795400000017 implements MigrationInterface {
  name = 'MailLeaseHolder1795400000017';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "outbox_messages" ADD "lease_holder" uuid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "outbox_messages" DROP COLUMN "lease_holder"');
  }
}
