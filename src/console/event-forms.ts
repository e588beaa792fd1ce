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
      options: [
        ['REKOMENDASI', 'Direkomendasikan'],
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
};

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
