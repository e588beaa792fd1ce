import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Each element of the satisfaction survey has its own answer words, as the national template
 * (PermenPANRB 14/2017) words them: "Tidak mudah .. Sangat mudah" for the procedure, "Sangat mahal
 * .. Gratis" for the cost, and so on. The values stay 1-4; only the words differ per element.
 */
const SCALE_WORDS: Record<string, [string, string, string, string]> = {
  U1: ['Tidak sesuai', 'Kurang sesuai', 'Sesuai', 'Sangat sesuai'],
  U2: ['Tidak mudah', 'Kurang mudah', 'Mudah', 'Sangat mudah'],
  U3: ['Tidak cepat', 'Kurang cepat', 'Cepat', 'Sangat cepat'],
  U4: ['Sangat mahal', 'Cukup mahal', 'Murah', 'Gratis'],
  U5: ['Tidak sesuai', 'Kurang sesuai', 'Sesuai', 'Sangat sesuai'],
  U6: ['Tidak kompeten', 'Kurang kompeten', 'Kompeten', 'Sangat kompeten'],
  U7: ['Tidak sopan dan ramah', 'Kurang sopan dan ramah', 'Sopan dan ramah', 'Sangat sopan dan ramah'],
  U8: ['Tidak ada', 'Ada tetapi tidak berfungsi', 'Berfungsi kurang maksimal', 'Dikelola dengan baik'],
  U9: ['Buruk', 'Cukup', 'Baik', 'Sangat baik'],
};

export class SurveyScaleWords1795400000027 implements MigrationInterface {
  name = 'SurveyScaleWords1795400000027';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "survey_questions" ADD "scale_words" text[]');
    for (const [code, words] of Object.entries(SCALE_WORDS))
      await q.query('UPDATE survey_questions SET scale_words = $2 WHERE code = $1', [code, words]);
    await q.query(
      `ALTER TABLE "survey_questions" ADD CONSTRAINT "chk_survey_questions_scale_words"
         CHECK ("scale_words" IS NULL OR array_length("scale_words", 1) = 4)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "survey_questions" DROP COLUMN "scale_words"');
  }
}
