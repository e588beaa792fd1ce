import type { ConsoleRoutes } from '../console.router';
import { units, workflowStages, zonesByUnit } from '../reference-cache';
import { queryText } from '../form-values';

export interface CaseListItem {
  id: string;
  registerNumber: string;
  unitCode: string;
  state: string;
  stateName: string;
  category: string;
  receivedAt: string;
  summary: string;
  suspended: boolean;
  deadline: { status: string; dueAt: string; clock: string; provisional: boolean } | null;
}

export interface CaseList {
  items: CaseListItem[];
  total: number;
  page: number;
  pageSize: number;
}

const PAGE_SIZE = 50;

function pageOf(raw: unknown): number {
  const page = Number(raw);
  return Number.isInteger(page) && page > 0 ? page : 1;
}

export function registerQueuePages(routes: ConsoleRoutes): void {
  routes.page('get', '/antrean', async ({ api, req, render }) => {
    const page = pageOf(req.query.hal);
    const [list, zones] = await Promise.all([
      api.get<CaseList>('/cases', { mine: 'true', page, pageSize: PAGE_SIZE }),
      zonesByUnit(api),
    ]);
    render('queue', { title: 'Antrean saya', list, zones, query: { hal: page }, base: '/antrean' });
  });

  routes.page('get', '/kasus', async ({ api, req, user, render }) => {
    const text = (key: string) => queryText(req.query, key);
    const filter = {
      q: text('q'),
      state: text('tahap'),
      category: text('kategori'),
      sla: text('sla'),
      year: text('tahun'),
      unitCode: text('unit'),
    };
    const page = pageOf(req.query.hal);
    const [list, zones, allUnits] = await Promise.all([
      api.get<CaseList>('/cases', {
        q: filter.q,
        state: filter.state,
        category: filter.category,
        overdue: filter.sla === 'OVERDUE' ? 'true' : undefined,
        dueSoon: filter.sla === 'DUE_SOON' ? 'true' : undefined,
        year: filter.year,
        unitCode: filter.unitCode,
        page,
        pageSize: PAGE_SIZE,
      }),
      zonesByUnit(api),
      units(api),
    ]);
    // The SOP's stages from the workflow versions (a prefix matches every step inside it).
    const stages = await workflowStages(api);
    const seesAll = user.unitCode === 'PUSAT' || user.roles.includes('ADMIN');
    render('cases', {
      title: 'Semua kasus',
      list,
      zones,
      filter,
      stages,
      units: seesAll ? allUnits : [],
      query: { ...filter, hal: page },
      base: '/kasus',
    });
  });
}
