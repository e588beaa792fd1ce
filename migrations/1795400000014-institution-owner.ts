import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * An institution's addresses decide where official letters and reminders go: only ADMIN and the
 * supervisors of the unit that registered it may change them. Institutions registered before
 * have no known unit, so only ADMIN may change those.
 */
export class InstitutionOwner1795400000014 implements MigrationInterface {
  name = 'InstitutionOwner1795400000014';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "institutions" ADD "registered_by_unit" character varying(32)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "institutions" DROP COLUMN "registered_by_unit"');
  }
}
