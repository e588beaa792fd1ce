import { ApiError } from '../api-client';
import { normalRegisterNumber } from '../../cases/register-number';
import { receiptSheet, type ReceiptShown } from './register.pages';
import type { ConsoleRoutes, PageContext } from '../console.router';
import { eventBody } from '../event-forms';
import { formText } from '../form-values';
import { eventLabels, referenceNames, units, workflowForms, zoneOf } from '../reference-cache';
import { ASSIGNERS, HANDLING_ROLES, holdsAny, REMINDER_DECIDERS } from '../../common/access-policy';

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
  const handles = ctx.user.unitCode === item.unitCode && holdsAny(ctx.user.roles, HANDLING_ROLES);
  const assigns = ctx.user.unitCode === item.unitCode && holdsAny(ctx.user.roles, ASSIGNERS) && !item.closed;
  // The unit's officers: to choose one (an event's field, the assignment) and to name them in the history.
  const officers =
    handles || asks('officer')
      ? await ctx.api.get<{ id: string; username: string; fullName: string }[]>(
          `/units/${encodeURIComponent(item.unitCode)}/officers`,
        )
      : [];
  const notes = handles ? await ctx.api.get<{ text: string; createdAt: string }[]>(`${path}/notes`) : [];
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
  const namesPeople = payloads.some((p) =>
    ['mediatorId', 'assigneeId'].some((k) => typeof p[k] === 'string'),
  );
  const staff =
    officers.length || !namesPeople
      ? officers
      : await ctx.api.get<typeof officers>(`/units/${encodeURIComponent(item.unitCode)}/officers`);
  // One timeline, newest first: the events, the internal notes and the uploads.
  const timeline = [
    ...(history as { occurredAt: string }[]).map((entry) => ({ kind: 'event', at: entry.occurredAt, entry })),
    ...notes.map((entry) => ({ kind: 'note', at: entry.createdAt, entry })),
    ...(attachments as { uploadedAt: string }[]).map((entry) => ({
      kind: 'upload',
      at: entry.uploadedAt,
      entry,
    })),
  ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  ctx.render(
    'case',
    {
      title: item.registerNumber,
      item,
      names,
      history,
      timeline,
      assigns,
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
      unitNames: Object.fromEntries(unitList.map((u) => [u.code, u.name])),
      handles,
      mayReveal: handles || ctx.user.roles.includes('ADMIN'),
      closed: item.closed,
      ...extra,
    },
    status,
  );
}

export function registerCasePages(routes: ConsoleRoutes, publicUrl: string): void {
  routes.page('get', '/kasus/:id', async (ctx) => {
    const id = String(ctx.req.params.id);
    // A notice only from the fixed list of codes the console itself redirects with: never the URL's own text.
    const ok = ctx.req.query.ok;
    const notice =
      typeof ok === 'string' &&
      (['LAMPIRAN', 'PENUGASAN', 'CATATAN'].includes(ok) || Object.hasOwn(await eventLabels(ctx.api), ok))
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
      const body = eventBody(type, fields, form, zone);
      // A case is named by its register number, as the officer knows it; the API takes its id.
      for (const field of fields.filter((f) => f.kind === 'case' && typeof body[f.name] === 'string'))
        body[field.name] = await caseIdOf(ctx, field.name, String(body[field.name]));
      await ctx.api.post(`/cases/${encodeURIComponent(id)}/events`, body, {
        'if-match': `"${String(form.version ?? '')}"`,
      });
      ctx.res.redirect(303, `/kasus/${encodeURIComponent(id)}?ok=${encodeURIComponent(type)}`);
    } catch (error) {
      if (!(error instanceof ApiError) || ![400, 409].includes(error.status)) throw error;
      const message = isStale(error)
        ? 'Kasus ini baru saja diubah oleh pengguna lain. Periksa keadaan terbaru di bawah, lalu ulangi tindakan Anda bila masih diperlukan.'
        : error.message;
      const errors = error.byField();
      await showCase(ctx, id, { actionError: { type, message, errors, form } }, error.status);
    }
  });

  routes.page('post', '/kasus/:id/penugasan', async (ctx) => {
    const id = String(ctx.req.params.id);
    const form = ctx.req.body as Record<string, string | string[]>;
    try {
      await ctx.api.put(
        `/cases/${encodeURIComponent(id)}/assignee`,
        { userId: formText(form.userId) || null },
        { 'if-match': `"${String(form.version ?? '')}"` },
      );
      ctx.res.redirect(303, `/kasus/${encodeURIComponent(id)}?ok=PENUGASAN`);
    } catch (error) {
      if (!(error instanceof ApiError) || ![400, 409].includes(error.status)) throw error;
      const message = isStale(error)
        ? 'Kasus ini baru saja diubah oleh pengguna lain. Periksa keadaan terbaru, lalu ulangi penugasan.'
        : (error.byField().userId ?? error.message);
      await showCase(
        ctx,
        id,
        { actionError: { type: 'PENUGASAN', message, errors: {}, form } },
        error.status,
      );
    }
  });

  routes.page('post', '/kasus/:id/catatan', async (ctx) => {
    const id = String(ctx.req.params.id);
    const form = ctx.req.body as Record<string, string | string[]>;
    try {
      await ctx.api.post(`/cases/${encodeURIComponent(id)}/notes`, { text: formText(form.text) });
      ctx.res.redirect(303, `/kasus/${encodeURIComponent(id)}?ok=CATATAN#h-riwayat`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      await showCase(
        ctx,
        id,
        { actionError: { type: 'CATATAN', message: error.message, errors: error.byField(), form } },
        400,
      );
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
    const receipt = await ctx.api.post<ReceiptShown>(`/cases/${encodeURIComponent(id)}/receipt`, {});
    const item = await ctx.api.get<{ unitCode: string }>(`/cases/${encodeURIComponent(id)}`);
    await showCase(ctx, id, { receipt: await receiptSheet(ctx, receipt, item.unitCode, publicUrl) });
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

/** The id of the unit's case with this register number, or a 400 naming the field. */
async function caseIdOf(ctx: PageContext, field: string, registerNumber: string): Promise<string> {
  const wanted = normalRegisterNumber(registerNumber);
  const found = await ctx.api.get<{ items: { id: string; registerNumber: string }[] }>('/cases', {
    q: wanted,
    pageSize: 20,
  });
  const match = found.items.find((c) => c.registerNumber.toUpperCase() === wanted);
  if (!match)
    throw new ApiError(400, `Kasus dengan nomor register ${registerNumber} tidak ditemukan`, [
      { field, reason: `kasus dengan nomor register ${registerNumber} tidak ditemukan di unit ini` },
    ]);
  return match.id;
}

/** A refusal because someone changed the case since the form was shown (a stale If-Match). */
function isStale(error: ApiError): boolean {
  return (
    error.status === 409 &&
    (error.body.details as { currentVersion?: number } | undefined)?.currentVersion !== undefined
  );
}
