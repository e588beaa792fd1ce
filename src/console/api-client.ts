import type { Request } from 'express';
import { Readable } from 'node:stream';
import { consoleForwardHeaders } from '../common/client-address';

/** An answer of the API other than 2xx, carried to the page that asked. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: { field: string; reason: string }[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** Each field's reason, by field name (`complainant.email` and the like), for the form that sent it. */
  byField(rename: (field: string) => string = (field) => field): Record<string, string> {
    return Object.fromEntries(this.details.map((d) => [rename(d.field), d.reason]));
  }
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
}

/**
 * The console's only way to the data: the public HTTP API of this same process, called over
 * loopback with the user's own token, so every role check, unit scope and audit entry applies to
 * the console exactly as to any other client. The browser's address is passed on beside the
 * process's own secret (common/client-address.ts), so login throttling and the audit see the
 * real address and no outside client can claim another.
 */
export class ApiClient {
  private readonly base: string;

  constructor(
    private readonly req: Request,
    private readonly token: string | null,
  ) {
    this.base = `http://127.0.0.1:${req.socket.localPort}/api`;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      accept: 'application/json',
      // Plain bytes over loopback: fetch would otherwise ask for gzip, and the API would compress
      // every answer only for this process to inflate it again (the page to the browser is
      // compressed once, by the console's own response).
      'accept-encoding': 'identity',
      ...consoleForwardHeaders(this.req.ip),
      // The page's request id, so its log line and the API calls it made share one id.
      ...(typeof (this.req as { id?: unknown }).id === 'string'
        ? { 'x-request-id': (this.req as unknown as { id: string }).id }
        : {}),
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      ...extra,
    };
  }

  async get<T>(path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<T> {
    return this.send<T>('GET', withQuery(path, query));
  }

  async post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.send<T>('POST', path, body, headers);
  }

  async put<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.send<T>('PUT', path, body, headers);
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PATCH', path, body);
  }

  async delete<T>(path: string): Promise<T> {
    return this.send<T>('DELETE', path);
  }

  /** A GET answered as a stream (exports, documents), passed through to the browser untouched. */
  async raw(path: string, query: Record<string, string | undefined> = {}): Promise<RawAnswer> {
    const res = await fetch(this.base + withQuery(path, query), { headers: this.headers({ accept: '*/*' }) });
    if (!res.ok) throw await errorOf(res);
    return { status: res.status, headers: res.headers, body: res.body };
  }

  /** Sends a file as the request body itself, with its own content type (the import takes it so). */
  async postFile<T>(
    path: string,
    body: Buffer,
    contentType: string,
    query: Record<string, string | undefined> = {},
  ): Promise<T> {
    const res = await fetch(this.base + withQuery(path, query), {
      method: 'POST',
      headers: this.headers({ 'content-type': contentType }),
      body,
    });
    if (!res.ok) throw await errorOf(res);
    return (await res.json()) as T;
  }

  /** Forwards a browser's multipart upload as it came, without buffering it here. */
  async forwardUpload<T>(path: string, incoming: Request): Promise<T> {
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: this.headers({
        'content-type': incoming.headers['content-type'] ?? 'application/octet-stream',
      }),
      body: Readable.toWeb(incoming),
      duplex: 'half',
    });
    if (!res.ok) throw await errorOf(res);
    return (await res.json()) as T;
  }

  private async send<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: this.headers(body === undefined ? extra : { 'content-type': 'application/json', ...extra }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await errorOf(res);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function withQuery(path: string, query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { message?: string; details?: unknown };
  const details = Array.isArray(body.details) ? (body.details as { field: string; reason: string }[]) : [];
  return new ApiError(res.status, body.message ?? `Permintaan gagal (${res.status})`, details, body);
}
