/**
 * The form behind each workflow event: the fields its payload needs (as the API validates them),
 * and how the submitted form becomes the event's body.
 */
import { fromLocalInput } from './format';
import { formList, formText, type FormValue } from './form-values';

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'select'
  | 'checkbox'
  | 'institutions'
  | 'open-dispatch'
  | 'unit'
  // An active officer (PETUGAS or KASUBBID) of the case's unit.
  | 'officer'
  // Shown only while institutions of the case are still reminded: what closing does to them.
  | 'reminders-decision';

export interface EventField {
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  options?: [string, string][];
  hint?: string;
}

export const EVENT_FIELDS: Record<string, EventField[]> = {
  FILE: [{ name: 'reason', label: 'Alasan diarsipkan', kind: 'textarea', required: true }],
  SETUJUI_TELAAH: [
    {
      name: 'kesimpulan',
      label: 'Kesimpulan telaahan',
      kind: 'select',
      required: true,
      // Offered as far as the case's workflow version allows (its choices in GET /api/workflows).
      options: [
        ['REKOMENDASI', 'Direkomendasikan'],
        ['MEDIASI', 'Mediasi (upaya perdamaian)'],
        ['FILE', 'Diarsipkan (file)'],
      ],
    },
    { name: 'audiensi', label: 'Perlu koordinasi/audiensi sebelum surat rekomendasi', kind: 'checkbox' },
  ],
  KIRIM_SURAT: [
    { name: 'letterNumber', label: 'Nomor surat', kind: 'text', required: true },
    {
      name: 'institutionIds',
      label: 'Instansi tujuan',
      kind: 'institutions',
      required: true,
      hint: 'Tahan Ctrl (atau Cmd) untuk memilih lebih dari satu.',
    },
  ],
  TANGGAPAN: [
    { name: 'institutionId', label: 'Instansi yang menanggapi', kind: 'open-dispatch', required: true },
    { name: 'summary', label: 'Ringkasan tanggapan', kind: 'textarea', required: true },
  ],
  SELESAI: [
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
  TUNDA: [{ name: 'reason', label: 'Alasan penundaan', kind: 'textarea', required: true }],
  LIMPAHKAN: [{ name: 'unitCode', label: 'Unit tujuan', kind: 'unit', required: true }],
  BERKAS_TIDAK_LENGKAP: [
    {
      name: 'kekurangan',
      label: 'Kekurangan berkas',
      kind: 'textarea',
      required: true,
      hint: 'Disampaikan kepada pengadu; batas kelengkapan 10 hari kerja.',
    },
  ],
  TIDAK_BERWENANG: [
    { name: 'referral', label: 'Rujukan kepada instansi yang berwenang', kind: 'textarea', required: true },
  ],
  MEDIASI_DISETUJUI: [
    { name: 'mediatorId', label: 'Mediator', kind: 'officer', required: true },
    {
      name: 'institutionIds',
      label: 'Pihak teradu yang ikut mediasi',
      kind: 'institutions',
      required: true,
      hint: 'Tahan Ctrl (atau Cmd) untuk memilih lebih dari satu.',
    },
  ],
  MEDIASI_DITOLAK: [
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
  MEDIASI_BERHASIL: [
    { name: 'kesepakatan', label: 'Isi kesepakatan para pihak', kind: 'textarea', required: true },
  ],
  MEDIASI_GAGAL: [{ name: 'alasan', label: 'Alasan mediasi gagal', kind: 'textarea', required: true }],
  KESEPAKATAN_DIINGKARI: [
    { name: 'alasan', label: 'Bagaimana kesepakatan diingkari', kind: 'textarea', required: true },
  ],
};

/** The forms of one workflow version: a choice the version does not offer is not shown. */
export function fieldsFor(
  choices: Record<string, Record<string, readonly string[]>>,
): Record<string, EventField[]> {
  return Object.fromEntries(
    Object.entries(EVENT_FIELDS).map(([type, fields]) => [
      type,
      fields.map((field) => {
        const offered = choices[type]?.[field.name];
        return offered && field.options
          ? { ...field, options: field.options.filter(([value]) => offered.includes(value)) }
          : field;
      }),
    ]),
  );
}

/** Events the system alone sends: never offered as a button. */
export const SYSTEM_EVENTS = new Set(['DICABUT']);

type Form = Record<string, FormValue>;

export function eventBody(type: string, form: Form, zone: string): Record<string, unknown> {
  const body: Record<string, unknown> = { type };
  const occurred = formText(form.occurredAt);
  if (occurred) body.occurredAt = fromLocalInput(occurred, zone) ?? occurred;
  const note = formText(form.catatan);
  if (note) body.catatan = note;
  const lateReason = formText(form.alasanTerlambat);
  if (lateReason) body.alasanTerlambat = lateReason;
  for (const field of EVENT_FIELDS[type] ?? []) {
    const raw = form[field.name];
    if (field.kind === 'checkbox') body[field.name] = raw === 'ya';
    else if (field.kind === 'institutions') body[field.name] = formList(raw);
    else if (field.kind === 'reminders-decision') {
      // Absent when no institution is still reminded: the API then asks nothing.
      if (formText(raw)) body[field.name] = formText(raw);
    } else body[field.name] = formText(raw);
  }
  return body;
}
