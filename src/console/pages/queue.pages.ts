import type { ConsoleRoutes, PageContext } from '../console.router';
import { eventLabels, units, workflowForms, workflowStages, zonesByUnit } from '../reference-cache';
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
  /** The events the caller may send now. */
  availableActions: string[];
  workflow: { id: string; version: number };
  version: number;
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
  const queuePage = async (
    { api, req, render }: PageContext,
    bulkResult?: { action: string; done: number; failed: { registerNumber: string; message: string }[] },
  ) => {
    const page = pageOf(req.query.hal);
    const [list, zones, labels] = await Promise.all([
      api.get<CaseList>('/cases', { mine: 'true', page, pageSize: PAGE_SIZE }),
      zonesByUnit(api),
      eventLabels(api),
    ]);
    const actions = await bulkActions(api, list.items);
    render('queue', {
      title: 'Antrean saya',
      list,
      zones,
      query: { hal: page },
      base: '/antrean',
      // Several cases at once (a head's dispositions, approvals): each is its own audited event.
      bulk: actions.length > 0,
      bulkActions: actions.map((type) => [type, labels[type] ?? type]),
      selectable: (c: CaseListItem) => c.availableActions.some((type) => actions.includes(type)),
      bulkResult: bulkResult && { ...bulkResult, label: labels[bulkResult.action] ?? bulkResult.action },
    });
  };
  routes.page('get', '/antrean', (ctx) => queuePage(ctx));

  // One event per chosen case, each with the version the list showed (a case changed since is
  // refused alone, with the news), and the outcome of each.
  routes.page('post', '/antrean/tindakan', async (ctx) => {
    const form = ctx.req.body as Record<string, string | string[]>;
    const action = formText(form.action);
    const note = formText(form.catatan);
    const outcome = await eachCase(
      ctx,
      formList(form.ids).map((pair) => pair.split('@')),
      ([id, version]) =>
        ctx.api.post(
          `/cases/${encodeURIComponent(id)}/events`,
          { type: action, ...(note ? { catatan: note } : {}) },
          /^\d+$/.test(version ?? '') ? { 'If-Match': `"${version}"` } : {},
        ),
      ([id]) => id,
      bulkRefusal,
    );
    await queuePage(ctx, { action, ...outcome });
  });

  const listPage = async (
    { api, req, res, user, render }: PageContext,
    bulkResult?: { done: number; failed: { registerNumber: string; message: string }[] },
    viewError?: string,
    viewName?: string,
    given?: ListFilter,
  ) => {
    const filter = given ?? listFilter((key) => queryText(req.query, key));
    const page = pageOf(req.query.hal);
    const handles = holdsAny(user.roles, HANDLING_ROLES);
    const [list, zones, allUnits, officers, views] = await Promise.all([
      api.get<CaseList>('/cases', { ...apiFilters(filter), page, pageSize: PAGE_SIZE }),
      zonesByUnit(api),
      units(api),
      handles ? api.get<Officer[]>(`/units/${encodeURIComponent(user.unitCode)}/officers`) : [],
      api.get<SavedView[]>('/case-views'),
    ]);
    // The SOP's stages from the workflow versions (a prefix matches every step inside it).
    const stages = await workflowStages(api);
    const seesAll = user.unitCode === 'PUSAT' || user.roles.includes('ADMIN');
    const query = consoleQuery(filter);
    render(
      'cases',
      {
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
        // Each saved view as a link to the list with its filters.
        views: views.map((v) => ({
          ...v,
          href: `/kasus?${new URLSearchParams(compact(consoleQuery(fromApi(v.filters)))).toString()}`,
        })),
        viewSaved: typeof req.query.tersimpan === 'string',
        viewError,
        viewName,
      },
      res.statusCode,
    );
  };

  routes.page('get', '/kasus', (ctx) => listPage(ctx));

  // The list's filters kept under a name (the API checks them as the list does).
  routes.page('post', '/kasus/tampilan', async (ctx) => {
    const form = ctx.req.body as Record<string, string | string[]>;
    const filter = listFilter((key) => formText(form[key]));
    const name = formText(form.name);
    try {
      await ctx.api.post('/case-views', { name, filters: compact(apiFilters(filter)) });
      ctx.res.redirect(
        303,
        `/kasus?${new URLSearchParams({ ...compact(consoleQuery(filter)), tersimpan: '1' }).toString()}`,
      );
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      ctx.res.status(400);
      await listPage(
        ctx,
        undefined,
        error.details.map((d) => d.reason).join('; ') || error.message,
        name,
        filter,
      );
    }
  });
  routes.page('post', '/kasus/tampilan/:id/hapus', async (ctx) => {
    await ctx.api.delete(`/case-views/${encodeURIComponent(String(ctx.req.params.id))}`);
    ctx.res.redirect(303, '/kasus');
  });

  routes.page('post', '/kasus/tugaskan', async (ctx) => {
    const form = ctx.req.body as Record<string, string | string[]>;
    const userId = formText(form.userId) || null;
    const outcome = await eachCase(
      ctx,
      formList(form.ids),
      (id) => ctx.api.put(`/cases/${encodeURIComponent(id)}/assignee`, { userId }),
      (id) => id,
      (error) => error.byField().userId ?? error.message,
    );
    await listPage(ctx, outcome);
  });
}

/**
 * A bulk action: `work` for each chosen case, each its own API call; a case the API refuses is
 * named by its register number (looked up only then) with the reason, and the rest go on.
 */
async function eachCase<T>(
  ctx: PageContext,
  chosen: T[],
  work: (item: T) => Promise<unknown>,
  idOf: (item: T) => string,
  reason: (error: ApiError) => string,
): Promise<{ done: number; failed: { registerNumber: string; message: string }[] }> {
  const failed: { registerNumber: string; message: string }[] = [];
  let done = 0;
  for (const item of chosen) {
    try {
      await work(item);
      done += 1;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const known = await ctx.api
        .get<{ registerNumber: string }>(`/cases/${encodeURIComponent(idOf(item))}`)
        .catch(() => ({ registerNumber: 'kasus tidak dikenal' }));
      failed.push({ registerNumber: known.registerNumber, message: reason(error) });
    }
  }
  return { done, failed };
}

/** Why one case of a bulk action was not recorded, as the desk reads it. */
function bulkRefusal(error: ApiError): string {
  const details = (error.body.details ?? {}) as Record<string, unknown>;
  if (error.status === 409 && 'currentVersion' in details)
    return 'kasus sudah berubah sejak daftar ditampilkan; buka kasusnya';
  if (error.status === 409 && 'allowedEvents' in details)
    return 'tindakan ini tidak berlaku pada langkah kasus saat ini';
  if (error.status === 400 && error.details.length) return error.details.map((d) => d.reason).join('; ');
  return error.message;
}

/**
 * The actions the queue offers for several cases at once: those some listed case allows the
 * caller now whose form asks for nothing (a disposition, an approval), so that one click says
 * the same for each case.
 */
async function bulkActions(api: PageContext['api'], items: CaseListItem[]): Promise<string[]> {
  const found = new Set<string>();
  const versions = new Map(items.map((c) => [`${c.workflow.id}@${c.workflow.version}`, c.workflow]));
  for (const workflow of versions.values()) {
    const forms = await workflowForms(api, workflow);
    for (const c of items.filter(
      (i) => i.workflow.id === workflow.id && i.workflow.version === workflow.version,
    ))
      for (const type of c.availableActions)
        if (forms[type] && forms[type].fields.every((field) => !field.required)) found.add(type);
  }
  return [...found].sort();
}

/** The case list's filters under the console's own parameter names. */
interface ListFilter {
  q: string;
  state: string;
  category: string;
  sla: string;
  year: string;
  unitCode: string;
  assignee: string;
  sort: string;
}

function listFilter(text: (key: string) => string): ListFilter {
  return {
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
}

/** The filters as the list's API takes them (and a saved view keeps them). */
function apiFilters(f: ListFilter): Record<string, string | undefined> {
  return {
    q: f.q || undefined,
    state: f.state || undefined,
    category: f.category || undefined,
    overdue: f.sla === 'OVERDUE' ? 'true' : undefined,
    dueSoon: f.sla === 'DUE_SOON' ? 'true' : undefined,
    year: f.year || undefined,
    unitCode: f.unitCode || undefined,
    assignee: f.assignee || undefined,
    sort: f.sort || undefined,
  };
}

/** A saved view's API filters back as the console's filter. */
function fromApi(v: Record<string, string | undefined>): ListFilter {
  return {
    q: v.q ?? '',
    state: v.state ?? '',
    category: v.category ?? '',
    sla: v.overdue === 'true' ? 'OVERDUE' : v.dueSoon === 'true' ? 'DUE_SOON' : '',
    year: v.year ?? '',
    unitCode: v.unitCode ?? '',
    assignee: v.assignee ?? '',
    sort: v.sort ?? '',
  };
}

/** The filter as the page's query string names it. */
function consoleQuery(f: ListFilter): Record<string, string> {
  return {
    q: f.q,
    tahap: f.state,
    kategori: f.category,
    sla: f.sla,
    tahun: f.year,
    unit: f.unitCode,
    petugas: f.assignee,
    urut: f.sort,
  };
}

/** Only the fields that say something. */
function compact(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}

interface SavedView {
  id: string;
  name: string;
  filters: Record<string, string>;
}

interface Officer {
  id: string;
  username: string;
  fullName: string;
}
