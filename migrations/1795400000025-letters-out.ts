import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Letters that go out: a letter round (KIRIM_SURAT) may name the signed letter, a PDF attached to
 * the case; each institution receives it by mail under a cover text (template PENGANTAR_SURAT), and
 * the reminders of that round carry it again. The outbox keeps which attachment a mail carries (the
 * document stays in case_attachments, read only when the mail is sent). The reminder templates that
 * were never edited gain {{lampiran}}, which says that the letter is attached again.
 */
const COVER_LETTER: [string, string, string] = [
  'PENGANTAR_SURAT',
  'Surat rekomendasi {{nomorSurat}} atas pengaduan {{nomorRegister}}',
  'Kepada Yth.\n{{penerima}}\ndi tempat\n\nDengan hormat,\n\nBersama ini kami sampaikan surat rekomendasi nomor {{nomorSurat}} tanggal {{tanggalSurat}} perihal penanganan pengaduan dugaan pelanggaran hak asasi manusia dengan nomor register {{nomorRegister}}. Surat yang telah ditandatangani terlampir pada surel ini.\n\nKami mohon {{institusi}} menyampaikan tanggapan atas surat tersebut paling lambat {{tenggat}}.\n\nAtas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih.\n\nHormat kami,\n{{unit}}\n\nSurat ini dikirim melalui sistem Yankomas; mohon sebutkan nomor register {{nomorRegister}} dalam setiap balasan.',
];

const REMINDER_STAGES = ['PEMBERITAHUAN', 'PENGINGAT_I', 'PENGINGAT_II', 'ESKALASI'];

export class LettersOut1795400000025 implements MigrationInterface {
  name = 'LettersOut1795400000025';

  async up(q: QueryRunner): Promise<void> {
    // No foreign key: case_attachments has no entity to relate to, and its rows are never
    // deleted (a trigger refuses it), so the ids these columns keep always resolve.
    await q.query('ALTER TABLE "dispatches" ADD "letter_attachment_id" uuid');
    await q.query('ALTER TABLE "outbox_messages" ADD "attachment_id" uuid');
    await q.query(
      'INSERT INTO letter_templates (stage, subject, body_text) VALUES ($1, $2, $3) ON CONFLICT (stage) DO NOTHING',
      COVER_LETTER,
    );
    await q.query(
      `UPDATE letter_templates SET body_text = replace(body_text, E'\\n\\nAtas perhatian', E'\\n\\n{{lampiran}}Atas perhatian')
        WHERE updated_by IS NULL AND stage = ANY($1) AND body_text NOT LIKE '%{{lampiran}}%'`,
      [REMINDER_STAGES],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE letter_templates SET body_text = replace(body_text, '{{lampiran}}', '') WHERE stage = ANY($1)`,
      [REMINDER_STAGES],
    );
    await q.query(`DELETE FROM letter_templates WHERE stage = 'PENGANTAR_SURAT'`);
    await q.query('ALTER TABLE "outbox_messages" DROP COLUMN "attachment_id"');
    await q.query('ALTER TABLE "dispatches" DROP COLUMN "letter_attachment_id"');
  }
}
