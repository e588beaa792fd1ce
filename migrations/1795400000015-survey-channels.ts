import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The survey stays the complainant's: the emailed link (SUREL) and a desk invitation (LOKET) are
 * separate invitations, so printing one at the desk no longer voids the link in the complainant's
 * mail; the first answer closes both. Responses record their channel and get an id of their own,
 * so they can be listed without the case they belong to.
 */
export class SurveyChannels1795400000015 implements MigrationInterface {
  name = 'SurveyChannels1795400000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "survey_invitations" ADD "channel" character varying(8) NOT NULL DEFAULT 'SUREL'`,
    );
    await q.query(
      `ALTER TABLE "survey_invitations" ADD CONSTRAINT "chk_survey_invitations_channel" CHECK ("channel" IN ('SUREL', 'LOKET'))`,
    );
    await q.query('ALTER TABLE "survey_invitations" DROP CONSTRAINT "pk_survey_invitations"');
    await q.query(
      'ALTER TABLE "survey_invitations" ADD CONSTRAINT "pk_survey_invitations" PRIMARY KEY ("case_id", "channel")',
    );
    await q.query(
      `ALTER TABLE "survey_responses" ADD "channel" character varying(8) NOT NULL DEFAULT 'SUREL'`,
    );
    await q.query(
      `ALTER TABLE "survey_responses" ADD CONSTRAINT "chk_survey_responses_channel" CHECK ("channel" IN ('SUREL', 'LOKET'))`,
    );
    await q.query('ALTER TABLE "survey_responses" ADD "id" uuid NOT NULL DEFAULT gen_random_uuid()');
    await q.query('CREATE UNIQUE INDEX "uq_survey_responses_id" ON "survey_responses" ("id")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "uq_survey_responses_id"');
    await q.query('ALTER TABLE "survey_responses" DROP COLUMN "id"');
    await q.query('ALTER TABLE "survey_responses" DROP CONSTRAINT "chk_survey_responses_channel"');
    await q.query('ALTER TABLE "survey_responses" DROP COLUMN "channel"');
    await q.query('ALTER TABLE "survey_invitations" DROP CONSTRAINT "pk_survey_invitations"');
    await q.query(`DELETE FROM "survey_invitations" WHERE "channel" = 'LOKET'`);
    await q.query(
      'ALTER TABLE "survey_invitations" ADD CONSTRAINT "pk_survey_invitations" PRIMARY KEY ("case_id")',
    );
    await q.query('ALTER TABLE "survey_invitations" DROP CONSTRAINT "chk_survey_invitations_channel"');
    await q.query('ALTER TABLE "survey_invitations" DROP COLUMN "channel"');
  }
}
