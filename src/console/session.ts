import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'yankomas_sesi';

/** Who is signed in, as the token says. For display and navigation only: the API checks the token. */
export interface ConsoleUser {
  id: string;
  username: string;
  unitCode: string;
  roles: string[];
}

export function sessionToken(req: Request): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('=')) || null;
  }
  return null;
}

export function userOf(token: string): ConsoleUser | null {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Partial<
      Record<'sub' | 'username' | 'unit', unknown> & { roles: unknown }
    >;
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return null;
    return {
      id: claims.sub,
      username: String(claims.username),
      unitCode: String(claims.unit),
      roles: claims.roles.map(String),
    };
  } catch {
    return null;
  }
}

let servedOverHttps = false;

/** PUBLIC_URL with https: the service is reached over TLS (terminated at a proxy), so cookies are Secure. */
export function configureSessionCookies(publicUrl: string): void {
  servedOverHttps = publicUrl.startsWith('https:');
}

/** Secure when PUBLIC_URL is https, or when this request came over TLS (a trusted proxy's X-Forwarded-Proto). */
function secure(req: Request): boolean {
  return servedOverHttps || req.secure;
}

/**
 * The token lives in an HttpOnly cookie that scripts cannot read and that other sites cannot make
 * the browser send (SameSite=Strict), Secure wherever the service is reached over HTTPS; it ends
 * with the token.
 */
export function startSession(req: Request, res: Response, token: string, maxAgeSeconds: number): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(req),
    path: '/',
    maxAge: maxAgeSeconds * 1000,
  });
}

export function endSession(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: secure(req), path: '/' });
}

/** Forms post only from our own pages: a cross-site POST is refused even before the cookie matters. */
export function sameOrigin(req: Request): boolean {
  const origin = req.headers.origin ?? req.headers.referer;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
