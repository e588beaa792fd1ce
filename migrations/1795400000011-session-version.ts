import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Signing out ends the user's sessions: every token carries the account's session version, and
 * signing out raises it, so the tokens issued before are refused (as after a password change).
 */
export class SessionVersion1795400000011 implements MigrationInterface {
  name = 'SessionVersion1795400000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "users" ADD "session_version" integer NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "users" DROP COLUMN "session_version"');
  }
}
