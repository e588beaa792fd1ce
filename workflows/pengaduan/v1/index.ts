/**
 * The pack of complaint handling, version 1: its machine, and everything else that depends on
 * the version's states and events (what each event does, what it checks, how a case shows to
 * the complainant, which states are closed). The service reads these and names no state or
 * event of its own.
 */
import type { EventMilestone, PublicStage, WorkflowDefinition } from '../../types';
import { LEGACY } from './legacy';
import { PAYLOADS } from './payloads';
import { FORMS } from './forms';
import { EVENT_TYPES, machine } from './machine';

export { LEGACY } from './legacy';
export { NoPayload, PAYLOADS } from './payloads';
export { EVENT_TYPES, machine, step, type PengaduanContext, type PengaduanEvent } from './machine';

export const EFFECTS: WorkflowDefinition['effects'] = {
  TELAAH: ['TUGASKAN'],
  REKOMENDASI_SEGERA: ['TUGASKAN'],
  FILE: ['DUPLIKAT'],
  KIRIM_SURAT: ['BUKA_PENGIRIMAN'],
  TANGGAPAN: ['TUTUP_PENGIRIMAN', 'TINDAK_LANJUT'],
  TUNDA: ['TUNDA_JAM'],
  LANJUTKAN: ['LANJUTKAN_JAM'],
  LIMPAHKAN: ['PINDAH_UNIT'],
};

export const CHECKS: WorkflowDefinition['checks'] = {
  TELAAH: [{ kind: 'PETUGAS_UNIT', field: 'assigneeId' }],
  REKOMENDASI_SEGERA: [{ kind: 'PETUGAS_UNIT', field: 'assigneeId' }],
  FILE: [{ kind: 'KASUS_UNIT', field: 'duplicateOf', when: { field: 'reason', value: 'DUPLIKAT' } }],
  SETUJUI_TELAAH: [
    { kind: 'PILIHAN', field: 'kesimpulan', values: ['FILE', 'REKOMENDASI'] },
    {
      kind: 'TIDAK_BERSAMA',
      field: 'kesimpulan',
      value: 'FILE',
      with: 'audiensi',
      withValue: true,
      reason: 'audiensi hanya untuk kesimpulan REKOMENDASI',
    },
  ],
  KIRIM_SURAT: [
    { kind: 'INSTITUSI_TERDAFTAR', field: 'institutionIds' },
    { kind: 'SURAT_PDF', field: 'letterAttachmentId' },
  ],
  TANGGAPAN: [{ kind: 'INSTITUSI_DITUNGGU', field: 'institutionId' }],
  LIMPAHKAN: [{ kind: 'UNIT_TUJUAN', field: 'unitCode' }],
};

/** The stages of v1's cases on the status page. */
export function reachedBy(event: { type: string; toState: string }): PublicStage | null {
  if (event.type === 'KIRIM_SURAT') return 'REKOMENDASI_DIKIRIM';
  if (event.type === 'TANGGAPAN') return 'DITANGGAPI';
  if (/^(disposisi|telaah|rekomendasi)/.test(event.toState)) return 'DITELAAH';
  return null;
}

export function currentStage(state: string, lastEvent: string | null): PublicStage | null {
  if (state === 'terima.menunggu_kelengkapan') return 'MENUNGGU_KELENGKAPAN';
  if (state === 'selesai') return 'SELESAI';
  if (state === 'file')
    return lastEvent === 'DICABUT'
      ? 'DICABUT'
      : lastEvent === 'TIDAK_BERWENANG'
        ? 'TIDAK_BERWENANG'
        : 'DIARSIPKAN';
  return null;
}

export const CLOSED_STATES = ['selesai', 'file'] as const;

export const STAGES: WorkflowDefinition['stages'] = [
  ['terima', 'Penerimaan'],
  ['disposisi', 'Disposisi'],
  ['telaah', 'Telaah'],
  ['rekomendasi', 'Rekomendasi'],
  ['menunggu_tanggapan', 'Menunggu tanggapan'],
  ['tanggapan', 'Evaluasi tanggapan'],
  ['selesai', 'Selesai'],
  ['file', 'File'],
];

/** The milestone an event reaches for the complainant. Filing for a reason of its own says that reason. */
export function milestoneOf(event: {
  type: string;
  fromState: string;
  toState: string;
}): EventMilestone | null {
  const { type, fromState, toState } = event;
  if (type === 'BERKAS_TIDAK_LENGKAP') return 'BERKAS_TIDAK_LENGKAP';
  if (type === 'TIDAK_BERWENANG') return 'TIDAK_BERWENANG';
  if (type === 'DICABUT') return 'DICABUT';
  if (type === 'KIRIM_SURAT') return 'REKOMENDASI_DIKIRIM';
  if (type === 'TANGGAPAN') return 'TANGGAPAN_DITERIMA';
  if (toState === 'selesai' && fromState !== 'selesai') return 'SELESAI';
  if (toState === 'file' && fromState !== 'file') return 'DIARSIPKAN';
  return null;
}

export const pengaduanV1: WorkflowDefinition = {
  id: 'pengaduan',
  version: 1,
  title: 'SOP Pelayanan Komunikasi Masyarakat (Permenkumham 23/2022)',
  machine,
  eventTypes: EVENT_TYPES,
  payloads: PAYLOADS,
  forms: FORMS,
  effects: EFFECTS,
  checks: CHECKS,
  publicStages: { reachedBy, current: currentStage },
  closedStates: CLOSED_STATES,
  legacy: LEGACY,
  milestoneOf,
  stages: STAGES,
};
