import { ApiError } from '../api-client';
import type { ConsoleRoutes, PageContext } from '../console.router';
import { forgetReference, provinces, referenceList, units } from '../reference-cache';
import { formList, formText, type FormValue } from '../form-values';
import { ROLES } from '../../../workflows';
import type { InstitutionRow } from '../../institutions/institutions.service';

type Form = Record<string, FormValue>;
const optional = (value: string) => (value === '' ? undefined : value);

const ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];

/** The periodic jobs by their names in src/jobs/job-runs.ts. */
const JOB_LABELS: Record<string, string> = {
  sla_sweep: 'Pemeriksaan tenggat dan eskalasi',
  reminders: 'Pengingat kepada instansi',
  mail: 'Pengiriman surel',
  calendar_watch: 'Pemantauan kalender tahun berikutnya',
  retention: 'Pembersihan catatan yang sudah lewat masa simpannya',
};

/**
 * Runs an admin write; a refused one (400, 409) re-renders the same page with the API's reasons
 * by field, a successful one redirects with a notice (post/redirect/get).
 */
async function write(
  ctx: PageContext,
  action: () => Promise<unknown>,
  done: string,
  again: (problem: { message: string; errors: Record<string, string> }) => Promise<void>,
) {
  try {
    await action();
    ctx.res.redirect(303, done);
  } catch (error) {
    if (!(error instanceof ApiError) || ![400, 409].includes(error.status)) throw error;
    ctx.res.status(error.status);
    // The reasons go beside their fields (and in the summary, labelled), not a second time here.
    const errors = error.byField();
    await again({
      message: Object.keys(errors).length ? 'Periksa kembali isian yang ditandai.' : error.message,
      errors,
    });
  }
}

const notice = (ctx: PageContext) =>
  typeof ctx.req.query.ok === 'string' ? 'Perubahan tersimpan.' : undefined;

export function registerAdminPages(routes: ConsoleRoutes): void {
  routes.page('get', '/admin', ({ render }) =>
    Promise.resolve(render('admin/index', { title: 'Administrasi' })),
  );

  // The background jobs of the instance that serves the page, and what they parked (all instances).
  routes.page('get', '/admin/pekerjaan', async (ctx) => {
    const state = await ctx.api.get<{
      instanceStartedAt: string;
      schedulerEnabled: boolean;
      jobs: unknown[];
    }>('/health/jobs');
    ctx.render('admin/jobs', { title: 'Pekerjaan latar', state, labels: JOB_LABELS });
  });

  // Users
  const usersPage = async (
    ctx: PageContext,
    problem?: { message: string; errors: Record<string, string> },
    form: Form = {},
  ) => {
    const [users, unitList] = await Promise.all([ctx.api.get<unknown[]>('/users'), units(ctx.api)]);
    ctx.render(
      'admin/users',
      {
        title: 'Pengguna',
        users,
        units: unitList,
        roles: ROLES,
        problem,
        form: { ...form, roles: formList(form.roles) },
        notice: notice(ctx),
      },
      ctx.res.statusCode,
    );
  };
  routes.page('get', '/admin/pengguna', (ctx) => usersPage(ctx));
  routes.page('post', '/admin/pengguna', async (ctx) => {
    const f = ctx.req.body as Form;
    const body = {
      username: formText(f.username),
      password: formText(f.password),
      fullName: formText(f.fullName),
      unitCode: formText(f.unitCode),
      roles: formList(f.roles),
      email: optional(formText(f.email)),
    };
    await write(
      ctx,
      () => ctx.api.post('/users', body),
      '/admin/pengguna?ok=1',
      (p) => usersPage(ctx, p, f),
    );
  });
  const userPage = async (
    ctx: PageContext,
    problem?: { message: string; errors: Record<string, string> },
  ) => {
    const [account, unitList] = await Promise.all([
      ctx.api.get<{ username: string } & Record<string, unknown>>(
        `/users/${encodeURIComponent(String(ctx.req.params.id))}`,
      ),
      units(ctx.api),
    ]);
    ctx.render(
      'admin/user',
      {
        title: `Pengguna ${account.username}`,
        account,
        units: unitList,
        roles: ROLES,
        problem,
        notice: notice(ctx),
      },
      ctx.res.statusCode,
    );
  };
  routes.page('get', '/admin/pengguna/:id', (ctx) => userPage(ctx));
  routes.page('post', '/admin/pengguna/:id', async (ctx) => {
    const f = ctx.req.body as Form;
    const id = encodeURIComponent(String(ctx.req.params.id));
    const body = {
      fullName: formText(f.fullName),
      unitCode: formText(f.unitCode),
      roles: formList(f.roles),
      email: optional(formText(f.email)),
      active: f.active === 'ya',
      password: optional(formText(f.password)),
    };
    await write(
      ctx,
      () => ctx.api.patch(`/users/${id}`, body),
      `/admin/pengguna/${id}?ok=1`,
      (p) => userPage(ctx, p),
    );
  });

  // Units and their office settings
  routes.page('get', '/admin/unit', async (ctx) => {
    const [unitList, provinceList] = await Promise.all([units(ctx.api), provinces(ctx.api)]);
    ctx.render('admin/units', {
      title: 'Unit',
      units: unitList,
      provinces: provinceList,
      zones: ZONES,
      notice: notice(ctx),
      form: {},
    });
  });
  const unitPage = async (
    ctx: PageContext,
    problem?: { message: string; errors: Record<string, string> },
  ) => {
    const code = String(ctx.req.params.code);
    const [unitList, provinceList, settings, schedule] = await Promise.all([
      units(ctx.api),
      provinces(ctx.api),
      ctx.api.get<Record<string, number>>(`/units/${encodeURIComponent(code)}/settings`),
      ctx.api.get<unknown>(`/units/${encodeURIComponent(code)}/reminder-schedule`),
    ]);
    const unit = unitList.find((u) => u.code === code);
    if (!unit) throw new ApiError(404, 'Unit tidak ditemukan');
    ctx.render(
      'admin/unit',
      {
        title: `Unit ${unit.name}`,
        unit,
        units: unitList,
        provinces: provinceList,
        zones: ZONES,
        settings,
        schedule,
        problem,
        notice: notice(ctx),
      },
      ctx.res.statusCode,
    );
  };
  routes.page('get', '/admin/unit/:code', (ctx) => unitPage(ctx));
  routes.page('post', '/admin/unit', async (ctx) => {
    const f = ctx.req.body as Form;
    const code = formText(f.code).toUpperCase();
    const body = {
      name: formText(f.name),
      kind: formText(f.kind),
      timeZone: formText(f.timeZone),
      provinceCode: optional(formText(f.provinceCode)),
      parentCode: optional(formText(f.parentCode)),
      active: f.active !== 'tidak',
    };
    await write(
      ctx,
      async () => {
        await ctx.api.put(`/units/${encodeURIComponent(code)}`, body);
        forgetReference('units');
      },
      `/admin/unit/${encodeURIComponent(code)}?ok=1`,
      async (p) => {
        const [unitList, provinceList] = await Promise.all([units(ctx.api), provinces(ctx.api)]);
        ctx.render(
          'admin/units',
          { title: 'Unit', units: unitList, provinces: provinceList, zones: ZONES, problem: p, form: f },
          ctx.res.statusCode,
        );
      },
    );
  });
  routes.page('post', '/admin/unit/:code/pengaturan', async (ctx) => {
    const f = ctx.req.body as Form;
    const code = encodeURIComponent(String(ctx.req.params.code));
    const minutes = (value: string) => {
      const m = /^(\d{1,2})[:.](\d{2})$/.exec(value);
      return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
    };
    const body = {
      officeOpen: minutes(formText(f.officeOpen)),
      officeClose: minutes(formText(f.officeClose)),
      officeCloseFriday: minutes(formText(f.officeCloseFriday)),
      dueSoonPercent: Number(formText(f.dueSoonPercent)),
      escalationGraceDays: Number(formText(f.escalationGraceDays)),
      officeAddress: formText(f.officeAddress) || null,
    };
    await write(
      ctx,
      () => ctx.api.put(`/units/${code}/settings`, body),
      `/admin/unit/${code}?ok=1`,
      (p) => unitPage(ctx, p),
    );
  });

  // Institutions
  const institutionsPage = async (
    ctx: PageContext,
    problem?: { message: string; errors: Record<string, string> },
    form: Form = {},
  ) => {
    const q = typeof ctx.req.query.q === 'string' ? ctx.req.query.q : '';
    const [institutions, provinceList, parties] = await Promise.all([
      ctx.api.get<unknown[]>('/institutions', { q }),
      provinces(ctx.api),
      referenceList(ctx.api, 'pihak-teradu'),
    ]);
    ctx.render(
      'admin/institutions',
      {
        title: 'Instansi',
        institutions,
        provinces: provinceList,
        parties,
        q,
        problem,
        form,
        notice: notice(ctx),
      },
      ctx.res.statusCode,
    );
  };
  const institutionBody = (f: Form) => ({
    name: formText(f.name),
    email: formText(f.email),
    type: optional(formText(f.type)),
    provinceCode: optional(formText(f.provinceCode)),
    parentId: optional(formText(f.parentId)),
    extraEmails: formText(f.extraEmails)
      .split(/[\s,;]+/)
      .filter(Boolean),
  });
  routes.page('get', '/admin/instansi', (ctx) => institutionsPage(ctx));
  routes.page('post', '/admin/instansi', async (ctx) => {
    const f = ctx.req.body as Form;
    await write(
      ctx,
      () => ctx.api.post('/institutions', institutionBody(f)),
      '/admin/instansi?ok=1',
      (p) => institutionsPage(ctx, p, f),
    );
  });
  const institutionPage = async (
    ctx: PageContext,
    problem?: { message: string; errors: Record<string, string> },
  ) => {
    const id = encodeURIComponent(String(ctx.req.params.id));
    const [institution, all, provinceList, parties] = await Promise.all([
      ctx.api.get<InstitutionRow>(`/institutions/${id}`),
      ctx.api.get<{ id: string; name: string }[]>('/institutions'),
      provinces(ctx.api),
      referenceList(ctx.api, 'pihak-teradu'),
    ]);
    ctx.render(
      'admin/institution',
      {
        title: `Instansi ${institution.name}`,
        institution,
        parents: all.filter((i) => i.id !== institution.id),
        provinces: provinceList,
        parties,
        problem,
        notice: notice(ctx),
      },
      ctx.res.statusCode,
    );
  };
  routes.page('get', '/admin/instansi/:id', (ctx) => institutionPage(ctx));
  routes.page('post', '/admin/instansi/:id', async (ctx) => {
    const id = encodeURIComponent(String(ctx.req.params.id));
    await write(
      ctx,
      () => ctx.api.patch(`/institutions/${id}`, institutionBody(ctx.req.body as Form)),
      `/admin/instansi/${id}?ok=1`,
      (p) => institutionPage(ctx, p),
    );
  });

  // Calendars of days off
  const calendarPage = async (
    ctx: PageContext,
    problem?: { message: string; errors: Record<string, string> },
    form: Form = {},
  ) => {
    const raw = Number(ctx.req.query.tahun ?? (ctx.req.body as Form | undefined)?.year);
    const year = Number.isInteger(raw) && raw >= 2000 && raw <= 2100 ? raw : new Date().getUTCFullYear();
    const calendar = await ctx.api.get<Record<string, unknown>>(`/calendars/${year}`);
    const recomputed =
      typeof ctx.req.query.dihitung === 'string' ? Number(ctx.req.query.dihitung) : undefined;
    ctx.render(
      'admin/calendar',
      { title: `Kalender ${year}`, year, calendar, problem, form, recomputed },
      ctx.res.statusCode,
    );
  };
  routes.page('get', '/admin/kalender', (ctx) => calendarPage(ctx));
  routes.page('post', '/admin/kalender', async (ctx) => {
    const f = ctx.req.body as Form;
    const date = formText(f.date);
    const year = date.slice(0, 4);
    try {
      const saved = await ctx.api.put<{ recomputedCases: number }>(
        `/calendars/${encodeURIComponent(year)}/days/${encodeURIComponent(date)}`,
        { kind: formText(f.kind), name: formText(f.name) },
      );
      ctx.res.redirect(303, `/admin/kalender?tahun=${year}&dihitung=${saved.recomputedCases}`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      ctx.res.status(400);
      await calendarPage(ctx, { message: error.message, errors: error.byField() }, f);
    }
  });
  routes.page('post', '/admin/kalender/hapus', async (ctx) => {
    const date = formText((ctx.req.body as Form).date);
    const saved = await ctx.api.delete<{ recomputedCases: number }>(
      `/calendars/${encodeURIComponent(date.slice(0, 4))}/days/${encodeURIComponent(date)}`,
    );
    ctx.res.redirect(303, `/admin/kalender?tahun=${date.slice(0, 4)}&dihitung=${saved.recomputedCases}`);
  });

  // Letter templates
  const templatesPage = async (
    ctx: PageContext,
    problem?: { stage: string; message: string; errors: Record<string, string> },
    form: Form = {},
    preview?: { stage: string; subject: string; text: string },
  ) => {
    const templates = await ctx.api.get<unknown[]>('/letter-templates');
    ctx.render(
      'admin/templates',
      { title: 'Templat surat', templates, problem, form, preview, notice: notice(ctx) },
      ctx.res.statusCode,
    );
  };
  routes.page('get', '/admin/templat-surat', (ctx) => templatesPage(ctx));
  // The saved wording with sample values, as an institution would read it.
  routes.page('post', '/admin/templat-surat/:stage/pratinjau', async (ctx) => {
    const stage = String(ctx.req.params.stage);
    const preview = await ctx.api.post<{ subject: string; text: string }>(
      `/letter-templates/${encodeURIComponent(stage)}/preview`,
      {},
    );
    await templatesPage(ctx, undefined, {}, { stage, ...preview });
  });
  routes.page('post', '/admin/templat-surat/:stage', async (ctx) => {
    const f = ctx.req.body as Form;
    const stage = String(ctx.req.params.stage);
    await write(
      ctx,
      () =>
        ctx.api.put(`/letter-templates/${encodeURIComponent(stage)}`, {
          subject: formText(f.subject),
          bodyText: formText(f.bodyText),
        }),
      `/admin/templat-surat?ok=1#${stage}`,
      (p) => templatesPage(ctx, { stage, ...p }, f),
    );
  });
}
