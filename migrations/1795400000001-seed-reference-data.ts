import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Reference data: provinces with their legal time zones (shared/data/provinces.json), the two
 * pseudo-loci of the recap, the units (PUSAT and one Kanwil per province), the 10 basic rights
 * of UU 39/1999, and the starting lists of themes, channels and reported parties that admins
 * extend. The append-only rule of the case history is enforced here by the database itself.
 */
const PROVINCES: [string, string, string][] = [
  ['ID-AC', 'Aceh', 'Asia/Jakarta'],
  ['ID-SU', 'Sumatera Utara', 'Asia/Jakarta'],
  ['ID-SB', 'Sumatera Barat', 'Asia/Jakarta'],
  ['ID-RI', 'Riau', 'Asia/Jakarta'],
  ['ID-JA', 'Jambi', 'Asia/Jakarta'],
  ['ID-SS', 'Sumatera Selatan', 'Asia/Jakarta'],
  ['ID-BE', 'Bengkulu', 'Asia/Jakarta'],
  ['ID-LA', 'Lampung', 'Asia/Jakarta'],
  ['ID-BB', 'Kepulauan Bangka Belitung', 'Asia/Jakarta'],
  ['ID-KR', 'Kepulauan Riau', 'Asia/Jakarta'],
  ['ID-JK', 'DKI Jakarta', 'Asia/Jakarta'],
  ['ID-JB', 'Jawa Barat', 'Asia/Jakarta'],
  ['ID-JT', 'Jawa Tengah', 'Asia/Jakarta'],
  ['ID-YO', 'DI Yogyakarta', 'Asia/Jakarta'],
  ['ID-JI', 'Jawa Timur', 'Asia/Jakarta'],
  ['ID-BT', 'Banten', 'Asia/Jakarta'],
  ['ID-BA', 'Bali', 'Asia/Makassar'],
  ['ID-NB', 'Nusa Tenggara Barat', 'Asia/Makassar'],
  ['ID-NT', 'Nusa Tenggara Timur', 'Asia/Makassar'],
  ['ID-KB', 'Kalimantan Barat', 'Asia/Jakarta'],
  ['ID-KT', 'Kalimantan Tengah', 'Asia/Jakarta'],
  ['ID-KS', 'Kalimantan Selatan', 'Asia/Makassar'],
  ['ID-KI', 'Kalimantan Timur', 'Asia/Makassar'],
  ['ID-KU', 'Kalimantan Utara', 'Asia/Makassar'],
  ['ID-SA', 'Sulawesi Utara', 'Asia/Makassar'],
  ['ID-ST', 'Sulawesi Tengah', 'Asia/Makassar'],
  ['ID-SN', 'Sulawesi Selatan', 'Asia/Makassar'],
  ['ID-SG', 'Sulawesi Tenggara', 'Asia/Makassar'],
  ['ID-GO', 'Gorontalo', 'Asia/Makassar'],
  ['ID-SR', 'Sulawesi Barat', 'Asia/Makassar'],
  ['ID-MA', 'Maluku', 'Asia/Jayapura'],
  ['ID-MU', 'Maluku Utara', 'Asia/Jayapura'],
  ['ID-PA', 'Papua', 'Asia/Jayapura'],
  ['ID-PB', 'Papua Barat', 'Asia/Jayapura'],
  ['ID-PS', 'Papua Selatan', 'Asia/Jayapura'],
  ['ID-PT', 'Papua Tengah', 'Asia/Jayapura'],
  ['ID-PE', 'Papua Pegunungan', 'Asia/Jayapura'],
  ['ID-PD', 'Papua Barat Daya', 'Asia/Jayapura'],
];

const PSEUDO_LOCI: [string, string][] = [
  ['NASIONAL', 'Nasional'],
  ['LUAR_NEGERI', 'Luar Negeri'],
];

const REFERENCE: [string, string, string][] = [
  ['HAK', 'HIDUP', 'Hak untuk hidup'],
  ['HAK', 'BERKELUARGA', 'Hak berkeluarga dan melanjutkan keturunan'],
  ['HAK', 'MENGEMBANGKAN_DIRI', 'Hak mengembangkan diri'],
  ['HAK', 'KEADILAN', 'Hak memperoleh keadilan'],
  ['HAK', 'KEBEBASAN_PRIBADI', 'Hak atas kebebasan pribadi'],
  ['HAK', 'RASA_AMAN', 'Hak atas rasa aman'],
  ['HAK', 'KESEJAHTERAAN', 'Hak atas kesejahteraan'],
  ['HAK', 'TURUT_SERTA_PEMERINTAHAN', 'Hak turut serta dalam pemerintahan'],
  ['HAK', 'PEREMPUAN', 'Hak perempuan'],
  ['HAK', 'ANAK', 'Hak anak'],
  ['TEMA', 'PERTANAHAN', 'Pertanahan'],
  ['TEMA', 'PIDANA', 'Pidana'],
  ['TEMA', 'KEPEGAWAIAN', 'Kepegawaian'],
  ['TEMA', 'KETENAGAKERJAAN', 'Ketenagakerjaan'],
  ['TEMA', 'PERDATA', 'Perdata'],
  ['TEMA', 'ADMINISTRASI_PEMERINTAHAN', 'Administrasi pemerintahan'],
  ['TEMA', 'KESEHATAN', 'Kesehatan'],
  ['TEMA', 'PENDIDIKAN', 'Pendidikan'],
  ['TEMA', 'LINGKUNGAN_HIDUP', 'Lingkungan hidup'],
  ['TEMA', 'KEKERASAN', 'Kekerasan'],
  ['TEMA', 'LAINNYA', 'Lainnya'],
  ['SALURAN', 'SURAT', 'Surat'],
  ['SALURAN', 'EMAIL', 'Surat elektronik (email)'],
  ['SALURAN', 'DATANG_LANGSUNG', 'Datang langsung'],
  ['SALURAN', 'POS_PENGADUAN', 'Pos pelayanan pengaduan'],
  ['SALURAN', 'TELEPON', 'Telepon'],
  ['SALURAN', 'MEDIA', 'Pemberitaan media (tidak disampaikan langsung)'],
  ['SALURAN', 'DARING', 'Layanan daring'],
  ['PIHAK_TERADU', 'KEPOLISIAN', 'Kepolisian'],
  ['PIHAK_TERADU', 'PEMERINTAH_DAERAH', 'Pemerintah daerah'],
  ['PIHAK_TERADU', 'KEMENTERIAN_LEMBAGA', 'Kementerian/lembaga'],
  ['PIHAK_TERADU', 'BPN', 'Badan Pertanahan Nasional'],
  ['PIHAK_TERADU', 'KORPORASI', 'Korporasi'],
  ['PIHAK_TERADU', 'LEMBAGA_PERADILAN', 'Lembaga peradilan'],
  ['PIHAK_TERADU', 'KEJAKSAAN', 'Kejaksaan'],
  ['PIHAK_TERADU', 'TNI', 'Tentara Nasional Indonesia'],
  ['PIHAK_TERADU', 'LAPAS_RUTAN', 'Lembaga pemasyarakatan / rumah tahanan'],
  ['PIHAK_TERADU', 'BUMN_BUMD', 'BUMN/BUMD'],
  ['PIHAK_TERADU', 'PERORANGAN', 'Perorangan'],
  ['PIHAK_TERADU', 'LAINNYA', 'Lainnya'],
];

export class SeedReferenceData1795400000001 implements MigrationInterface {
  name = 'SeedReferenceData1795400000001';

  async up(q: QueryRunner): Promise<void> {
    for (const [index, [code, name, timeZone]] of PROVINCES.entries()) {
      await q.query(
        `INSERT INTO provinces (code, name, time_zone, kind, sort_order) VALUES ($1, $2, $3, 'PROVINSI', $4)`,
        [code, name, timeZone, index + 1],
      );
    }
    for (const [index, [code, name]] of PSEUDO_LOCI.entries()) {
      await q.query(
        `INSERT INTO provinces (code, name, time_zone, kind, sort_order) VALUES ($1, $2, NULL, 'PSEUDO', $3)`,
        [code, name, PROVINCES.length + index + 1],
      );
    }
    await q.query(
      `INSERT INTO units (code, name, kind, province_code, time_zone, parent_code)
       VALUES ('PUSAT', 'Direktorat Pelayanan Komunikasi Masyarakat', 'PUSAT', 'ID-JK', 'Asia/Jakarta', NULL)`,
    );
    for (const [code, name, timeZone] of PROVINCES) {
      await q.query(
        `INSERT INTO units (code, name, kind, province_code, time_zone, parent_code) VALUES ($1, $2, 'KANWIL', $3, $4, 'PUSAT')`,
        [`KANWIL-${code.replace(/^ID-/, '')}`, `Kantor Wilayah ${name}`, code, timeZone],
      );
    }
    for (const [index, [kind, code, name]] of REFERENCE.entries()) {
      await q.query(`INSERT INTO reference_items (kind, code, name, sort_order) VALUES ($1, $2, $3, $4)`, [
        kind,
        code,
        name,
        index,
      ]);
    }
    await q.query(`
      CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_case_events_append_only BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION refuse_history_change()`);
    await q.query(`
      CREATE TRIGGER trg_case_events_no_truncate BEFORE TRUNCATE ON case_events
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER trg_case_events_no_truncate ON case_events');
    await q.query('DROP TRIGGER trg_case_events_append_only ON case_events');
    await q.query('DROP FUNCTION refuse_history_change()');
    await q.query('DELETE FROM reference_items');
    await q.query(`DELETE FROM units WHERE parent_code = 'PUSAT'`);
    await q.query(`DELETE FROM units WHERE code = 'PUSAT'`);
    await q.query('DELETE FROM provinces');
  }
}
