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

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
