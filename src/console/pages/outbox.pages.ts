import type { ConsoleRoutes } from '../console.router';

const STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED'];

/** Mails the system decided (reminders, escalations, complainant notices), each with its delivery attempts. */
export function registerOutboxPages(routes: ConsoleRoutes): void {
  routes.page('get', '/surel', async ({ api, req, render }) => {
    const status =
      typeof req.query.status === 'string' && STATUSES.includes(req.query.status) ? req.query.status : '';
    const caseId = typeof req.query.kasus === 'string' ? req.query.kasus : '';
    const page = Math.max(1, Number(req.query.hal) || 1);
    const list = await api.get<{
      items: Record<string, unknown>[];
      total: number;
      page: number;
      pageSize: number;
    }>('/outbox', {
      status: status || undefined,
      caseId: caseId || undefined,
      page,
      pageSize: 50,
    });
    render('outbox', { title: 'Surel keluar', list, status, caseId, statuses: STATUSES });
  });

  // The recipients unmasked only on request (?penerima=1), through the API's audited reveal.
  routes.page('get', '/surel/:id', async ({ api, req, render }) => {
    const id = encodeURIComponent(String(req.params.id));
    const mail = await api.get<Record<string, unknown>>(`/outbox/${id}`);
    const recipient =
      req.query.penerima === '1' ? await api.get<{ to: string[] }>(`/outbox/${id}/recipient`) : undefined;
    render('outbox-mail', {
      title: `Surel ${String(mail.subject)}`,
      mail,
      recipient,
      notice: req.query.ok === 'kirim-ulang' ? 'Surel dijadwalkan untuk dikirim ulang.' : undefined,
    });
  });

  routes.page('post', '/surel/:id/kirim-ulang', async ({ api, req, res }) => {
    const id = encodeURIComponent(String(req.params.id));
    await api.post(`/outbox/${id}/resend`, {});
    res.redirect(303, `/surel/${id}?ok=kirim-ulang`);
  });
}
