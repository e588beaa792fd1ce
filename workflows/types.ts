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

export const KATEGORI = [
  'PROSES',
  'FILE',
  'TELAAH_FILE',
  'TELAAH_MEDIASI',
  'TELAAH_REKOMENDASI',
  'REKOMENDASI',
] as const;
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

/**
 * What an event does besides moving the machine, as data: the service turns each effect into rows
 * in the event's one statement, whatever the event is called in a version.
 * - BUKA_PENGIRIMAN: one dispatch per `institutionIds` under `letterNumber` (a letter round); with
 *   `letterAttachmentId`, the signed letter is mailed to each institution under a cover text;
 * - TUTUP_PENGIRIMAN: the dispatch of `institutionId` has its answer;
 * - TUNDA_JAM / LANJUTKAN_JAM: the step's clock pauses / resumes;
 * - PINDAH_UNIT: the case moves to `unitCode`;
 * - TINDAK_LANJUT: the complaint is followed up (the indicator's first follow-up, once);
 * - TUGASKAN: `assigneeId`, when given, becomes the officer whose work the case is;
 * - DUPLIKAT: `duplicateOf`, when given, is the earlier case this one repeats.
 */
export type EffectKind =
  | 'BUKA_PENGIRIMAN'
  | 'TUTUP_PENGIRIMAN'
  | 'TUNDA_JAM'
  | 'LANJUTKAN_JAM'
  | 'PINDAH_UNIT'
  | 'TINDAK_LANJUT'
  | 'TUGASKAN'
  | 'DUPLIKAT';

export const EFFECT_KINDS: readonly EffectKind[] = [
  'BUKA_PENGIRIMAN',
  'TUTUP_PENGIRIMAN',
  'TUNDA_JAM',
  'LANJUTKAN_JAM',
  'PINDAH_UNIT',
  'TINDAK_LANJUT',
  'TUGASKAN',
  'DUPLIKAT',
];

/**
 * Checks of an event's payload against the service's records, as data:
 * - INSTITUSI_TERDAFTAR: every id of `field` is a registered institution;
 * - INSTITUSI_DITUNGGU: `field` is an institution whose answer the case awaits;
 * - UNIT_TUJUAN: `field` is another active unit, between the centre and a regional office;
 * - PETUGAS_UNIT: `field`, when given, is an active officer (PETUGAS or KASUBBID) of the case's
 *   unit (whether it must be given is the payload class's);
 * - KASUS_UNIT: `field` is another case of the same unit; required exactly when `when.field` is
 *   `when.value`, refused otherwise;
 * - SURAT_PDF: `field`, when given, is a PDF attachment of this case (the signed letter);
 * - PILIHAN: `field` is one of `values` (a choice this version offers);
 * - TIDAK_BERSAMA: `field` = `value` cannot go with `with` = `withValue`.
 */
export type PayloadCheck =
  | { kind: 'INSTITUSI_TERDAFTAR'; field: string }
  | { kind: 'INSTITUSI_DITUNGGU'; field: string }
  | { kind: 'UNIT_TUJUAN'; field: string }
  | { kind: 'PETUGAS_UNIT'; field: string }
  | { kind: 'KASUS_UNIT'; field: string; when: { field: string; value: string } }
  | { kind: 'SURAT_PDF'; field: string }
  | { kind: 'PILIHAN'; field: string; values: readonly string[] }
  | {
      kind: 'TIDAK_BERSAMA';
      field: string;
      value: unknown;
      with: string;
      withValue: unknown;
      reason: string;
    };

/** How the console asks for a field of an event's payload. */
export type FieldKind =
  | 'text'
  | 'textarea'
  | 'select'
  | 'checkbox'
  // Registered institutions, several.
  | 'institutions'
  // An institution of the case whose answer is awaited.
  | 'open-dispatch'
  | 'unit'
  // An active officer (PETUGAS or KASUBBID) of the case's unit.
  | 'officer'
  // Another case of the same unit, by its register number.
  | 'case'
  // A PDF attachment of the case: the signed letter that goes out with the event.
  | 'letter'
  // Shown only while institutions of the case are still reminded: what closing does to them.
  | 'reminders-decision';

export interface EventField {
  name: string;
  /** In Bahasa Indonesia, as the officer reads it. */
  label: string;
  kind: FieldKind;
  required?: boolean;
  options?: readonly (readonly [value: string, label: string])[];
  hint?: string;
}

/** The console's form of an event: its label (the button, the history) and its payload's fields. */
export interface EventForm {
  label: string;
  fields: readonly EventField[];
}

/** The stages a complainant's status page shows (their words are the status page's). */
export const PUBLIC_STAGES = [
  'DITERIMA',
  'MENUNGGU_KELENGKAPAN',
  'DITELAAH',
  'MEDIASI',
  'REKOMENDASI_DIKIRIM',
  'DITANGGAPI',
  'SELESAI',
  'DIARSIPKAN',
  'TIDAK_BERWENANG',
  'DICABUT',
] as const;
export type PublicStage = (typeof PUBLIC_STAGES)[number];

/** How a version's states and events show on the complainant's status page. */
export interface PublicStages {
  /** The stage an event reaches, the first time it happens; null for none. */
  reachedBy(event: { type: string; toState: string }): PublicStage | null;
  /** The stage a case is at in `state`, given its last event; null: the last stage reached. */
  current(state: string, lastEvent: string | null): PublicStage | null;
}

/** The moments a complainant is told of (by mail, each configurable per unit). */
export const MILESTONES = [
  'PENERIMAAN',
  'BERKAS_TIDAK_LENGKAP',
  'TIDAK_BERWENANG',
  'REKOMENDASI_DIKIRIM',
  'TANGGAPAN_DITERIMA',
  'SELESAI',
  'DIARSIPKAN',
  'DICABUT',
] as const;
export type Milestone = (typeof MILESTONES)[number];
/** Those an event reaches; PENERIMAAN is the receipt, sent at registration. */
export type EventMilestone = Exclude<Milestone, 'PENERIMAAN'>;

/** A case from the offices' old spreadsheets: how far it got, and when. */
export interface LegacyRow {
  outcome: Kategori;
  receivedAt: Date;
  /** When the outcome was decided (the review's approval, the filing); null for PROSES. */
  outcomeAt: Date | null;
  letter: { number: string; at: Date; institutions: string[]; responses: (Date | null)[] } | null;
}

/** One event a legacy row implies, with its date and the role that would have sent it. */
export interface LegacyEvent {
  type: string;
  at: Date;
  role: Actor;
  payload: Record<string, unknown>;
}

/** How a version takes in a legacy row: the outcomes it knows, and the events each implies. */
export interface LegacyImport {
  outcomes: readonly Kategori[];
  /** The outcomes after which a recommendation letter may have gone out. */
  letterOutcomes: readonly Kategori[];
  /** The events, in order, that the machine replays from registration to where the row stands. */
  events(row: LegacyRow): LegacyEvent[];
}

export interface WorkflowDefinition {
  id: string;
  version: number;
  title: string;
  machine: AnyStateMachine;
  /** Every event type the definition knows, in a stable order (for allowed-event lists). */
  eventTypes: readonly string[];
  /**
   * The payload class of each event: its own fields, validated (class-validator) and refused by
   * name when unknown. What every event may carry besides (date, note, late reason) is the service's.
   */
  payloads: Readonly<Record<string, new () => object>>;
  /** The console's form of each event. */
  forms: Readonly<Record<string, EventForm>>;
  /** What each event does besides its transition (absent: nothing). */
  effects: Readonly<Record<string, readonly EffectKind[]>>;
  /** Checks of each event's payload against the records (absent: none). */
  checks: Readonly<Record<string, readonly PayloadCheck[]>>;
  /** How its cases show on the complainant's status page. */
  publicStages: PublicStages;
  /** The states in which a case is closed: no more work, a survey may be sent. */
  closedStates: readonly string[];
  /** How a legacy spreadsheet row becomes this version's events. */
  legacy: LegacyImport;
  /** The stages of the SOP as the case lists filter them: a state path prefix and its name. */
  stages: readonly (readonly [prefix: string, name: string])[];
  /** The milestone an event reaches for the complainant, if any. */
  milestoneOf(event: { type: string; fromState: string; toState: string }): EventMilestone | null;
}
