import { holdsAny, IMPORTERS } from '../../common/access-policy';
import { MONTH_NAMES } from '../../common/format';
import { lineChart } from '../charts';
import type { ConsoleRoutes, PageContext } from '../console.router';
import { stepNames, units, zonesByUnit } from '../reference-cache';
import { pipeDownload } from './case.pages';
import { queryText } from '../form-values';
import { RECAP_COLUMN_SPECS } from '../../reports/recap-columns';

/** The recap's columns as the console's table shows them: [key, header], from the one registry. */
export const RECAP_COLUMNS: [string, string][] = RECAP_COLUMN_SPECS.map((c) => [c.key, c.header]);

export const PERIODS: [string, string][] = [
  ['', 'Setahun'],
  ['S1', 'Semester I'],
  ['S2', 'Semester II'],
  ['T1', 'Triwulan I'],
  ['T2', 'Triwulan II'],
  ['T3', 'Triwulan III'],
  ['T4', 'Triwulan IV'],
  ...Array.from({ length: 12 }, (_, i): [string, string] => [
    `B${String(i + 1).padStart(2, '0')}`,
    MONTH_NAMES[i],
  ]),
];

const DRILL_PAGE_SIZE = 100;

/** The chart's short month labels. */
const MONTHS = MONTH_NAMES.map((m) => m.slice(0, 3));

interface ReportFilter {
  unitCode: string;
  year: number;
  period: string;
  asOf: string;
}

/** The page's filter from its query string; a Kanwil user's default is its own unit. */
function filterOf(ctx: PageContext): ReportFilter {
  const param = (key: string) => queryText(ctx.req.query, key);
  const year = Number(param('tahun'));
  return {
    unitCode: param('unit') || ctx.user.unitCode,
    year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : new Date().getUTCFullYear(),
    period: PERIODS.some(([code]) => code === param('periode')) ? param('periode') : '',
    asOf: /^\d{4}-\d{2}-\d{2}$/.test(param('batas')) ? param('batas') : '',
  };
}

/** The API's query for a filter: S1/T2/B03 become semester, quarter or month. */
export function apiQuery(f: ReportFilter): Record<string, string | number | undefined> {
  return {
    unitCode: f.unitCode,
    year: f.year,
    semester: f.period.startsWith('S') ? Number(f.period.slice(1)) : undefined,
    quarter: f.period.startsWith('T') ? Number(f.period.slice(1)) : undefined,
    month: f.period.startsWith('B') ? f.period : undefined,
    asOf: f.asOf || undefined,
  };
}

/** The console's own address for the same filter, plus what a link adds. */
export function linkOf(path: string, f: ReportFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    unit: f.unitCode,
    tahun: String(f.year),
    ...(f.period ? { periode: f.period } : {}),
    ...(f.asOf ? { batas: f.asOf } : {}),
    ...extra,
  });
  return `${path}?${params.toString()}`;
}

export function registerReportPages(routes: ConsoleRoutes): void {
  routes.page('get', '/laporan', async (ctx) => {
    const f = filterOf(ctx);
    const indicatorQuery = { unitCode: f.unitCode, year: f.year, asOf: f.asOf || undefined };
    const [recap, indicator, series, allUnits, ikm] = await Promise.all([
      ctx.api.get<{
        rows: Record<string, number | string>[];
        totals: Record<string, number>;
        period: { label: string };
        asOf: string;
      }>('/reports/rekapitulasi', apiQuery(f)),
      ctx.api.get<
        Record<string, unknown> & {
          target: string | number | null;
          display: { realisasi: string; capaian: string };
        }
      >('/indicators/ditindaklanjuti', indicatorQuery),
      ctx.api.get<{
        points: { period: string; realisasi: number | null; numerator: number; denominator: number }[];
      }>('/indicators/ditindaklanjuti/series', { ...indicatorQuery, by: 'month' }),
      units(ctx.api),
      ctx.api.get<{
        respondents: number;
        display: { nilai: string; target: string; capaian: string };
        months: { month: string; respondents: number; display: string }[];
      }>('/indicators/ikm', { unitCode: f.unitCode, year: f.year }),
    ]);
    const target = indicator.target === null ? null : Number(indicator.target);
    const trend = lineChart(
      `Realisasi indikator ditindaklanjuti ${f.year}, sampai akhir tiap bulan`,
      series.points.map((p, i) => ({
        label: MONTHS[i] ?? p.period,
        value: p.realisasi === null ? null : Number(p.realisasi),
      })),
      '%',
      target,
    );
    const seesAll = ctx.user.unitCode === 'PUSAT' || ctx.user.roles.includes('ADMIN');
    const choices = seesAll
      ? [{ code: 'ALL', name: 'Nasional (semua unit)' }, ...allUnits]
      : allUnits.filter((u) => u.code === ctx.user.unitCode);
    ctx.render('reports', {
      title: 'Laporan',
      mayImport: holdsAny(ctx.user.roles, IMPORTERS),
      f,
      recap,
      indicator,
      series,
      ikm,
      trend,
      columns: RECAP_COLUMNS,
      periods: PERIODS,
      units: choices,
      months: MONTH_NAMES,
      link: (path: string, extra: Record<string, string> = {}) => linkOf(path, f, extra),
    });
  });

  routes.page('get', '/laporan/kasus', async (ctx) => {
    const f = filterOf(ctx);
    const column = typeof ctx.req.query.kolom === 'string' ? ctx.req.query.kolom : '';
    const province = typeof ctx.req.query.provinsi === 'string' ? ctx.req.query.provinsi : '';
    const page = Math.max(1, Number(ctx.req.query.hal) || 1);
    const [drill, zones, names] = await Promise.all([
      ctx.api.get<{
        total: number;
        page: number;
        pageSize: number;
        cases: Record<string, string>[];
        period: { label: string };
        asOf: string;
      }>('/reports/rekapitulasi/cases', {
        ...apiQuery(f),
        column,
        provinceCode: province || undefined,
        page,
        pageSize: DRILL_PAGE_SIZE,
      }),
      zonesByUnit(ctx.api),
      stepNames(ctx.api),
    ]);
    const columnLabel = RECAP_COLUMNS.find(([key]) => key === column)?.[1] ?? column;
    const pageLink = (p: number) =>
      linkOf('/laporan/kasus', f, {
        kolom: column,
        ...(province ? { provinsi: province } : {}),
        hal: String(p),
      });
    ctx.render('report-cases', {
      title: `Kasus di balik ${columnLabel}`,
      f,
      drill,
      zones,
      names,
      column,
      columnLabel,
      province,
      pageLink,
      back: linkOf('/laporan', f),
    });
  });

  /** Exports come from the API as they are (CSV or XLSX laid out as the report table). */
  routes.page('get', '/laporan/unduh', async (ctx) => {
    const f = filterOf(ctx);
    const format = ctx.req.query.format === 'xlsx' ? 'xlsx' : 'csv';
    const kind = typeof ctx.req.query.jenis === 'string' ? ctx.req.query.jenis : 'rekap';
    const paths: Record<string, [string, Record<string, string | number | undefined>]> = {
      rekap: ['/reports/rekapitulasi', apiQuery(f)],
      seri: [
        '/indicators/ditindaklanjuti/series',
        { unitCode: f.unitCode, year: f.year, asOf: f.asOf || undefined, by: 'month' },
      ],
      kabupaten: ['/reports/pemeriksaan-kabupaten', { unitCode: f.unitCode, year: f.year }],
      ikm: ['/indicators/ikm', { unitCode: f.unitCode, year: f.year }],
    };
    const [path, query] = paths[kind] ?? paths.rekap;
    const answer = await ctx.api.raw(
      path,
      Object.fromEntries(
        Object.entries({ ...query, format }).map(([k, v]) => [k, v === undefined ? undefined : String(v)]),
      ),
    );
    await pipeDownload(ctx, answer);
  });
}
