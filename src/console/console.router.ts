import { Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { BODY_LIMIT_BYTES } from '../common/body-limit';
import { describeError } from '../common/error-description';
import { bodyRefusal } from '../common/http-exception.filter';
import { ApiClient, ApiError } from './api-client';
import { registerAccountPages } from './pages/account.pages';
import { registerAdminPages } from './pages/admin.pages';
import { registerAuthPages } from './pages/auth.pages';
import { registerPrintPages } from './pages/print.pages';
import { registerCasePages } from './pages/case.pages';
import { registerDashboardPages } from './pages/dashboard.pages';
import { registerImportPages } from './pages/import.pages';
import { registerOutboxPages } from './pages/outbox.pages';
import { registerPublicPages } from './pages/public.pages';
import { registerQueuePages } from './pages/queue.pages';
import { registerRegisterPages } from './pages/register.pages';
import { registerReportPages } from './pages/report.pages';
import {
  configureSessionCookies,
  endSession,
  sameOrigin,
  sessionToken,
  userOf,
  type ConsoleUser,
} from './session';
import { consoleDir, renderView } from './views';
import { HANDLING_ROLES, holdsAny, REGISTRARS, SUPERVISORS } from '../common/access-policy';
import type { Role } from '../../workflows';
import { routeOf } from '../common/route-of';

export interface PageContext {
  req: Request;
  res: Response;
  api: ApiClient;
  user: ConsoleUser;
  /** Renders a page inside the layout (navigation for the user's roles). */
  render: (template: string, data?: Record<string, unknown>, status?: number) => void;
}

export type PageHandler = (ctx: PageContext) => Promise<void>;

export interface ConsoleRoutes {
  /** A page for a signed-in user: no session sends the browser to the login page. */
  page(method: 'get' | 'post', path: string, handler: PageHandler): void;
}

const logger = new Logger('Console');

export function navigationFor(user: ConsoleUser) {
  const has = (...roles: Role[]) => holdsAny(user.roles, roles);
  return [
    {
      href: '/antrean',
      label: 'Antrean saya',
      show: has(...HANDLING_ROLES),
    },
    { href: '/kasus', label: 'Semua kasus', show: true },
    { href: '/pengaduan/baru', label: 'Pengaduan baru', show: has(...REGISTRARS) },
    { href: '/dasbor', label: 'Dasbor tenggat', show: has(...SUPERVISORS) },
    { href: '/laporan', label: 'Laporan', show: true },
    { href: '/admin', label: 'Administrasi', show: has('ADMIN') },
  ].filter((item) => item.show);
}

function renderError(res: Response, user: ConsoleUser | null, status: number, message: string): void {
  const title = status === 404 ? 'Tidak ditemukan' : status === 403 ? 'Tidak berwenang' : 'Terjadi kesalahan';
  res
    .status(status)
    .type('html')
    .send(
      renderView('error', { title, message, status, user, nav: user ? navigationFor(user) : [], path: '' }),
    );
}

/**
 * The web console: server-rendered pages at `/` that work without script (forms post and
 * redirect); htmx only makes a few of them quicker. Every figure and every action goes through
 * the public API with the user's own token.
 */
export function createConsoleRouter(options: { publicUrl: string }): Router {
  configureSessionCookies(options.publicUrl);
  const router = Router();
  // Addressed by their content's hash (views.ts assetUrl): kept by the browser for a year.
  router.use('/assets', express.static(consoleDir('assets'), { maxAge: '365d', immutable: true }));
  // htmx from the installed package: the offices' networks reach no CDN.
  router.get('/assets-vendor/htmx.min.js', (_req, res) =>
    res.sendFile(require.resolve('htmx.org/dist/htmx.min.js'), { maxAge: '365d', immutable: true }),
  );
  router.use(express.urlencoded({ extended: false, limit: BODY_LIMIT_BYTES }));

  const routes: ConsoleRoutes = {
    page(method, path, handler) {
      router[method](path, async (req: Request, res: Response, next: NextFunction) => {
        const token = sessionToken(req);
        const user = token ? userOf(token) : null;
        if (!token || !user) {
          // After signing in, back to the page the form was on (its draft is kept in the browser).
          if (method === 'post')
            return void res.redirect(303, `/masuk?sesi=berakhir&lanjut=${encodeURIComponent(formPage(req))}`);
          return void res.redirect(303, `/masuk?lanjut=${encodeURIComponent(req.originalUrl)}`);
        }
        if (method === 'post' && !sameOrigin(req))
          return renderError(res, user, 403, 'Formulir ini dikirim dari situs lain dan ditolak.');
        res.setHeader('Cache-Control', 'no-store');
        // For the request's log line (the token is the API's to check; this names who asked).
        res.locals.userId = user.id;
        const ctx: PageContext = {
          req,
          res,
          user,
          api: new ApiClient(req, token),
          render(template, data = {}, status = 200) {
            res
              .status(status)
              .type('html')
              .send(renderView(template, { user, nav: navigationFor(user), path: req.path, ...data }));
          },
        };
        try {
          await handler(ctx);
        } catch (error) {
          if (error instanceof ApiError) {
            if (error.status === 401) {
              endSession(req, res);
              return void res.redirect(
                303,
                `/masuk?sesi=berakhir&lanjut=${encodeURIComponent(req.method === 'GET' ? req.originalUrl : formPage(req))}`,
              );
            }
            return renderError(res, user, error.status, error.message);
          }
          next(error);
        }
      });
    },
  };

  registerAuthPages(router);
  registerPublicPages(router);
  registerQueuePages(routes);
  registerRegisterPages(routes, options.publicUrl);
  registerCasePages(routes, options.publicUrl);
  registerPrintPages(routes);
  registerDashboardPages(routes);
  registerReportPages(routes);
  registerAdminPages(routes);
  registerAccountPages(routes);
  registerOutboxPages(routes);
  registerImportPages(routes);
  // An address the console does not have: a page in its language, not the framework's JSON.
  router.use((req: Request, res: Response) => {
    const token = sessionToken(req);
    renderError(
      res,
      token ? userOf(token) : null,
      404,
      'Halaman yang Anda cari tidak ada. Periksa alamatnya, atau kembali ke halaman awal.',
    );
  });
  // Anything unexpected: a page in the console's language, the details only in the log.
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const token = sessionToken(req);
    const user = token ? userOf(token) : null;
    // A form the parser refused (too large, in a charset or an encoding it does not read): the
    // browser's doing, answered with its status and reason.
    const refused = bodyRefusal(error);
    if (refused) return renderError(res, user, refused.status, refused.message);
    logger.error(`${req.method} ${routeOf(req) ?? 'console'}: ${describeError(error)}`);
    renderError(
      res,
      user,
      500,
      'Terjadi kesalahan pada sistem. Silakan coba lagi; bila berulang, hubungi administrator.',
    );
  });
  return router;
}

/** The console page a form was sent from (its Referer on this same site), or the start page. */
function formPage(req: Request): string {
  const referer = req.get('referer');
  if (!referer || !sameOrigin(req)) return '/';
  try {
    const url = new URL(referer);
    return url.pathname + url.search;
  } catch {
    return '/';
  }
}
