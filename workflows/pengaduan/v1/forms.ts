/**
 * The console's form of each version-1 event: its label (the button and the history say it) and
 * the fields its payload needs, as the API validates them. The console reads them from
 * GET /api/workflows.
 */
import type { WorkflowDefinition } from '../../types';

export const FORMS: WorkflowDefinition['forms'] = {
  DISPOSISI: {
    label: 'Disposisi',
    fields: [],
  },
  FILE: {
    label: 'Arsipkan (file)',
    fields: [
      {
        name: 'reason',
        label: 'Alasan diarsipkan',
        kind: 'textarea',
        required: true,
        hint: 'Untuk pengaduan berulang, tulis DUPLIKAT dan pilih kasus sebelumnya.',
      },
      { name: 'duplicateOf', label: 'Pengulangan dari kasus (nomor register)', kind: 'case' },
    ],
  },
  REKOMENDASI_SEGERA: {
    label: 'Rekomendasi segera',
    fields: [
      {
        name: 'assigneeId',
        label: 'Petugas yang menyiapkan rekomendasi',
        kind: 'officer',
        hint: 'Kosongkan agar masuk antrean bersama unit.',
      },
    ],
  },
  TELAAH: {
    label: 'Perintahkan telaah',
    fields: [
      {
        name: 'assigneeId',
        label: 'Petugas penelaah',
        kind: 'officer',
        hint: 'Kosongkan agar masuk antrean bersama unit.',
      },
    ],
  },
  AJUKAN_TELAAH: {
    label: 'Ajukan telaahan',
    fields: [],
  },
  TOLAK_TELAAH: {
    label: 'Kembalikan telaahan',
    fields: [],
  },
  SETUJUI_TELAAH: {
    label: 'Setujui telaahan',
    fields: [
      {
        name: 'kesimpulan',
        label: 'Kesimpulan telaahan',
        kind: 'select',
        required: true,
        options: [
          ['REKOMENDASI', 'Direkomendasikan'],
          ['FILE', 'Diarsipkan (file)'],
        ],
      },
      { name: 'audiensi', label: 'Perlu koordinasi/audiensi sebelum surat rekomendasi', kind: 'checkbox' },
    ],
  },
  AUDIENSI_SELESAI: {
    label: 'Audiensi selesai',
    fields: [],
  },
  AJUKAN_SURAT: {
    label: 'Ajukan surat rekomendasi',
    fields: [],
  },
  TOLAK_SURAT: {
    label: 'Kembalikan surat',
    fields: [],
  },
  SETUJUI_SURAT: {
    label: 'Setujui surat',
    fields: [],
  },
  KIRIM_SURAT: {
    label: 'Kirim surat rekomendasi',
    fields: [
      { name: 'letterNumber', label: 'Nomor surat', kind: 'text', required: true },
      {
        name: 'institutionIds',
        label: 'Instansi tujuan',
        kind: 'institutions',
        required: true,
        hint: 'Tahan Ctrl (atau Cmd) untuk memilih lebih dari satu.',
      },
      {
        name: 'letterAttachmentId',
        label: 'Surat bertanda tangan (PDF)',
        kind: 'letter',
        hint: 'Unggah surat yang sudah ditandatangani sebagai lampiran kasus, lalu pilih di sini: surat dikirim ke surel setiap instansi tujuan dengan surat pengantar. Tanpa surat, pengiriman dicatat sebagai dikirim di luar sistem (pos atau kurir).',
      },
    ],
  },
  TANGGAPAN: {
    label: 'Catat tanggapan instansi',
    fields: [
      { name: 'institutionId', label: 'Instansi yang menanggapi', kind: 'open-dispatch', required: true },
      { name: 'summary', label: 'Ringkasan tanggapan', kind: 'textarea', required: true },
    ],
  },
  SELESAI: {
    label: 'Selesaikan',
    fields: [
      {
        name: 'pengingatTerbuka',
        label: 'Pengingat kepada instansi yang belum menanggapi',
        kind: 'reminders-decision',
        required: true,
        options: [
          ['HENTIKAN', 'Hentikan pengingatnya'],
          ['LANJUTKAN', 'Tetap kirim pengingat sampai instansi menanggapi'],
        ],
      },
    ],
  },
  TINDAK_LANJUT_ULANG: {
    label: 'Tindak lanjut ulang',
    fields: [],
  },
  TUNDA: {
    label: 'Tunda',
    fields: [{ name: 'reason', label: 'Alasan penundaan', kind: 'textarea', required: true }],
  },
  LANJUTKAN: {
    label: 'Lanjutkan',
    fields: [],
  },
  LIMPAHKAN: {
    label: 'Limpahkan ke unit lain',
    fields: [{ name: 'unitCode', label: 'Unit tujuan', kind: 'unit', required: true }],
  },
  BERKAS_TIDAK_LENGKAP: {
    label: 'Berkas tidak lengkap',
    fields: [
      {
        name: 'kekurangan',
        label: 'Kekurangan berkas',
        kind: 'textarea',
        required: true,
        hint: 'Disampaikan kepada pengadu; batas kelengkapan 10 hari kerja.',
      },
    ],
  },
  BERKAS_DILENGKAPI: {
    label: 'Berkas dilengkapi',
    fields: [],
  },
  TIDAK_BERWENANG: {
    label: 'Tidak berwenang',
    fields: [
      { name: 'referral', label: 'Rujukan kepada instansi yang berwenang', kind: 'textarea', required: true },
    ],
  },
  DICABUT: {
    label: 'Dianggap dicabut',
    fields: [],
  },
};
