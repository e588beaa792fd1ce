import type { Request } from 'express';

/** The route template a request matched (`/api/cases/:id`), never its values; undefined before routing. */
export function routeOf(req: Request): string | undefined {
  const route = (req as { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : undefined;
}
