import { DateTime } from 'luxon';

const ZONE_NAMES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/** A moment as Indonesian letters write it: "28 Mei 2024 23.59 WIB". */
export function formatLocal(at: Date, zone: string): string {
  return `${DateTime.fromJSDate(at, { zone }).setLocale('id').toFormat('d MMMM yyyy HH.mm')} ${ZONE_NAMES[zone] ?? zone}`;
}

/** The months as Indonesian reports name them, January first. */
export const MONTH_NAMES = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
] as const;

/** A day as Indonesian letters write it, in `zone`: "2 Desember 2026". */
export function formatLocalDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale('id').toFormat('d MMMM yyyy');
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
