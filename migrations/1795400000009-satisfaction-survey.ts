import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The satisfaction survey (IKM): the questionnaire as data (the nine elements of the national
 * public-service survey, PermenPANRB 14/2017), one single-use invitation per closed case (kept as
 * a hash), one response per case, and the IKM targets per unit and year.
 */
const ELEMENTS: [string, string, string][] = [
  [
    'U1',
    'Persyaratan',
    'Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?',
  ],
  ['U2', 'Sistem, mekanisme dan prosedur', 'Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan?'],
  ['U3', 'Waktu penyelesaian', 'Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?'],
  [
    'U4',
    'Biaya/tarif',
    'Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan (pelayanan ini tidak dipungut biaya)?',
  ],
  [
    'U5',
    'Produk spesifikasi jenis pelayanan',
    'Bagaimana pendapat Anda tentang kesesuaian hasil pelayanan dengan yang tercantum dalam standar pelayanan?',
  ],
  [
    'U6',
    'Kompetensi pelaksana',
    'Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?',
  ],
  [
    'U7',
    'Perilaku pelaksana',
    'Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?',
  ],
  [
    'U8',
    'Penanganan pengaduan, saran dan masukan',
    'Bagaimana pendapat Anda tentang penanganan pengaduan, saran dan masukan?',
  ],
  ['U9', 'Sarana dan prasarana', 'Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?'],
];

export class SatisfactionSurvey1795400000009 implements MigrationInterface {
  name = 'SatisfactionSurvey1795400000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "survey_questions" ("code" character varying(8) NOT NULL, "element" text NOT NULL, "question" text NOT NULL,
      "sort_order" integer NOT NULL, "active" boolean NOT NULL DEFAULT true, CONSTRAINT "pk_survey_questions" PRIMARY KEY ("code"))`);
    await q.query(`CREATE TABLE "survey_invitations" ("case_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "unit_code" character varying(32) NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "pk_survey_invitations" PRIMARY KEY ("case_id"), CONSTRAINT "fk_survey_invitations_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id"))`);
    await q.query(
      'CREATE UNIQUE INDEX "uq_survey_invitations_token_hash" ON "survey_invitations" ("token_hash")',
    );
    await q.query(`CREATE TABLE "survey_responses" ("case_id" uuid NOT NULL, "unit_code" character varying(32) NOT NULL, "answered_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "answers" jsonb NOT NULL, "score" numeric(6,4) NOT NULL, "suggestion" text,
      CONSTRAINT "pk_survey_responses" PRIMARY KEY ("case_id"), CONSTRAINT "fk_survey_responses_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id"))`);
    await q.query(
      'CREATE INDEX "idx_survey_responses_unit_answered" ON "survey_responses" ("unit_code", "answered_at")',
    );
    await q.query(`CREATE TABLE "ikm_targets" ("unit_code" character varying(32) NOT NULL, "year" integer NOT NULL, "target" numeric(4,2) NOT NULL,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_ikm_targets" PRIMARY KEY ("unit_code", "year"))`);
    for (const [i, [code, element, question]] of ELEMENTS.entries()) {
      await q.query(
        'INSERT INTO survey_questions (code, element, question, sort_order) VALUES ($1, $2, $3, $4)',
        [code, element, question, i + 1],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "ikm_targets"');
    await q.query('DROP TABLE "survey_responses"');
    await q.query('DROP TABLE "survey_invitations"');
    await q.query('DROP TABLE "survey_questions"');
  }
}
