import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { ForbiddenActionError, NotFoundError } from '../common/errors';
import { escapeHtml } from '../common/format';
import { Scope } from '../common/access-policy';
import { isUuid } from '../database/query-results';
import { MailSeal, MASK, maskAddress } from './mail-seal';
import { firstRow, queryRows, writeStatement } from '../database/sql';
import { newId } from '../common/ids';

/** Who a mail is for: a complainant's mail is confidential (address, tracking code, survey link). */
export type MailAudience = 'PENGADU' | 'INSTITUSI' | 'PETUGAS';

export interface NewMail {
  kind: string;
  /** Identifies the decision; the same key is never queued twice. */
  dedupeKey: string;
  audience: MailAudience;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Parts of the mail no reader of the outbox may see (a tracking code, a survey link). */
  secrets?: string[];
  caseId?: string | null;
  unitCode?: string | null;
  /** A document of the case sent with the mail (the signed letter): its id, never its content. */
  attachmentId?: string | null;
}

/** The columns a queued mail is written with, wherever it is queued from. */
export const OUTBOX_INSERT_COLUMNS =
  'id, kind, dedupe_key, message_id, audience, to_addresses, subject, body_text, body_html, sealed, case_id, unit_code, status, next_attempt_at, attachment_id';

/** The Message-ID a mail keeps on every attempt, so a receiving server can drop a repeat. */
export function messageIdOf(id: string): string {
  return `<${id}@yankomas.kemenkumham.go.id>`;
}

// Secrets of complainants' mails written before mails were sealed, recognised by their form.
const LEGACY_SECRETS = [
  /[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){4}/g,
  /\/survei\/[A-Za-z0-9_-]{16,}/g,
];

/** The text with every secret (and its HTML-escaped form) and every match of the patterns masked. */
export function hideAll(body: string, secrets: string[], patterns: RegExp[] = []): string {
  let out = body;
  for (const secret of secrets) out = out.split(secret).join(MASK).split(escapeHtml(secret)).join(MASK);
  for (const pattern of patterns) out = out.replace(pattern, MASK);
  return out;
}

/**
 * What the outbox keeps of a mail: what it may show (the recipient masked for a complainant, the
 * secret parts masked everywhere) and the seal of what is sent. One function for every place a
 * mail is queued, so no path can store a readable secret.
 */
export function outboxRecord(
  seal: MailSeal,
  mail: Omit<NewMail, 'dedupeKey' | 'kind'>,
  patterns: RegExp[] = [],
) {
  const confidential = mail.audience === 'PENGADU';
  const secrets = [...(mail.secrets ?? []), ...(confidential ? mail.to : [])].filter((s) => s.length >= 4);
  return {
    audience: mail.audience,
    shownTo: confidential ? mail.to.map(maskAddress) : mail.to,
    subject: hideAll(mail.subject, secrets, patterns),
    shownText: hideAll(mail.text, secrets, patterns),
    shownHtml: hideAll(mail.html, secrets, patterns),
    sealed: seal.seal({ to: mail.to, text: mail.text, html: mail.html }),
  };
}

export type OutboxRecord = ReturnType<typeof outboxRecord>;

const COLUMNS = `m.id, m.kind, m.dedupe_key AS "dedupeKey", m.message_id AS "messageId", m.audience, m.to_addresses AS "to", m.subject,
  m.case_id AS "caseId", m.unit_code AS "unitCode", m.status, m.attempts, m.next_attempt_at AS "nextAttemptAt",
  m.last_error AS "lastError", m.sent_at AS "sentAt", m.created_at AS "createdAt",
  (SELECT json_build_object('id', a.id, 'fileName', a.file_name, 'size', a.size_bytes)
     FROM case_attachments a WHERE a.id = m.attachment_id) AS "attachment"`;

/**
 * A user sees the mails of the cases its unit holds now (and its unit's mails of no case); ADMIN
 * sees all. A complainant's mails only to those who may handle complainants' data: a monitor sees
 * none of them.
 */
const SCOPE = `($1::boolean OR coalesce(c.unit_code, m.unit_code) = $2) AND ($3::boolean OR m.audience <> 'PENGADU')`;

function scopeValues(user: AuthUser): [boolean, string, boolean] {
  const admin = user.roles.includes('ADMIN');
  return [admin, user.unitCode, Scope.of(user).handlesAny];
}

@Injectable()
export class OutboxService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Outbox');

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly seal: MailSeal,
    private readonly audit: AuditService,
  ) {}

  /** Mails queued before mails were sealed are sealed and masked at the first start after the upgrade. */
  async onApplicationBootstrap(): Promise<void> {
    let sealed = 0;
    for (;;) {
      const rows = await queryRows<{ id: string }>(
        this.dataSource,
        'SELECT id FROM outbox_messages WHERE sealed IS NULL ORDER BY id LIMIT 500',
      );
      if (rows.length === 0) break;
      for (const row of rows) await this.sealUnsealed(row.id);
      sealed += rows.length;
    }
    if (sealed > 0) this.logger.log(`sealed ${sealed} mails queued before mails were sealed`);
  }

  /**
   * Forgets the delivery attempts of mails settled (sent, failed for good, cancelled) more than
   * `days` ago. The mail rows stay: they are the record that a letter went out.
   */
  async pruneAttempts(days: number): Promise<number> {
    const [{ n }] = await queryRows<{ n: number }>(
      this.dataSource,
      `WITH d AS (
         DELETE FROM outbox_attempts a USING outbox_messages m
          WHERE a.message_id = m.id AND m.status IN ('SENT', 'FAILED', 'CANCELLED')
            AND a.started_at < $1::timestamptz - $2 * interval '1 day'
         RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
      [this.clock.now(), days],
    );
    return n;
  }

  /**
   * Seals and masks one mail written unsealed (before the upgrade, or by an instance of the
   * previous release during a rolling upgrade); returns its seal. Complainants' codes and links
   * are recognised by their form, since such a row does not say which parts are secret.
   */
  async sealUnsealed(id: string): Promise<Buffer | null> {
    const row = await firstRow<{
      audience: MailAudience;
      to_addresses: string[];
      subject: string;
      body_text: string;
      body_html: string;
      sealed: Buffer | null;
    }>(
      this.dataSource,
      'SELECT audience, to_addresses, subject, body_text, body_html, sealed FROM outbox_messages WHERE id = $1',
      [id],
    );
    if (!row) return null;
    if (row.sealed) return row.sealed;
    const record = outboxRecord(
      this.seal,
      {
        audience: row.audience,
        to: row.to_addresses,
        subject: row.subject,
        text: row.body_text,
        html: row.body_html,
      },
      row.audience === 'PENGADU' ? LEGACY_SECRETS : [],
    );
    await this.dataSource.query(
      'UPDATE outbox_messages SET to_addresses = $2, subject = $3, body_text = $4, body_html = $5, sealed = $6 WHERE id = $1 AND sealed IS NULL',
      [id, record.shownTo, record.subject, record.shownText, record.shownHtml, record.sealed],
    );
    const [after] = await queryRows<{ sealed: Buffer }>(
      this.dataSource,
      'SELECT sealed FROM outbox_messages WHERE id = $1',
      [id],
    );
    return after.sealed;
  }

  /** What the outbox keeps of a mail queued inside another module's statement (queueMailFragment). */
  recordOf(mail: Omit<NewMail, 'dedupeKey' | 'kind'>): OutboxRecord {
    return outboxRecord(this.seal, mail);
  }

  /** Queues a mail in the caller's transaction; false when that decision was already queued. */
  async enqueue(em: EntityManager, mail: NewMail): Promise<boolean> {
    const id = newId();
    const record = outboxRecord(this.seal, mail);
    const rows = await queryRows<unknown>(
      em,
      `INSERT INTO outbox_messages (${OUTBOX_INSERT_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'PENDING', $13, $14)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        id,
        mail.kind,
        mail.dedupeKey,
        messageIdOf(id),
        record.audience,
        record.shownTo,
        record.subject,
        record.shownText,
        record.shownHtml,
        record.sealed,
        mail.caseId ?? null,
        mail.unitCode ?? null,
        this.clock.now(),
        mail.attachmentId ?? null,
      ],
    );
    return rows.length > 0;
  }

  async list(user: AuthUser, filter: { status?: string; caseId?: string; page: number; pageSize: number }) {
    const rows = await queryRows<Record<string, unknown> & { total: string }>(
      this.dataSource,
      `SELECT ${COLUMNS}, count(*) OVER () AS total FROM outbox_messages m LEFT JOIN cases c ON c.id = m.case_id
        WHERE ${SCOPE}
          AND ($4::text IS NULL OR m.status = $4)
          AND ($5::uuid IS NULL OR m.case_id = $5)
        ORDER BY m.created_at DESC, m.id LIMIT $6 OFFSET $7`,
      [
        ...scopeValues(user),
        filter.status ?? null,
        filter.caseId ?? null,
        filter.pageSize,
        (filter.page - 1) * filter.pageSize,
      ],
    );
    const total = rows.length ? Number(rows[0].total) : 0;
    return {
      items: rows.map(({ total: _t, ...r }) => r),
      total,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  async get(user: AuthUser, id: string) {
    const row = isUuid(id)
      ? await firstRow<Record<string, unknown>>(
          this.dataSource,
          `SELECT ${COLUMNS}, m.body_text AS "text", m.body_html AS "html" FROM outbox_messages m LEFT JOIN cases c ON c.id = m.case_id
            WHERE m.id = $4 AND ${SCOPE}`,
          [...scopeValues(user), id],
        )
      : undefined;
    if (!row) throw new NotFoundError('Surel');
    const deliveries = await queryRows<unknown>(
      this.dataSource,
      `SELECT attempt, instance_id AS "instanceId", started_at AS "startedAt", finished_at AS "finishedAt", outcome, error, smtp_response AS "smtpResponse"
         FROM outbox_attempts WHERE message_id = $1 ORDER BY attempt, started_at`,
      [id],
    );
    return { ...row, deliveries };
  }

  /**
   * The recipients unmasked, through the same audited reveal as the complainant's identity: for a
   * complainant's mail only the handling roles of the case's unit and ADMIN, every read recorded.
   */
  async revealRecipient(user: AuthUser, id: string, address: string): Promise<{ to: string[] }> {
    const mail = (await this.get(user, id)) as unknown as {
      audience: MailAudience;
      caseId: string | null;
      unitCode: string | null;
    };
    const holder = mail.caseId
      ? await firstRow<{ unit_code: string }>(this.dataSource, 'SELECT unit_code FROM cases WHERE id = $1', [
          mail.caseId,
        ])
      : undefined;
    const unitCode = holder?.unit_code ?? mail.unitCode;
    const handles = unitCode !== null && Scope.of(user).handles(unitCode);
    const entry = {
      actor: user,
      address,
      method: 'GET',
      path: `/api/outbox/${id}/recipient`,
      entityType: 'outbox',
      entityId: id,
    };
    if (mail.audience === 'PENGADU' && !handles && !user.roles.includes('ADMIN')) {
      await this.audit.record({ ...entry, action: 'MAIL_RECIPIENT_READ_REFUSED', statusCode: 403 });
      throw new ForbiddenActionError('Alamat pengadu hanya untuk petugas yang menangani kasus ini');
    }
    const [sealed] = await queryRows<{ sealed: Buffer }>(
      this.dataSource,
      'SELECT sealed FROM outbox_messages WHERE id = $1',
      [id],
    );
    await this.audit.record({
      ...entry,
      action: 'MAIL_RECIPIENT_READ',
      statusCode: 200,
      details: { caseId: mail.caseId, audience: mail.audience },
    });
    return { to: this.seal.open(sealed.sealed).to };
  }

  /** An officer's resend by hand: the same message (same Message-ID) goes out again on the next sweep. */
  async resend(user: AuthUser, id: string) {
    await this.get(user, id);
    await writeStatement(
      this.dataSource,
      `UPDATE outbox_messages SET status = 'PENDING', next_attempt_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1`,
      [id, this.clock.now()],
    );
    return this.get(user, id);
  }
}
