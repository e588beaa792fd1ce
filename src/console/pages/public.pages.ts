import type { Request, Response, Router } from 'express';
import { ApiClient, ApiError } from '../api-client';
import { sameOrigin } from '../session';
import { renderView } from '../views';
import { bodyField } from '../../common/body-field';

/**
 * The complainant's side, without an account: the status of a complaint by its register number
 * and tracking code, and the satisfaction survey behind a single-use link. Both go through the
 * public API, which keeps its limit on failed lookups per address.
 */
function page(res: Response, template: string, data: Record<string, unknown>, status = 200): void {
  res
    .status(status)
    .type('html')
    .send(renderView(template, { user: null, nav: [], path: '', ...data }));
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

const NO_MATCH = 'Nomor register atau kode pelacakan tidak cocok. Periksa kembali tanda terima Anda.';

const THROTTLED = 'Terlalu banyak percobaan yang gagal dari alamat Anda. Silakan coba lagi dalam 15 menit.';

export function registerPublicPages(router: Router): void {
  router.get('/status', (req: Request, res: Response) => {
    page(res, 'public/status', {
      title: 'Status pengaduan',
      form: { registerNumber: text(req.query.registerNumber) },
    });
  });

  // A POST, so the tracking code stays out of addresses, browser history and access logs.
  router.post('/status', async (req: Request, res: Response) => {
    const registerNumber = text(bodyField(req, 'registerNumber'));
    const trackingCode = text(bodyField(req, 'trackingCode'));
    const form = { registerNumber };
    if (!sameOrigin(req))
      return page(
        res,
        'public/status',
        { title: 'Status pengaduan', form, error: 'Formulir dikirim dari situs lain.' },
        403,
      );
    try {
      const status = await new ApiClient(req, null).get('/public/status', { registerNumber, trackingCode });
      // The code goes back only into the upload form of a case that waits for documents.
      page(res, 'public/status', {
        title: 'Status pengaduan',
        form,
        status,
        trackingCode: (status as { acceptsDocuments?: boolean }).acceptsDocuments ? trackingCode : null,
      });
    } catch (error) {
      if (!(error instanceof ApiError) || ![400, 404, 429].includes(error.status)) throw error;
      const message = error.status === 429 ? THROTTLED : NO_MATCH;
      page(res, 'public/status', { title: 'Status pengaduan', form, error: message }, error.status);
    }
  });

  // The missing documents, forwarded as the browser sent them (multipart) to the public API.
  router.post('/status/kelengkapan', async (req: Request, res: Response) => {
    const title = 'Kelengkapan berkas';
    if (!sameOrigin(req))
      return page(res, 'public/message', { title, message: 'Formulir dikirim dari situs lain.' }, 403);
    try {
      const saved = await new ApiClient(req, null).forwardUpload<{
        registerNumber: string;
        fileName: string;
      }>('/public/documents', req);
      page(res, 'public/message', {
        title,
        message: `Berkas "${saved.fileName}" untuk pengaduan ${saved.registerNumber} telah kami terima. Petugas kami akan memeriksa kelengkapannya; pantau perkembangannya di halaman status.`,
        link: { href: '/status', text: 'Kembali ke halaman status' },
      });
    } catch (error) {
      if (!(error instanceof ApiError) || ![400, 404, 409, 413, 429].includes(error.status)) throw error;
      const message =
        error.status === 429
          ? THROTTLED
          : error.status === 404
            ? NO_MATCH
            : error.details.length
              ? `Berkas tidak dapat diterima: ${error.details.map((d) => d.reason).join('; ')}.`
              : error.message;
      page(
        res,
        'public/message',
        { title, message, link: { href: '/status', text: 'Kembali ke halaman status' } },
        error.status,
      );
    }
  });

  const survey = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const token = String(req.params.token);
    try {
      const questionnaire = await new ApiClient(req, null).get(`/public/survey/${encodeURIComponent(token)}`);
      page(
        res,
        'public/survey',
        { title: 'Survei kepuasan masyarakat', token, questionnaire, answers: {}, errors: {}, ...extra },
        status,
      );
    } catch (error) {
      if (!(error instanceof ApiError) || ![404, 410, 429].includes(error.status)) throw error;
      const message = {
        404: 'Tautan survei tidak dikenal. Periksa kembali alamat pada surat atau email Anda.',
        410: 'Survei untuk pengaduan ini sudah diisi. Terima kasih atas penilaian Anda.',
        429: THROTTLED,
      }[error.status as 404 | 410 | 429];
      page(res, 'public/message', { title: 'Survei kepuasan masyarakat', message }, error.status);
    }
  };

  router.get('/survei/:token', (req, res) => survey(req, res));
  router.post('/survei/:token', async (req: Request, res: Response) => {
    if (!sameOrigin(req))
      return page(
        res,
        'public/message',
        { title: 'Survei kepuasan masyarakat', message: 'Formulir dikirim dari situs lain.' },
        403,
      );
    const body = req.body as Record<string, string>;
    const answers = Object.fromEntries(
      Object.entries(body)
        .filter(([key]) => /^U\d+$/.test(key))
        .map(([key, value]) => [key, Number(value)]),
    );
    try {
      await new ApiClient(req, null).post(`/public/survey/${encodeURIComponent(String(req.params.token))}`, {
        answers,
        ...(text(body.saran) ? { saran: text(body.saran) } : {}),
      });
      page(
        res,
        'public/message',
        {
          title: 'Terima kasih',
          message: 'Terima kasih. Penilaian Anda telah kami terima dan membantu kami memperbaiki pelayanan.',
        },
        201,
      );
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) return survey(req, res);
      const errors = error.byField((field) => field.replace(/^answers\./, ''));
      await survey(
        req,
        res,
        { answers: body, errors, message: 'Penilaian belum terkirim: lengkapi semua pertanyaan.' },
        400,
      );
    }
  });
}
