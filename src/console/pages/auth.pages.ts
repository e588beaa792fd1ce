import type { Request, Response, Router } from 'express';
import { ApiClient, ApiError } from '../api-client';
import { endSession, sameOrigin, sessionToken, startSession, userOf } from '../session';
import { renderView } from '../views';
import { HANDLING_ROLES, holdsAny } from '../../common/access-policy';
import { bodyField, textOf } from '../../common/body-field';

/** Only a path of this site: an address from a link cannot send the user elsewhere after login. */
function safeNext(raw: unknown): string {
  return typeof raw === 'string' && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\')
    ? raw
    : '/';
}

function homeOf(roles: string[]): string {
  if (holdsAny(roles, HANDLING_ROLES)) return '/antrean';
  if (roles.includes('ADMIN')) return '/admin';
  return '/dasbor';
}

function loginPage(
  res: Response,
  data: { next: string; username?: string; error?: string; notice?: string },
  status = 200,
): void {
  res
    .status(status)
    .type('html')
    .send(renderView('login', { title: 'Masuk', user: null, nav: [], path: '/masuk', ...data }));
}

export function registerAuthPages(router: Router): void {
  router.get('/', (req: Request, res: Response) => {
    const token = sessionToken(req);
    const user = token ? userOf(token) : null;
    res.redirect(303, user ? homeOf(user.roles) : '/masuk');
  });

  router.get('/masuk', (req: Request, res: Response) => {
    const notice =
      req.query.sesi === 'berakhir'
        ? 'Sesi Anda telah berakhir. Silakan masuk kembali.'
        : req.query.keluar
          ? 'Anda telah keluar.'
          : undefined;
    loginPage(res, { next: safeNext(req.query.lanjut), notice });
  });

  router.post('/masuk', async (req: Request, res: Response) => {
    const next = safeNext(bodyField(req, 'lanjut'));
    const username = textOf(bodyField(req, 'username')).trim();
    const password = textOf(bodyField(req, 'password'));
    if (!sameOrigin(req))
      return loginPage(res, { next, username, error: 'Formulir dikirim dari situs lain.' }, 403);
    if (!username || !password)
      return loginPage(res, { next, username, error: 'Nama pengguna dan password wajib diisi.' }, 400);
    try {
      const answer = await new ApiClient(req, null).post<{ accessToken: string; expiresIn: number }>(
        '/auth/login',
        { username, password },
      );
      startSession(req, res, answer.accessToken, answer.expiresIn);
      const user = userOf(answer.accessToken)!;
      res.redirect(303, next === '/' ? homeOf(user.roles) : next);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const message = error.status === 401 ? 'Nama pengguna atau kata sandi salah.' : error.message;
      loginPage(res, { next, username, error: message }, error.status === 429 ? 429 : 401);
    }
  });

  router.post('/keluar', async (req: Request, res: Response) => {
    const token = sessionToken(req);
    // Ends the account's sessions in the API too, so the token is worthless even if copied.
    if (token && sameOrigin(req))
      await new ApiClient(req, token).post('/auth/logout', {}).catch(() => undefined);
    endSession(req, res);
    res.redirect(303, '/masuk?keluar=1');
  });
}
