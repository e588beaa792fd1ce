import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Reminders to institutions: the institution registry gets further addresses, a type, a province
 * and a folded name for duplicate detection; one dispatch per institution and letter; the
 * reminders decided, unique per dispatch, addressee and stage; per-unit schedules; and the
 * letters' wording, which admins edit. Placeholders: {{penerima}}, {{institusi}}, {{nomorSurat}},
 * {{tanggalSurat}}, {{nomorRegister}}, {{tenggat}}, {{unit}}.
 */
export const LETTER_TEMPLATES: [string, string, string][] = [
  [
    'PEMBERITAHUAN',
    'Pemberitahuan batas waktu tanggapan atas surat {{nomorSurat}}',
    'Kepada Yth.\n{{penerima}}\ndi tempat\n\nDengan hormat,\n\nMenindaklanjuti surat rekomendasi kami nomor {{nomorSurat}} tanggal {{tanggalSurat}} perihal penanganan pengaduan dugaan pelanggaran hak asasi manusia dengan nomor register {{nomorRegister}}, bersama ini kami sampaikan bahwa batas waktu penyampaian tanggapan atas surat tersebut adalah {{tenggat}}.\n\nKami mengharapkan tanggapan {{institusi}} dapat kami terima sebelum batas waktu tersebut.\n\nAtas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih.\n\nHormat kami,\n{{unit}}\n\nSurat ini dikirim melalui sistem Yankomas; mohon sebutkan nomor register {{nomorRegister}} dalam setiap balasan.',
  ],
  [
    'PENGINGAT_I',
    'Pengingat I: tanggapan atas surat {{nomorSurat}}',
    'Kepada Yth.\n{{penerima}}\ndi tempat\n\nDengan hormat,\n\nBersama ini kami mengingatkan bahwa batas waktu penyampaian tanggapan atas surat rekomendasi kami nomor {{nomorSurat}} tanggal {{tanggalSurat}} (nomor register {{nomorRegister}}) jatuh pada {{tenggat}}. Sampai dengan surat ini disampaikan, kami belum menerima tanggapan dari {{institusi}}.\n\nKami mohon tanggapan tersebut dapat segera disampaikan.\n\nAtas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih.\n\nHormat kami,\n{{unit}}\n\nSurat ini dikirim melalui sistem Yankomas; mohon sebutkan nomor register {{nomorRegister}} dalam setiap balasan.',
  ],
  [
    'PENGINGAT_II',
    'Pengingat II: tanggapan atas surat {{nomorSurat}}',
    'Kepada Yth.\n{{penerima}}\ndi tempat\n\nDengan hormat,\n\nDengan ini kami sampaikan kembali bahwa batas waktu penyampaian tanggapan atas surat rekomendasi kami nomor {{nomorSurat}} tanggal {{tanggalSurat}} (nomor register {{nomorRegister}}) telah berakhir pada {{tenggat}}, dan sampai saat ini kami belum menerima tanggapan dari {{institusi}}.\n\nKami mohon dengan hormat agar tanggapan tersebut segera disampaikan kepada kami.\n\nAtas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih.\n\nHormat kami,\n{{unit}}\n\nSurat ini dikirim melalui sistem Yankomas; mohon sebutkan nomor register {{nomorRegister}} dalam setiap balasan.',
  ],
  [
    'ESKALASI',
    'Eskalasi: belum ada tanggapan {{institusi}} atas surat {{nomorSurat}}',
    'Kepada Yth.\n{{penerima}}\ndi tempat\n\nDengan hormat,\n\nDengan hormat kami sampaikan bahwa {{institusi}} belum menyampaikan tanggapan atas surat rekomendasi kami nomor {{nomorSurat}} tanggal {{tanggalSurat}} (nomor register {{nomorRegister}}), meskipun batas waktunya telah berakhir pada {{tenggat}} dan telah dua kali diingatkan.\n\nKami mohon bantuan Bapak/Ibu agar tanggapan tersebut dapat segera disampaikan.\n\nAtas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih.\n\nHormat kami,\n{{unit}}\n\nSurat ini dikirim melalui sistem Yankomas; mohon sebutkan nomor register {{nomorRegister}} dalam setiap balasan.',
  ],
];

export class Reminders1795400000005 implements MigrationInterface {
  name = 'Reminders1795400000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE TABLE "dispatches" ("id" uuid NOT NULL, "case_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "round" integer NOT NULL, "unit_code" character varying(32) NOT NULL, "letter_number" character varying(100) NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(16) NOT NULL, "responded_at" TIMESTAMP WITH TIME ZONE, "next_reminder_check_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_dispatches" PRIMARY KEY ("id"))',
    );
    await q.query('CREATE INDEX "idx_dispatches_case" ON "dispatches"  ("case_id") ');
    await q.query('CREATE INDEX "idx_dispatches_next_check" ON "dispatches"  ("next_reminder_check_at") ');
    await q.query(
      'CREATE UNIQUE INDEX "uq_dispatches_case_institution_round" ON "dispatches"  ("case_id", "institution_id", "round") ',
    );
    await q.query(
      'CREATE TABLE "reminders" ("id" uuid NOT NULL, "dispatch_id" uuid NOT NULL, "addressee" character varying(16) NOT NULL, "stage" character varying(32) NOT NULL, "stage_rank" integer NOT NULL, "outbox_message_id" uuid, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_reminders" PRIMARY KEY ("id"))',
    );
    await q.query(
      'CREATE UNIQUE INDEX "uq_reminders_dispatch_addressee_stage" ON "reminders"  ("dispatch_id", "addressee", "stage") ',
    );
    await q.query(
      'CREATE TABLE "reminder_schedules" ("unit_code" character varying(32) NOT NULL, "stages" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_reminder_schedules" PRIMARY KEY ("unit_code"))',
    );
    await q.query(
      'CREATE TABLE "letter_templates" ("stage" character varying(32) NOT NULL, "subject" text NOT NULL, "body_text" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_by" character varying(64), CONSTRAINT "pk_letter_templates" PRIMARY KEY ("stage"))',
    );
    await q.query('ALTER TABLE "institutions" ADD "extra_emails" text array NOT NULL DEFAULT \'{}\'');
    await q.query('ALTER TABLE "institutions" ADD "name_key" text NOT NULL DEFAULT \'\'');
    await q.query('ALTER TABLE "institutions" ADD "type" character varying(64)');
    await q.query('ALTER TABLE "institutions" ADD "province_code" character varying(16)');
    await q.query('CREATE INDEX "idx_institutions_name_key" ON "institutions"  ("name_key") ');
    await q.query(
      'ALTER TABLE "dispatches" ADD CONSTRAINT "fk_dispatches_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await q.query(
      'ALTER TABLE "dispatches" ADD CONSTRAINT "fk_dispatches_institution" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await q.query(
      'ALTER TABLE "reminders" ADD CONSTRAINT "fk_reminders_dispatch" FOREIGN KEY ("dispatch_id") REFERENCES "dispatches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await q.query(
      `UPDATE institutions SET name_key = trim(regexp_replace(lower(name), '[^a-z0-9]+', ' ', 'g'))`,
    );
    for (const [stage, subject, body] of LETTER_TEMPLATES) {
      await q.query('INSERT INTO letter_templates (stage, subject, body_text) VALUES ($1, $2, $3)', [
        stage,
        subject,
        body,
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "reminders" DROP CONSTRAINT "fk_reminders_dispatch"');
    await q.query('ALTER TABLE "dispatches" DROP CONSTRAINT "fk_dispatches_institution"');
    await q.query('ALTER TABLE "dispatches" DROP CONSTRAINT "fk_dispatches_case"');
    await q.query('DROP INDEX "public"."idx_institutions_name_key"');
    await q.query('ALTER TABLE "institutions" DROP COLUMN "province_code"');
    await q.query('ALTER TABLE "institutions" DROP COLUMN "type"');
    await q.query('ALTER TABLE "institutions" DROP COLUMN "name_key"');
    await q.query('ALTER TABLE "institutions" DROP COLUMN "extra_emails"');
    await q.query('DROP TABLE "letter_templates"');
    await q.query('DROP TABLE "reminder_schedules"');
    await q.query('DROP INDEX "public"."uq_reminders_dispatch_addressee_stage"');
    await q.query('DROP TABLE "reminders"');
    await q.query('DROP INDEX "public"."uq_dispatches_case_institution_round"');
    await q.query('DROP INDEX "public"."idx_dispatches_next_check"');
    await q.query('DROP INDEX "public"."idx_dispatches_case"');
    await q.query('DROP TABLE "dispatches"');
  }
}
