import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { clientAddress, type AuthUser } from '../common/auth.decorators';
import { AuditService } from './audit.service';
import { bodyField } from '../common/body-field';
import { routeOf } from '../common/route-of';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Entity types by the first path segment after /api. */
const ENTITY_TYPES: Record<string, string> = {
  cases: 'case',
  users: 'user',
  units: 'unit',
  institutions: 'institution',
  calendars: 'calendar',
  reference: 'reference',
  auth: 'session',
};

/** Paths that carry a complainant's credential (the survey link's token), as the log keeps them. */
function withoutToken(path: string): string {
  return path.replace(/^\/api\/public\/survey\/[^/]+/, '/api/public/survey/:token');
}

/**
 * Records every write request once it is answered: who (if authenticated), from where, what
 * route, which entity, and the status, refused requests included. Writes that audit themselves
 * in their own transaction (workflow events) set `res.locals.audited`.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  constructor(private readonly audit: AuditService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!WRITES.has(req.method)) return next();
    res.on('finish', () => {
      if (res.locals.audited) return;
      const user = (req as Request & { user?: AuthUser }).user ?? null;
      const route = routeOf(req) ?? req.path;
      const segment = req.originalUrl.split('?')[0].split('/')[2] ?? '';
      const details: Record<string, unknown> = {};
      if (segment === 'auth' && typeof bodyField(req, 'username') === 'string')
        details.username = String(bodyField(req, 'username')).slice(0, 64);
      this.audit.recordQuietly({
        actor: user,
        address: clientAddress(req),
        action: `${req.method} ${route}`.slice(0, 64),
        method: req.method,
        // A survey token in the path is a credential of the complainant's: never in the log.
        path: withoutToken(req.originalUrl.split('?')[0]).slice(0, 500),
        entityType: ENTITY_TYPES[segment] ?? null,
        // A creation names its new entity through res.locals; other writes carry it in the path.
        entityId:
          (res.locals.auditEntityId as string | undefined) ??
          (req.params?.id as string | undefined) ??
          (req.params?.code as string | undefined) ??
          null,
        statusCode: res.statusCode,
        details,
      });
    });
    next();
  }
}
