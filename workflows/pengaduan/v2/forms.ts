/** The console's forms of version 2: version 1's, the review's conclusion with mediation, and mediation's events. */
import type { WorkflowDefinition } from '../../types';
import { FORMS as V1_FORMS } from '../v1/forms';

export const FORMS: WorkflowDefinition['forms'] = {
  ...V1_FORMS,
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
          ['MEDIASI', 'Mediasi (upaya perdamaian)'],
          ['FILE', 'Diarsipkan (file)'],
        ],
      },
      { name: 'audiensi', label: 'Perlu koordinasi/audiensi sebelum surat rekomendasi', kind: 'checkbox' },
    ],
  },
  MEDIASI_DISETUJUI: {
    label: 'Para pihak setuju mediasi',
    fields: [
      { name: 'mediatorId', label: 'Mediator', kind: 'officer', required: true },
      {
        name: 'institutionIds',
        label: 'Pihak teradu yang ikut mediasi',
        kind: 'institutions',
        required: true,
        hint: 'Tahan Ctrl (atau Cmd) untuk memilih lebih dari satu.',
      },
    ],
  },
  MEDIASI_DITOLAK: {
    label: 'Mediasi ditolak',
    fields: [
      {
        name: 'pihak',
        label: 'Pihak yang menolak',
        kind: 'select',
        required: true,
        options: [
          ['PENGADU', 'Pengadu'],
          ['TERADU', 'Pihak teradu'],
        ],
      },
      { name: 'alasan', label: 'Alasan penolakan', kind: 'textarea', required: true },
    ],
  },
  MEDIASI_BERHASIL: {
    label: 'Mediasi berhasil',
    fields: [{ name: 'kesepakatan', label: 'Isi kesepakatan para pihak', kind: 'textarea', required: true }],
  },
  MEDIASI_GAGAL: {
    label: 'Mediasi gagal',
    fields: [{ name: 'alasan', label: 'Alasan mediasi gagal', kind: 'textarea', required: true }],
  },
  KESEPAKATAN_DILAKSANAKAN: {
    label: 'Kesepakatan dilaksanakan',
    fields: [],
  },
  KESEPAKATAN_DIINGKARI: {
    label: 'Kesepakatan diingkari',
    fields: [{ name: 'alasan', label: 'Bagaimana kesepakatan diingkari', kind: 'textarea', required: true }],
  },
};
