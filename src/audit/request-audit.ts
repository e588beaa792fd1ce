import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request, Response } from 'express';
import {
  EventSubscriber,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
} from 'typeorm';
import type { BeforeQueryEvent } from 'typeorm/subscriber/event/QueryEvent';
import { bodyField } from '../common/body-field';
import { clientAddress, type AuthUser } from '../common/auth.decorators';
import { routeOf } from '../common/route-of';
import { AUDIT_INSERT, auditValues, type AuditRecord } from './audit-record';

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

const requests = new AsyncLocalStorage<RequestAudit>();

/**
 * The one audit row of a write request, and where it is written:
 * - in the request's first transaction that writes, just before its COMMIT (RequestAuditSubscriber),
 *   so a committed write always has its row and a rolled-back one never does;
 * - or by the write itself, when it records a row of its own in its transaction or statement (a
 *   workflow event, an institution's change) and says so with `recordedBy`;
 * - otherwise, for a request that wrote nothing or was refused, before its answer is sent: by the
 *   HTTP adapter for a success (audited-express-adapter.ts), by the error filter for a refusal;
 * - and only as a last resort once the answer is out (the middleware), for a request that never
 *   reached a handler or a filter (a body the parser refused).
 * Each path claims the row before it writes, so a request never has two.
 */
export class RequestAudit {
  private state: 'OPEN' | 'IN_TRANSACTION' | 'WRITTEN' = 'OPEN';
  private transaction: QueryRunner | null = null;
  constructor(
    private readonly req: Request,
    private readonly res: Response,
  ) {}

  /** The write request being handled in this async context, if any. */
  static current(): RequestAudit | undefined {
    return requests.getStore();
  }

  static run<T>(audit: RequestAudit, work: () => T): T {
    return requests.run(audit, work);
  }

  /**
   * Work of a request that is not the request's write: the login throttle's own bookkeeping, work
   * started for later. Its transactions carry no request row.
   */
  static aside<T>(work: () => T): T {
    return requests.exit(work);
  }

  get open(): boolean {
    return this.state === 'OPEN';
  }

  get written(): boolean {
    return this.state === 'WRITTEN';
  }

  /** A creation names its new entity before it commits, so the row written with it carries the id. */
  names(entityId: string): void {
    this.res.locals.auditEntityId = entityId;
  }

  /** The write recorded the request in a row of its own, in `transaction` (or, without one, already committed). */
  recordedBy(transaction: QueryRunner | null): void {
    if (transaction?.isTransactionActive) {
      this.state = 'IN_TRANSACTION';
      this.transaction = transaction;
    } else this.state = 'WRITTEN';
  }

  /** The row as it stands now: the actor once authenticated, the route once matched. */
  entry(statusCode: number): AuditRecord {
    const req = this.req;
    const user = (req as Request & { user?: AuthUser }).user ?? null;
    const route = routeOf(req) ?? req.path;
    const segment = req.originalUrl.split('?')[0].split('/')[2] ?? '';
    const details: Record<string, unknown> = {};
    if (segment === 'auth' && typeof bodyField(req, 'username') === 'string')
      details.username = String(bodyField(req, 'username')).slice(0, 64);
    const params = req.params ?? {};
    return {
      actor: user,
      address: clientAddress(req),
      action: `${req.method} ${route}`.slice(0, 64),
      method: req.method,
      // A survey token in the path is a credential of the complainant's: never in the log.
      path: withoutToken(req.originalUrl.split('?')[0]).slice(0, 500),
      entityType: ENTITY_TYPES[segment] ?? null,
      entityId:
        (this.res.locals.auditEntityId as string | undefined) ??
        (params.id as string | undefined) ??
        (params.code as string | undefined) ??
        null,
      statusCode,
      details,
    };
  }

  /**
   * The status a success answers with: Nest sets the route's own (its @HttpCode, else 201 for POST
   * and 200 otherwise) once the guards passed, before the handler runs; a handler that answers
   * otherwise (a repeated creation: 200) sets its own.
   */
  private get expectedStatus(): number {
    return this.res.statusCode;
  }

  /** Before a transaction's COMMIT: writes the row into it if it wrote and the request has none yet. */
  async beforeCommit(runner: QueryRunner): Promise<void> {
    // A savepoint's release is announced as a commit too; only the outermost one commits.
    if (this.state !== 'OPEN' || (runner as QueryRunner & { transactionDepth: number }).transactionDepth > 1)
      return;
    const [{ wrote }] = (await runner.query('SELECT txid_current_if_assigned() IS NOT NULL AS wrote')) as {
      wrote: boolean;
    }[];
    if (!wrote || this.state !== 'OPEN') return;
    this.state = 'IN_TRANSACTION';
    this.transaction = runner;
    await runner.query(AUDIT_INSERT, auditValues(this.entry(this.expectedStatus)));
  }

  afterCommit(runner: QueryRunner): void {
    if (this.state === 'IN_TRANSACTION' && this.transaction === runner) this.state = 'WRITTEN';
  }

  afterRollback(runner: QueryRunner): void {
    if (this.state === 'IN_TRANSACTION' && this.transaction === runner) {
      this.state = 'OPEN';
      this.transaction = null;
    }
  }

  /**
   * Claims the row for a write outside any transaction (a request that wrote nothing, a refusal):
   * the entry to write, or null when the request already has its row.
   */
  claim(statusCode: number = this.expectedStatus): AuditRecord | null {
    if (this.state !== 'OPEN') return null;
    this.state = 'WRITTEN';
    return this.entry(statusCode);
  }

  /**
   * Claims the row of a request that failed: a transaction whose COMMIT was never confirmed
   * (the connection broke on it) left no row, so the refusal gets one.
   */
  claimRefusal(statusCode: number): AuditRecord | null {
    if (this.state === 'WRITTEN') return null;
    this.state = 'WRITTEN';
    return this.entry(statusCode);
  }

  /**
   * A write statement outside a transaction, before the request has its row, would commit with
   * no audit row beside it: refused, so such a write is found by the first test that makes it.
   */
  checkStatement(runner: QueryRunner, statement: string): void {
    if (this.state !== 'OPEN' || runner.isTransactionActive || !WRITE_STATEMENT.test(statement)) return;
    throw new UnauditedWriteError(statement);
  }
}

/** INSERT, UPDATE or DELETE, alone or inside a WITH. */
const WRITE_STATEMENT =
  /^\s*(INSERT\s+INTO|UPDATE\s|DELETE\s+FROM)|^\s*WITH\b[\s\S]*\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/i;

export class UnauditedWriteError extends Error {
  constructor(statement: string) {
    super(
      `write outside a transaction in a write request, with no audit row: ${statement.trim().slice(0, 60)}`,
    );
  }
}

/** Writes each write request's row in the request's first writing transaction (see RequestAudit). */
@EventSubscriber()
export class RequestAuditSubscriber implements EntitySubscriberInterface {
  beforeQuery(event: BeforeQueryEvent): void {
    RequestAudit.current()?.checkStatement(event.queryRunner, event.query);
  }

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    await RequestAudit.current()?.beforeCommit(event.queryRunner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    RequestAudit.current()?.afterCommit(event.queryRunner);
  }

  afterTransactionRollback(event: TransactionCommitEvent): void {
    RequestAudit.current()?.afterRollback(event.queryRunner);
  }
}
