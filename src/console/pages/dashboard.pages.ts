import { percentBars } from '../charts';
import type { ConsoleRoutes } from '../console.router';
import { stepNames, units, zonesByUnit } from '../reference-cache';
import type { CaseList } from './queue.pages';
import { queryText } from '../form-values';
import type { SlaSummary } from '../../sla/sla-summary.service';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function registerDashboardPages(routes: ConsoleRoutes): void {
  routes.page('get', '/dasbor', async ({ api, req, user, render }) => {
    const param = (key: string) => queryText(req.query, key);
    const unitCode = param('unit');
    const year = new Date().getUTCFullYear();
    const from = DATE.test(param('dari')) ? param('dari') : `${year}-01-01`;
    const to = DATE.test(param('sampai')) ? param('sampai') : '';
    const [summary, overdue, dueSoon, names, zones, allUnits] = await Promise.all([
      api.get<SlaSummary>('/sla/summary', { unitCode, from, to: to ? `${to}T23:59:59.999Z` : undefined }),
      api.get<CaseList>('/cases', { overdue: 'true', unitCode, pageSize: 20 }),
      api.get<CaseList>('/cases', { dueSoon: 'true', unitCode, pageSize: 20 }),
      stepNames(api),
      zonesByUnit(api),
      units(api),
    ]);
    // In the SOP's order of steps (the names carry their number), not alphabetically by state.
    const stepOrder = (step: string) => Number.parseInt(names[step] ?? '', 10) || 99;
    summary.compliance.sort((a, b) => stepOrder(a.step) - stepOrder(b.step));
    const chart = percentBars(
      'Kepatuhan tenggat per langkah SOP',
      summary.compliance.map((c) => ({
        label: names[c.step] ?? c.step,
        percent: c.onTimePercent,
        note: `${c.onTime}/${c.finished}`,
      })),
      { percent: 80, label: 'acuan 80%' },
    );
    const totals = summary.byUnit.reduce(
      (t, u) => ({
        open: t.open + u.open,
        overdue: t.overdue + u.overdue,
        dueSoon: t.dueSoon + u.dueSoon,
        onTime: t.onTime + u.onTime,
        paused: t.paused + u.paused,
      }),
      { open: 0, overdue: 0, dueSoon: 0, onTime: 0, paused: 0 },
    );
    const seesAll = user.unitCode === 'PUSAT' || user.roles.includes('ADMIN');
    render('dashboard', {
      title: 'Dasbor tenggat',
      summary,
      overdue,
      dueSoon,
      names,
      zones,
      chart,
      totals,
      filter: { unitCode, from, to },
      units: seesAll ? allUnits : [],
    });
  });
}
