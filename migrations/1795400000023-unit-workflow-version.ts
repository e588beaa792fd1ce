import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A unit may be kept on an older version of the complaint workflow while its staff are trained
 * (mediation comes with version 2). NULL: the unit's new cases start on the newest version.
 */
export class UnitWorkflowVersion1795400000023 implements MigrationInterface {
  name = 'UnitWorkflowVersion1795400000023';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "unit_settings" ADD "workflow_version" integer');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "unit_settings" DROP COLUMN "workflow_version"');
  }
}
