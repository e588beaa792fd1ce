import { DateTime } from 'luxon';
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
    // Dates of the unit's zone; without one, the API's period starts on its local 1 January.
    const from = DATE.test(param('dari')) ? param('dari') : '';
    const to = DATE.test(param('sampai')) ? param('sampai') : '';
    const [summary, overdue, dueSoon, names, zones, allUnits] = await Promise.all([
      api.get<SlaSummary>('/sla/summary', { unitCode, from: from || undefined, to: to || undefined }),
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
        note: `${c.onTime}/${c.finished + c.openOverdue}`,
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
    const zone = zones[unitCode || user.unitCode] ?? 'Asia/Jakarta';
    const localDate = (at: string) => DateTime.fromISO(at, { zone }).toISODate() ?? '';
    render('dashboard', {
      title: 'Dasbor tenggat',
      summary,
      overdue,
      dueSoon,
      names,
      zones,
      chart,
      totals,
      filter: { unitCode, from: from || localDate(summary.period.from), to },
      units: seesAll ? allUnits : [],
    });
  });
}
