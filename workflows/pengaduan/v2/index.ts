/**
 * The pack of complaint handling, version 2 (version 1 with mediation): what its events do and
 * check, how its cases show to the complainant, which states are closed.
 */
import type { PublicStage, WorkflowDefinition } from '../../types';
import * as v1 from '../v1';
import { FORMS } from './forms';
import { EVENT_TYPES, machine } from './machine';
import { PAYLOADS } from './payloads';

export { EVENT_TYPES, MEDIATION_EVENT_TYPES, machine, type PengaduanV2Context } from './machine';

export const EFFECTS: WorkflowDefinition['effects'] = {
  ...v1.EFFECTS,
  // The agreement is the complaint's follow-up for the indicator, as an institution's answer is.
  MEDIASI_BERHASIL: ['TINDAK_LANJUT'],
};

export const CHECKS: WorkflowDefinition['checks'] = {
  ...v1.CHECKS,
  SETUJUI_TELAAH: [
    { kind: 'PILIHAN', field: 'kesimpulan', values: ['FILE', 'REKOMENDASI', 'MEDIASI'] },
    ...(v1.CHECKS.SETUJUI_TELAAH ?? []).filter((check) => check.kind !== 'PILIHAN'),
    {
      kind: 'TIDAK_BERSAMA',
      field: 'kesimpulan',
      value: 'MEDIASI',
      with: 'audiensi',
      withValue: true,
      reason: 'audiensi hanya untuk kesimpulan REKOMENDASI',
    },
  ],
  MEDIASI_DISETUJUI: [
    { kind: 'PETUGAS_UNIT', field: 'mediatorId' },
    { kind: 'INSTITUSI_TERDAFTAR', field: 'institutionIds' },
  ],
};

function reachedBy(event: { type: string; toState: string }): PublicStage | null {
  if (event.toState.startsWith('mediasi.')) return 'MEDIASI';
  return v1.reachedBy(event);
}

function currentStage(state: string, lastEvent: string | null): PublicStage | null {
  if (state.startsWith('mediasi.')) return 'MEDIASI';
  return v1.currentStage(state, lastEvent);
}

export const pengaduanV2: WorkflowDefinition = {
  id: 'pengaduan',
  version: 2,
  title: 'SOP Pelayanan Komunikasi Masyarakat dengan mediasi (Permenkumham 23/2022)',
  machine,
  eventTypes: EVENT_TYPES,
  payloads: PAYLOADS,
  forms: FORMS,
  effects: EFFECTS,
  checks: CHECKS,
  publicStages: { reachedBy, current: currentStage },
  closedStates: v1.CLOSED_STATES,
  // The old spreadsheets predate mediation: their rows replay as version 1 paths.
  legacy: v1.LEGACY,
  // Mediation tells the complainant nothing of its own; its closing is SELESAI like any other.
  milestoneOf: v1.milestoneOf,
  // Mediation comes after the review, before the letters.
  stages: [...v1.STAGES.slice(0, 3), ['mediasi', 'Mediasi'], ...v1.STAGES.slice(3)],
};
