import type { Request } from 'express';

/** One field of a parsed request body, unknown until the caller checks it; undefined without a body. */
export function bodyField(req: Request, name: string): unknown {
  const body: unknown = req.body;
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

/** A text field as typed; anything else (absent, repeated, an object) is ''. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
