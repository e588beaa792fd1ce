import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A password try is written before the password is checked, as in flight (`confirmed` false),
 * and confirmed as a failure, or deleted, once checked. Tries in flight bound how many passwords
 * parallel guesses can have checked, without refusing people who sign in at the same moment.
 */
export class PasswordTriesInFlight1795400000016 implements MigrationInterface {
  name = 'PasswordTriesInFlight1795400000016';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "login_failures" ADD "confirmed" boolean NOT NULL DEFAULT true');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "login_failures" DROP COLUMN "confirmed"');
  }
}
