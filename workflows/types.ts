/**
 * Shared vocabulary of the workflow definitions. Pure TypeScript: no Nest, no database,
 * so a definition can be read, tested and versioned on its own.
 */
import type { AnyStateMachine } from 'xstate';

export const ROLES = ['ADMIN', 'PETUGAS', 'KASUBBID', 'KABID', 'KADIV', 'KAKANWIL', 'PEMANTAU'] as const;
export type Role = (typeof ROLES)[number];

/** The system itself acts for time-driven events (e.g. DICABUT); no user holds this role. */
export const SISTEM = 'SISTEM' as const;
export type Actor = Role | typeof SISTEM;

export const KATEGORI = ['PROSES', 'FILE', 'TELAAH_FILE', 'TELAAH_REKOMENDASI', 'REKOMENDASI'] as const;
export type Kategori = (typeof KATEGORI)[number];

/** A time limit from the SOP: working days, or office minutes. */
export type Batas = { hari: number } | { menit: number };

/** Whose clock runs in a state: the case's own handling, the complainant's, or an institution's. */
export type PemilikJam = 'KASUS' | 'PENGADU' | 'INSTITUSI';

/** What a state's `meta` carries: the SOP step, its limit and who may send each event. */
export interface StepMeta {
  langkah: number | null;
  nama: string;
  batas: Batas | null;
  jam: PemilikJam;
  peran: Record<string, readonly Actor[]>;
}

export interface WorkflowDefinition {
  id: string;
  version: number;
  title: string;
  machine: AnyStateMachine;
  /** Every event type the definition knows, in a stable order (for allowed-event lists). */
  eventTypes: readonly string[];
}
