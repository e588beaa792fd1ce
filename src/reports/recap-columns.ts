/**
 * The columns of the recap, declared once: key, Indonesian header, what it counts and which cases
 * open behind it. The recap's SQL and totals, its CSV/XLSX headers, the breakdowns, the drill-down
 * and the console's table are all made from this list; a new category is one line here.
 */
import type { Kategori } from '../../workflows';

export interface RecapColumnSpec {
  key: string;
  header: string;
  /**
   * `received`: complaints received in the period, of one category as of the cut-off (all, for the
   * sum); `responded`: responses that arrived in the period (each, or only each case's first).
   */
  source: 'received' | 'responded';
  category?: Kategori;
  firstResponseOnly?: boolean;
}

export const RECAP_COLUMN_SPECS = [
  { key: 'proses', header: 'PROSES', source: 'received', category: 'PROSES' },
  { key: 'file', header: 'FILE', source: 'received', category: 'FILE' },
  { key: 'telaahFile', header: 'TELAAH FILE', source: 'received', category: 'TELAAH_FILE' },
  { key: 'telaahMediasi', header: 'TELAAH MEDIASI', source: 'received', category: 'TELAAH_MEDIASI' },
  {
    key: 'telaahRekomendasi',
    header: 'TELAAH REKOMENDASI',
    source: 'received',
    category: 'TELAAH_REKOMENDASI',
  },
  { key: 'rekomendasi', header: 'REKOMENDASI', source: 'received', category: 'REKOMENDASI' },
  { key: 'jumlah', header: 'JUMLAH', source: 'received' },
  { key: 'tanggapan', header: 'TANGGAPAN', source: 'responded' },
  { key: 'kasusDitanggapi', header: 'KASUS DITANGGAPI', source: 'responded', firstResponseOnly: true },
] as const satisfies readonly RecapColumnSpec[];

export type RecapColumn = (typeof RECAP_COLUMN_SPECS)[number]['key'];
export type CategoryColumn = Extract<(typeof RECAP_COLUMN_SPECS)[number], { source: 'received' }>['key'];

export const RECAP_COLUMNS: readonly RecapColumn[] = RECAP_COLUMN_SPECS.map((c) => c.key);

/** The columns over the complaints received (the categories and their sum): what a breakdown shows. */
export const CATEGORY_COLUMNS = RECAP_COLUMN_SPECS.filter(
  (c): c is Extract<(typeof RECAP_COLUMN_SPECS)[number], { source: 'received' }> => c.source === 'received',
);

const RESPONSE_COLUMNS = RECAP_COLUMN_SPECS.filter((c) => c.source === 'responded');

export function columnSpec(key: RecapColumn): RecapColumnSpec {
  return RECAP_COLUMN_SPECS.find((c) => c.key === key)!;
}

/** Aggregates over rows with a `category`: one per received column. */
export function categoryCountsSql(): string {
  return CATEGORY_COLUMNS.map((c) =>
    'category' in c
      ? `count(*) FILTER (WHERE category = '${c.category}')::int AS "${c.key}"`
      : `count(*)::int AS "${c.key}"`,
  ).join(',\n  ');
}

/**
 * Aggregates over follow-up rows (`first_follow_up`, `case_id`, `response`): one per
 * response column. TANGGAPAN counts the institutions' responses; KASUS DITANGGAPI the cases whose
 * first follow-up (a response, or a mediation agreement) fell in the period.
 */
export function responseCountsSql(): string {
  return RESPONSE_COLUMNS.map((c) =>
    'firstResponseOnly' in c
      ? `count(DISTINCT case_id) FILTER (WHERE first_follow_up)::int AS "${c.key}"`
      : `count(*) FILTER (WHERE response)::int AS "${c.key}"`,
  ).join(',\n  ');
}

/** Each column of a joined row, zero where the province had none. */
export function coalescedColumnsSql(received: string, responded: string): string {
  return RECAP_COLUMN_SPECS.map(
    (c) => `coalesce(${c.source === 'received' ? received : responded}."${c.key}", 0) AS "${c.key}"`,
  ).join(', ');
}
