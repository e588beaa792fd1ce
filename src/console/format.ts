import { escapeHtml } from '../common/format';
/**
 * What the console shows users, in Bahasa Indonesia: labels for the domain's codes and local
 * dates in the unit's own zone. Pure, and shared by every template through `h`.
 */

export const ZONE_NAMES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/**
 * The history's own records, which are no workflow's events; the events' labels are the workflow
 * packs' forms (GET /api/workflows).
 */
export const RECORD_LABELS: Record<string, string> = {
  REGISTRASI: 'Pengaduan didaftarkan',
  // The system's record of a deadline moved by a change of the calendar or the unit's settings.
  TENGGAT_DIHITUNG_ULANG: 'Tenggat dihitung ulang',
  // A unit head's decision to stop the reminders to one institution.
  PENGINGAT_DIHENTIKAN: 'Pengingat dihentikan',
  // A unit head gave the case to an officer, or back to the unit's shared queue.
  PENUGASAN: 'Penugasan petugas',
};

export const STATUS_LABELS: Record<string, string> = {
  ON_TIME: 'Tepat waktu',
  DUE_SOON: 'Segera jatuh tempo',
  OVERDUE: 'Lewat tenggat',
  PAUSED: 'Ditunda',
};

export const CATEGORY_LABELS: Record<string, string> = {
  PROSES: 'Proses',
  FILE: 'File',
  TELAAH_FILE: 'Telaah - file',
  TELAAH_MEDIASI: 'Telaah - mediasi',
  TELAAH_REKOMENDASI: 'Telaah - rekomendasi',
  REKOMENDASI: 'Rekomendasi',
};

export const ROLE_LABELS: Record<string, string> = {
  ADMIN: 'Administrator',
  PETUGAS: 'Petugas',
  KASUBBID: 'Kasubbid',
  KABID: 'Kabid HAM',
  KADIV: 'Kadiv Yankumham',
  KAKANWIL: 'Kakanwil',
  PEMANTAU: 'Pemantau',
};

export const DISPATCH_LABELS: Record<string, string> = {
  MENUNGGU: 'Menunggu tanggapan',
  DITANGGAPI: 'Sudah ditanggapi',
  DIHENTIKAN: 'Pengingat dihentikan',
  PENDING: 'Dalam antrean',
  SENDING: 'Sedang dikirim',
  SENT: 'Terkirim',
  FAILED: 'Gagal',
  CANCELLED: 'Dibatalkan',
};

/** Reminder stages of the default schedule and their addressees, as the desk reads them. */
export const REMINDER_LABELS: Record<string, string> = {
  PEMBERITAHUAN: 'Pemberitahuan batas waktu',
  PENGINGAT_I: 'Pengingat I',
  PENGINGAT_II: 'Pengingat II',
  ESKALASI: 'Eskalasi',
  PENGANTAR_SURAT: 'Pengantar surat rekomendasi',
  INSTITUSI: 'instansi',
  INDUK: 'instansi induk',
  PIMPINAN: 'pimpinan unit',
};

/** The API's field names as the admin forms label them, for error summaries. */
export const ADMIN_FIELD_LABELS: Record<string, string> = {
  name: 'Nama',
  email: 'Email',
  type: 'Jenis',
  provinceCode: 'Provinsi',
  parentId: 'Instansi induk',
  extraEmails: 'Email tembusan',
  username: 'Nama pengguna',
  fullName: 'Nama lengkap',
  password: 'Kata sandi',
  roles: 'Peran',
  unitCode: 'Unit',
  code: 'Kode',
  kind: 'Jenis unit',
  timeZone: 'Zona waktu',
  subject: 'Perihal',
  bodyText: 'Isi surat',
  stages: 'Tahap pengingat',
  date: 'Tanggal',
  officeAddress: 'Alamat kantor',
  workflowVersion: 'Versi alur kerja',
};

/** A field's label; an indexed field (`extraEmails[1]`) by its list's label and position. */
export function fieldLabel(field: string): string {
  const [, base, index] = /^([^[]+)(?:\[(\d+)\])?/.exec(field) ?? [];
  const name = ADMIN_FIELD_LABELS[base ?? field];
  if (!name) return field;
  return index === undefined ? name : `${name} ke-${Number(index) + 1}`;
}

export function label(map: Record<string, string>, code: string | null | undefined): string {
  if (!code) return '-';
  return map[code] ?? code;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('id-ID', {
      timeZone: zone,
      weekday: withTime ? undefined : 'long',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** `23 Nov 2026 14.05 WIB` in the given zone. */
export function dateTime(iso: string | null | undefined, zone = 'Asia/Jakarta'): string {
  if (!iso) return '-';
  return `${formatter(zone, true).format(new Date(iso))} ${ZONE_NAMES[zone] ?? zone}`;
}

/** `Senin, 23 Nov 2026` for a local date (`YYYY-MM-DD`). */
export function civilDate(date: string): string {
  return formatter('UTC', false).format(new Date(`${date}T00:00:00Z`));
}

/** The value for a datetime-local field: the instant as wall time in the zone. */
export function localInput(instant: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A datetime-local value read as wall time in the zone, as ISO 8601 with that zone's offset. */
export function fromLocalInput(value: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  // Indonesian zones have no daylight saving: one offset lookup is exact.
  const offsetMinutes = zoneOffset(zone, asUtc);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function zoneOffset(zone: string, instant: number): number {
  const local = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  })
    .formatToParts(new Date(instant))
    .reduce<Record<string, number>>(
      (acc, p) => (p.type === 'literal' ? acc : { ...acc, [p.type]: Number(p.value) }),
      {},
    );
  return Math.round(
    (Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) - instant) / 60_000,
  );
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1).replace('.', ',')} KB`;
  return `${(size / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

/** The helpers every template sees as `h`. */
export const h = {
  escape: escapeHtml,
  label,
  fieldLabel,
  dateTime,
  civilDate,
  bytes,
  STATUS_LABELS,
  CATEGORY_LABELS,
  ROLE_LABELS,
  DISPATCH_LABELS,
  REMINDER_LABELS,
  ZONE_NAMES,
};
