import type { NextFunction, Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The client's address, for login throttling, public lookups and the audit log. Express computes
 * `req.ip` from X-Forwarded-For only for the proxies named in TRUST_PROXY. The console calls the
 * API of its own process over loopback and passes the browser's address in a header that only
 * carries weight beside this process's secret, which never leaves the process: no outside client,
 * loopback or not, can choose the address it is counted and audited under.
 */
const CONSOLE_SECRET = randomBytes(32);
const SECRET_HEADER = 'x-yankomas-console';
const ADDRESS_HEADER = 'x-yankomas-client-address';

/** The headers the console adds to its calls of the API. */
export function consoleForwardHeaders(browserAddress: string | undefined): Record<string, string> {
  return { [SECRET_HEADER]: CONSOLE_SECRET.toString('base64url'), [ADDRESS_HEADER]: browserAddress ?? '' };
}

function fromConsole(req: Request): boolean {
  const given = req.headers[SECRET_HEADER];
  if (typeof given !== 'string') return false;
  const bytes = Buffer.from(given, 'base64url');
  return bytes.length === CONSOLE_SECRET.length && timingSafeEqual(bytes, CONSOLE_SECRET);
}

/** Takes the console's forwarded address when the secret is right; drops the headers otherwise. */
export function consoleAddressMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const forwarded = req.headers[ADDRESS_HEADER];
  if (fromConsole(req) && typeof forwarded === 'string' && forwarded !== '') {
    Object.defineProperty(req, 'ip', { value: forwarded, configurable: true });
  }
  delete req.headers[SECRET_HEADER];
  delete req.headers[ADDRESS_HEADER];
  next();
}

export function clientAddress(req: { ip?: string; socket?: { remoteAddress?: string } }): string {
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}

/** Express's "trust proxy" from TRUST_PROXY: a comma list of names or CIDRs; empty trusts none. */
export function trustedProxies(setting: string): string[] | false {
  const list = setting
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return list.length ? list : false;
}
