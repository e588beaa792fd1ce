import { Injectable } from '@nestjs/common';
import { isUuid } from '../database/query-results';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';

export interface NewMail {
  kind: string;
  /** Identifies the decision; the same key is never queued twice. */
  dedupeKey: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  caseId?: string | null;
  unitCode?: string | null;
}

/** The columns a queued mail is written with, wherever it is queued from. */
export const OUTBOX_INSERT_COLUMNS = 'id, kind, dedupe_key, message_id, to_addresses, subject, body_text, body_html, case_id, unit_code, status, next_attempt_at';

/** The Message-ID a mail keeps on every attempt, so a receiving server can drop a repeat. */
export function messageIdOf(id: string): string {
  return `<${id}@yankomas.kemenkumham.go.id>`;
}

const COLUMNS = `id, kind, dedupe_key AS "dedupeKey", message_id AS "messageId", to_addresses AS "to", subject,
  case_id AS "caseId", unit_code AS "unitCode", status, attempts, next_attempt_at AS "nextAttemptAt",
  last_error AS "lastError", sent_at AS "sentAt", created_at AS "createdAt"`;

@Injectable()
export class OutboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Queues a mail in the caller's transaction; false when that decision was already queued. */
  async enqueue(em: EntityManager, mail: NewMail): Promise<boolean> {
    const id = randomUUID();
    const rows = await em.query(
      `INSERT INTO outbox_messages (${OUTBOX_INSERT_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'PENDING', $11)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [id, mail.kind, mail.dedupeKey, messageIdOf(id), mail.to, mail.subject, mail.text, mail.html, mail.caseId ?? null, mail.unitCode ?? null, this.clock.now()],
    );
    return rows.length > 0;
  }

  async list(user: AuthUser, filter: { status?: string; caseId?: string; page: number; pageSize: number }) {
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS}, count(*) OVER () AS total FROM outbox_messages
        WHERE ($1::boolean OR unit_code = $2)
          AND ($3::text IS NULL OR status = $3)
          AND ($4::uuid IS NULL OR case_id = $4)
        ORDER BY created_at DESC, id LIMIT $5 OFFSET $6`,
      [user.seesAllUnits, user.unitCode, filter.status ?? null, filter.caseId ?? null, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    const total = rows.length ? Number(rows[0].total) : 0;
    return { items: rows.map(({ total: _t, ...r }: Record<string, unknown>) => r), total, page: filter.page, pageSize: filter.pageSize };
  }

  async get(user: AuthUser, id: string) {
    const [row] = isUuid(id)
      ? await this.dataSource.query(`SELECT ${COLUMNS}, body_text AS "text", body_html AS "html" FROM outbox_messages WHERE id = $1 AND ($2::boolean OR unit_code = $3)`, [id, user.seesAllUnits, user.unitCode])
      : [];
    if (!row) throw new NotFoundError('Surel');
    const deliveries = await this.dataSource.query(
      `SELECT attempt, instance_id AS "instanceId", started_at AS "startedAt", finished_at AS "finishedAt", outcome, error, smtp_response AS "smtpResponse"
         FROM outbox_attempts WHERE message_id = $1 ORDER BY attempt, started_at`,
      [id],
    );
    return { ...row, deliveries };
  }

  /** An officer's resend by hand: the same message (same Message-ID) goes out again on the next sweep. */
  async resend(user: AuthUser, id: string) {
    await this.get(user, id);
    await this.dataSource.query(
      `UPDATE outbox_messages SET status = 'PENDING', next_attempt_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1`,
      [id, this.clock.now()],
    );
    return this.get(user, id);
  }
}
