import type { ConsoleRoutes, PageContext } from '../console.router';
import { units, workflowStages, zonesByUnit } from '../reference-cache';
import { formList, formText, queryText } from '../form-values';
import { ApiError } from '../api-client';
import { ASSIGNERS, HANDLING_ROLES, holdsAny } from '../../common/access-policy';

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
  closed: boolean;
  assignee: { id: string; username: string; fullName: string } | null;
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

  const listPage = async (
    { api, req, user, render }: PageContext,
    bulkResult?: { done: number; failed: { registerNumber: string; message: string }[] },
  ) => {
    const text = (key: string) => queryText(req.query, key);
    const filter = {
      q: text('q'),
      state: text('tahap'),
      category: text('kategori'),
      sla: text('sla'),
      year: text('tahun'),
      unitCode: text('unit'),
      assignee: text('petugas'),
      // The API names a wrong order (400); the links offer only the right ones.
      sort: text('urut'),
    };
    const page = pageOf(req.query.hal);
    const handles = holdsAny(user.roles, HANDLING_ROLES);
    const [list, zones, allUnits, officers] = await Promise.all([
      api.get<CaseList>('/cases', {
        q: filter.q,
        state: filter.state,
        category: filter.category,
        overdue: filter.sla === 'OVERDUE' ? 'true' : undefined,
        dueSoon: filter.sla === 'DUE_SOON' ? 'true' : undefined,
        year: filter.year,
        unitCode: filter.unitCode,
        assignee: filter.assignee || undefined,
        sort: filter.sort || undefined,
        page,
        pageSize: PAGE_SIZE,
      }),
      zonesByUnit(api),
      units(api),
      handles ? api.get<Officer[]>(`/units/${encodeURIComponent(user.unitCode)}/officers`) : [],
    ]);
    // The SOP's stages from the workflow versions (a prefix matches every step inside it).
    const stages = await workflowStages(api);
    const seesAll = user.unitCode === 'PUSAT' || user.roles.includes('ADMIN');
    const query = {
      q: filter.q,
      tahap: filter.state,
      kategori: filter.category,
      sla: filter.sla,
      tahun: filter.year,
      unit: filter.unitCode,
      petugas: filter.assignee,
      urut: filter.sort,
    };
    render('cases', {
      title: 'Semua kasus',
      list,
      zones,
      filter,
      stages,
      officers,
      units: seesAll ? allUnits : [],
      query: { ...query, hal: page },
      base: '/kasus',
      sortable: true,
      // The unit's heads give several cases at once; each is its own audited assignment.
      bulk: holdsAny(user.roles, ASSIGNERS),
      bulkResult,
    });
  };

  routes.page('get', '/kasus', (ctx) => listPage(ctx));

  routes.page('post', '/kasus/tugaskan', async (ctx) => {
    const form = ctx.req.body as Record<string, string | string[]>;
    const ids = formList(form.ids);
    const userId = formText(form.userId) || null;
    const failed: { registerNumber: string; message: string }[] = [];
    let done = 0;
    for (const id of ids) {
      try {
        await ctx.api.put(`/cases/${encodeURIComponent(id)}/assignee`, { userId });
        done += 1;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const known = await ctx.api
          .get<{ registerNumber: string }>(`/cases/${encodeURIComponent(id)}`)
          .catch(() => ({ registerNumber: 'kasus tidak dikenal' }));
        failed.push({
          registerNumber: known.registerNumber,
          message: error.byField().userId ?? error.message,
        });
      }
    }
    await listPage(ctx, { done, failed });
  });
}

interface Officer {
  id: string;
  username: string;
  fullName: string;
}
