import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuditService } from './audit.service';
import { RequestAudit } from './request-audit';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Opens the audit of every write request, refused ones included (request-audit.ts says where its
 * one row is written). What is still without a row once the answer is out (a request stopped
 * before any handler or filter, such as a body the parser refused) gets it here, as a last resort.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  constructor(private readonly audit: AuditService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!WRITES.has(req.method)) return next();
    const request = new RequestAudit(req, res);
    res.on('finish', () => {
      const entry = request.claimRefusal(res.statusCode);
      if (entry) RequestAudit.aside(() => this.audit.recordQuietly(entry));
    });
    RequestAudit.run(request, next);
  }
}
