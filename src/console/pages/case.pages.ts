import { ApiError } from '../api-client';
import type { ConsoleRoutes, PageContext } from '../console.router';
import { eventBody } from '../event-forms';
import { formText } from '../form-values';
import { eventLabels, referenceNames, units, workflowForms, zoneOf } from '../reference-cache';
import { HANDLING_ROLES, holdsAny, REMINDER_DECIDERS } from '../../common/access-policy';

interface CaseDetail {
  id: string;
  registerNumber: string;
  unitCode: string;
  state: string;
  stateName: string;
  version: number;
  closed: boolean;
  workflow: { id: string; version: number };
  availableActions: string[];
  locus: { provinceCode: string; regency: string | null };
  dispatches: {
    id: string;
    institutionId: string;
    institutionName: string;
    status: string;
    respondedAt: string | null;
  }[];
  complainant?: { hidden: boolean; confidential: boolean };
  [key: string]: unknown;
}

interface ActionError {
  type: string;
  message: string;
  errors: Record<string, string>;
  form: Record<string, unknown>;
}

async function showCase(
  ctx: PageContext,
  id: string,
  extra: {
    actionError?: ActionError;
    /** A refused stop of reminders, shown at its dispatch's row. */
    stopError?: { dispatchId: string; message: string; form: Record<string, unknown> };
    notice?: string;
    complainant?: unknown;
    receipt?: unknown;
    invitation?: unknown;
  } = {},
  status = 200,
) {
  const path = `/cases/${encodeURIComponent(id)}`;
  const item = await ctx.api.get<CaseDetail>(path);
  const [history, deadline, attachments, zone, unitList, names] = await Promise.all([
    ctx.api.get<unknown[]>(`${path}/history`),
    ctx.api.get<{ deadline: unknown; workingDays: number; days: unknown[] }>(`${path}/deadline`),
    ctx.api.get<unknown[]>(`${path}/attachments`),
    zoneOf(ctx.api, item.unitCode),
    units(ctx.api),
    referenceNames(ctx.api),
  ]);
  // The caller's actions: the system's own events (DICABUT) are no role's, so never among them.
  const actions = item.availableActions;
  const [forms, labels] = await Promise.all([workflowForms(ctx.api, item.workflow), eventLabels(ctx.api)]);
  const asks = (kind: string) =>
    actions.some((type) => (forms[type]?.fields ?? []).some((f) => f.kind === kind));
  // Institutions are listed only when an action names them now: those of the locus's province first.
  let institutions: { id: string; name: string; provinceCode: string | null }[] = [];
  const officers = asks('officer')
    ? await ctx.api.get<{ id: string; username: string; fullName: string }[]>(
        `/units/${encodeURIComponent(item.unitCode)}/officers`,
      )
    : [];
  if (asks('institutions')) {
    const [local, all] = await Promise.all([
      ctx.api.get<typeof institutions>('/institutions', { provinceCode: item.locus.provinceCode }),
      ctx.api.get<typeof institutions>('/institutions'),
    ]);
    const seen = new Set(local.map((i) => i.id));
    institutions = [...local, ...all.filter((i) => !seen.has(i.id))];
  }
  // Names for the ids a history carries beyond the letters' (a mediation's parties and mediator).
  const payloads = (history as { payload?: Record<string, unknown> }[]).map((h) => h.payload ?? {});
  const named = new Set(item.dispatches.map((d) => d.institutionId));
  const partyIds = [
    ...new Set(
      payloads.flatMap((p) => (Array.isArray(p.institutionIds) ? (p.institutionIds as string[]) : [])),
    ),
  ].filter((id) => !named.has(id));
  const parties = await Promise.all(
    partyIds.map((id) =>
      ctx.api.get<{ id: string; name: string }>(`/institutions/${encodeURIComponent(id)}`).catch(() => null),
    ),
  );
  const staff =
    officers.length || !payloads.some((p) => typeof p.mediatorId === 'string')
      ? officers
      : await ctx.api.get<typeof officers>(`/units/${encodeURIComponent(item.unitCode)}/officers`);
  const handles = ctx.user.unitCode === item.unitCode && holdsAny(ctx.user.roles, HANDLING_ROLES);
  ctx.render(
    'case',
    {
      title: item.registerNumber,
      item,
      names,
      history,
      deadline,
      attachments,
      zone,
      actions,
      forms,
      labels,
      officers,
      partyNames: Object.fromEntries(parties.filter((p) => p !== null).map((p) => [p.id, p.name])),
      officerNames: Object.fromEntries(staff.map((o) => [o.id, `${o.fullName} (${o.username})`])),
      institutions,
      openDispatches: item.dispatches.filter((d) => !d.respondedAt),
      waitingDispatches: item.dispatches.filter((d) => d.status === 'MENUNGGU'),
      decidesReminders: ctx.user.unitCode === item.unitCode && holdsAny(ctx.user.roles, REMINDER_DECIDERS),
      units: unitList.filter((u) => u.active && u.code !== item.unitCode),
      handles,
      mayReveal: handles || ctx.user.roles.includes('ADMIN'),
      closed: item.closed,
      ...extra,
    },
    status,
  );
}

export function registerCasePages(routes: ConsoleRoutes): void {
  routes.page('get', '/kasus/:id', async (ctx) => {
    const id = String(ctx.req.params.id);
    // A notice only from the fixed list of codes the console itself redirects with: never the URL's own text.
    const ok = ctx.req.query.ok;
    const notice =
      typeof ok === 'string' && (ok === 'LAMPIRAN' || Object.hasOwn(await eventLabels(ctx.api), ok))
        ? ok
        : undefined;
    // The identity is read only on request: the API records every read in the audit log.
    const complainant =
      ctx.req.query.pengadu === '1'
        ? await ctx.api.get(`/cases/${encodeURIComponent(id)}/complainant`)
        : undefined;
    await showCase(ctx, id, { notice, complainant });
  });

  routes.page('post', '/kasus/:id/peristiwa', async (ctx) => {
    const id = String(ctx.req.params.id);
    const form = ctx.req.body as Record<string, string | string[]>;
    const type = String(form.type ?? '');
    const item = await ctx.api.get<CaseDetail>(`/cases/${encodeURIComponent(id)}`);
    const zone = await zoneOf(ctx.api, item.unitCode);
    try {
      // The version the officer was looking at: if someone acted meanwhile, the API refuses (409).
      const fields = (await workflowForms(ctx.api, item.workflow))[type]?.fields ?? [];
      await ctx.api.post(`/cases/${encodeURIComponent(id)}/events`, eventBody(type, fields, form, zone), {
        'if-match': `"${String(form.version ?? '')}"`,
      });
      ctx.res.redirect(303, `/kasus/${encodeURIComponent(id)}?ok=${encodeURIComponent(type)}`);
    } catch (error) {
      if (!(error instanceof ApiError) || ![400, 409].includes(error.status)) throw error;
      const stale =
        error.status === 409 &&
        (error.body.details as { currentVersion?: number } | undefined)?.currentVersion !== undefined;
      const message = stale
        ? 'Kasus ini baru saja diubah oleh pengguna lain. Periksa keadaan terbaru di bawah, lalu ulangi tindakan Anda bila masih diperlukan.'
        : error.message;
      const errors = error.byField();
      await showCase(ctx, id, { actionError: { type, message, errors, form } }, error.status);
    }
  });

  routes.page('post', '/kasus/:id/surat/:dispatchId/hentikan', async (ctx) => {
    const id = String(ctx.req.params.id);
    const dispatchId = String(ctx.req.params.dispatchId);
    const form = ctx.req.body as Record<string, string | string[]>;
    try {
      await ctx.api.post(
        `/cases/${encodeURIComponent(id)}/dispatches/${encodeURIComponent(dispatchId)}/stop`,
        { reason: formText(form.reason) },
        { 'if-match': `"${String(form.version ?? '')}"` },
      );
      ctx.res.redirect(303, `/kasus/${encodeURIComponent(id)}?ok=PENGINGAT_DIHENTIKAN#h-surat`);
    } catch (error) {
      if (!(error instanceof ApiError) || ![400, 409].includes(error.status)) throw error;
      await showCase(
        ctx,
        id,
        {
          stopError: { dispatchId, message: error.byField().reason ?? error.message, form },
        },
        error.status,
      );
    }
  });

  routes.page('post', '/kasus/:id/lampiran', async (ctx) => {
    const id = String(ctx.req.params.id);
    try {
      await ctx.api.forwardUpload(`/cases/${encodeURIComponent(id)}/attachments`, ctx.req);
      ctx.res.redirect(303, `/kasus/${encodeURIComponent(id)}?ok=LAMPIRAN#lampiran`);
    } catch (error) {
      if (!(error instanceof ApiError) || ![400, 413].includes(error.status)) throw error;
      await showCase(
        ctx,
        id,
        {
          actionError: {
            type: 'LAMPIRAN',
            message: error.status === 413 ? 'Berkas terlalu besar (maksimal 10 MB).' : error.message,
            errors: {},
            form: {},
          },
        },
        error.status,
      );
    }
  });

  routes.page('get', '/kasus/:id/lampiran/:attachmentId', async (ctx) => {
    const answer = await ctx.api.raw(
      `/cases/${encodeURIComponent(String(ctx.req.params.id))}/attachments/${encodeURIComponent(String(ctx.req.params.attachmentId))}`,
    );
    await pipeDownload(ctx, answer);
  });

  routes.page('post', '/kasus/:id/tanda-terima', async (ctx) => {
    const id = String(ctx.req.params.id);
    const receipt = await ctx.api.post(`/cases/${encodeURIComponent(id)}/receipt`, {});
    await showCase(ctx, id, { receipt });
  });

  routes.page('post', '/kasus/:id/undangan-survei', async (ctx) => {
    const id = String(ctx.req.params.id);
    const requestedAtDesk = (ctx.req.body as Record<string, unknown>).diminta === 'ya';
    try {
      const invitation = await ctx.api.post(`/cases/${encodeURIComponent(id)}/survey-invitation`, {
        requestedAtDesk,
      });
      await showCase(ctx, id, { invitation });
    } catch (error) {
      // A complainant with email keeps the emailed link: the desk prints only on request.
      if (!(error instanceof ApiError) || ![409, 410].includes(error.status)) throw error;
      await showCase(
        ctx,
        id,
        { actionError: { type: 'UNDANGAN_SURVEI', message: error.message, errors: {}, form: {} } },
        error.status,
      );
    }
  });
}

/** Passes a file from the API to the browser with its type and name, without holding it in memory. */
export async function pipeDownload(
  ctx: PageContext,
  answer: { headers: Headers; body: ReadableStream<Uint8Array> | null },
): Promise<void> {
  for (const header of ['content-type', 'content-disposition', 'content-length']) {
    const value = answer.headers.get(header);
    if (value) ctx.res.setHeader(header, value);
  }
  if (!answer.body) return void ctx.res.end();
  const reader = answer.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!ctx.res.write(value)) await new Promise((resolve) => ctx.res.once('drain', resolve));
  }
  ctx.res.end();
}
