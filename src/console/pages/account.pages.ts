import { ApiClient, ApiError } from '../api-client';
import type { ConsoleRoutes, PageContext } from '../console.router';
import { startSession } from '../session';
import { bodyField } from '../../common/body-field';

interface Notification {
  id: string;
  caseId: string | null;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

/** The user's own account and in-app notifications (escalations, calendar warnings). */
/** Where a notice of no case is acted on: the console's page, never an API path. */
const NOTICE_PAGES: Record<string, { href: string; label: string }> = {
  KALENDER: { href: '/admin/kalender', label: 'Buka kalender hari libur' },
  SUREL_DITOLAK: { href: '/surel', label: 'Buka halaman surel' },
};

export function registerAccountPages(routes: ConsoleRoutes): void {
  const accountPage = async (ctx: PageContext, extra: Record<string, unknown> = {}, status = 200) => {
    const me = await ctx.api.get<Record<string, unknown>>('/users/me');
    ctx.render('account', { title: 'Akun saya', me, errors: {}, ...extra }, status);
  };
  routes.page('get', '/akun', (ctx) =>
    accountPage(ctx, { notice: ctx.req.query.ok ? 'Kata sandi telah diganti.' : undefined }),
  );

  routes.page('post', '/akun/password', async (ctx) => {
    const form = ctx.req.body as Record<string, string>;
    if ((form.newPassword ?? '') !== (form.repeatPassword ?? '')) {
      return accountPage(ctx, { errors: { repeatPassword: 'tidak sama dengan kata sandi baru' } }, 400);
    }
    try {
      await ctx.api.post('/users/me/password', {
        currentPassword: form.currentPassword ?? '',
        newPassword: form.newPassword ?? '',
      });
    } catch (error) {
      if (!(error instanceof ApiError) || ![400, 401, 403].includes(error.status)) throw error;
      const errors = error.byField();
      return accountPage(ctx, { errors, message: error.message }, 400);
    }
    // Tokens issued before a password change stop working: sign in again with the new one.
    const answer = await new ApiClient(ctx.req, null).post<{ accessToken: string; expiresIn: number }>(
      '/auth/login',
      {
        username: ctx.user.username,
        password: form.newPassword,
      },
    );
    startSession(ctx.req, ctx.res, answer.accessToken, answer.expiresIn);
    ctx.res.redirect(303, '/akun?ok=1');
  });

  routes.page('get', '/notifikasi', async (ctx) => {
    const notifications = await ctx.api.get<Notification[]>('/notifications');
    ctx.render('notifications', { title: 'Notifikasi', notifications, pages: NOTICE_PAGES });
  });

  /** htmx: the unread count in the header, loaded after the page so no page waits for it. */
  routes.page('get', '/notifikasi/jumlah', async ({ api, res }) => {
    const unread = await api.get<Notification[]>('/notifications', { unread: 'true' });
    res
      .type('html')
      .send(unread.length ? `Notifikasi <span class="badge">${unread.length}</span>` : 'Notifikasi');
  });

  routes.page('post', '/notifikasi/:id/baca', async (ctx) => {
    const id = encodeURIComponent(String(ctx.req.params.id));
    await ctx.api.post(`/notifications/${id}/read`, {});
    const given = bodyField(ctx.req, 'caseId');
    const caseId = typeof given === 'string' && /^[0-9a-f-]{36}$/.test(given) ? given : null;
    // A notice of no case opens the page where it is acted on (only from the fixed list).
    const kind = bodyField(ctx.req, 'kind');
    const page =
      typeof kind === 'string' && Object.hasOwn(NOTICE_PAGES, kind) ? NOTICE_PAGES[kind].href : null;
    ctx.res.redirect(303, caseId ? `/kasus/${caseId}` : (page ?? '/notifikasi'));
  });
}
