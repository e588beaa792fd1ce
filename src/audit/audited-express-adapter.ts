import type { Response } from 'express';
import { RoutedExpressAdapter } from '../common/routed-express-adapter';
import type { AuditService } from './audit.service';
import { RequestAudit } from './request-audit';

/**
 * Express (its routes found by bucket and its requests built as its own objects,
 * routed-express-adapter.ts), with one step before a handler's answer is sent: a write request
 * that still has no audit row (it wrote nothing, or nothing in a transaction) gets it first, so
 * an answer never goes out before its row (request-audit.ts). An adapter rather than a global
 * interceptor: Nest runs every interceptor of every request through an observable chain and
 * async scopes of its own, which cost each request more than the row's check itself.
 */
export class AuditedExpressAdapter extends RoutedExpressAdapter {
  private audit: AuditService | null = null;

  /** The writer of the rows, once the application's providers exist (app-setup.ts). */
  recordWith(audit: AuditService): void {
    this.audit = audit;
  }

  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    const entry = RequestAudit.current()?.claim(statusCode ?? response.statusCode);
    if (!entry) return super.reply(response, body, statusCode) as unknown;
    if (!this.audit) throw new Error('AuditedExpressAdapter: recordWith() was not called (app-setup.ts)');
    return this.audit.recordRequest(entry).then(() => super.reply(response, body, statusCode) as unknown);
  }
}
