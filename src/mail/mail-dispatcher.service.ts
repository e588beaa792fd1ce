import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { Lifecycle } from '../common/lifecycle';
import { AppConfig } from '../config/app-config';
import { execute, queryRows } from '../database/sql';
import { MailSeal } from './mail-seal';
import { type MailAttachment, Mailer } from './mailer';
import { hideAll, OutboxService } from './outbox.service';
import { NotificationsService } from '../notifications/notifications.service';
import { newId } from '../common/ids';

/** How many times the outcome of a delivery is written before it is left to the lease to expire. */
const OUTCOME_TRIES = 6;

interface ClaimedMail {
  id: string;
  attempts: number;
  message_id: string;
  subject: string;
  sealed: Buffer | null;
  kind: string;
  case_id: string | null;
  attachment_id: string | null;
}

/**
 * Sends what the outbox holds, one message at a time. A message is leased to one attempt
 * (`lease_holder`) for MAIL_LEASE_MS by the database's clock, and the lease is renewed while the
 * SMTP conversation lasts; the outcome is written only while the attempt still holds it. So a
 * message is sent by one instance at a time: another takes it over only after its sender stopped
 * renewing (crashed, or lost the database). The window that remains: a sender that stops between
 * the server's 250 and its own SENT update leaves the message to be sent again when its lease
 * expires, with the same Message-ID, so the receiving server can drop the repeat.
 * A failed delivery waits one scheduler interval, doubling per attempt, at most 30 intervals. A
 * permanent refusal (5xx) stops the retries; an officer can resend by hand.
 */
@Injectable()
export class MailDispatcherService {
  private readonly logger = new Logger('Mail');
  // Random bytes, not the start of an id: ids begin with their time, alike for instances started together.
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly seal: MailSeal,
    private readonly outbox: OutboxService,
    private readonly notifications: NotificationsService,
    private readonly lifecycle: Lifecycle,
  ) {}

  backoffMs(attempts: number): number {
    const interval = this.config.SCHEDULER_INTERVAL_MS;
    return Math.min(interval * 2 ** Math.max(0, attempts - 1), interval * 30);
  }

  /** Sends every due message; returns how many were sent. */
  async dispatch(): Promise<number> {
    if (!this.mailer.enabled) return 0;
    let sent = 0;
    for (;;) {
      // A stopping instance finishes the mail it holds and leases no other.
      if (this.lifecycle.stopping) return sent;
      const attemptId = newId();
      const message = await this.claim(attemptId);
      if (!message) return sent;
      if (await this.deliver(message, attemptId)) sent += 1;
    }
  }

  /** Leases the next due message (or one whose sender stopped renewing) to this attempt. */
  private async claim(attemptId: string): Promise<ClaimedMail | undefined> {
    const [message] = await queryRows<ClaimedMail>(
      this.dataSource,
      `UPDATE outbox_messages m
          SET status = 'SENDING', attempts = m.attempts + 1, lease_holder = $3,
              lease_until = clock_timestamp() + $2 * interval '1 millisecond'
        WHERE m.id = (SELECT id FROM outbox_messages
                       WHERE (status = 'PENDING' AND next_attempt_at <= $1)
                          OR (status = 'SENDING' AND lease_until < clock_timestamp())
                       ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING m.id, m.attempts, m.message_id, m.subject, m.sealed, m.kind, m.case_id, m.attachment_id`,
      [this.clock.now(), this.config.MAIL_LEASE_MS, attemptId],
    );
    if (!message) return undefined;
    await this.dataSource.query(
      `INSERT INTO outbox_attempts (id, message_id, attempt, instance_id, started_at, outcome)
       VALUES ($1, $2, $3, $4, $5, 'SENDING')`,
      [attemptId, message.id, message.attempts, this.instanceId, this.clock.now()],
    );
    return message;
  }

  /** The document a mail carries (the signed letter), read from the case only to send it. */
  private async attachmentsOf(message: ClaimedMail): Promise<MailAttachment[]> {
    if (!message.attachment_id) return [];
    const [document] = await queryRows<MailAttachment>(
      this.dataSource,
      `SELECT file_name AS filename, content, content_type AS "contentType" FROM case_attachments WHERE id = $1`,
      [message.attachment_id],
    );
    if (!document) throw new Error(`attachment ${message.attachment_id} of mail ${message.id} is missing`);
    return [document];
  }

  private async deliver(message: ClaimedMail, attemptId: string): Promise<boolean> {
    // While the server talks, the lease is renewed; a renewal that finds the lease gone stops.
    const renewal = setInterval(
      () => void this.renew(message.id, attemptId).catch(() => undefined),
      Math.max(200, Math.floor(this.config.MAIL_LEASE_MS / 3)),
    );
    // A server's answer may quote the recipient: what is kept and logged of it is masked.
    let recipients: string[] = [];
    let response: string;
    try {
      // Opened only here, only to send: an instance with another key fails the attempt and
      // leaves the mail to be retried (by an instance with the fleet's MAIL_SEAL_KEY).
      const sealed = message.sealed ?? (await this.outbox.sealUnsealed(message.id));
      if (!sealed) throw new Error('mail row vanished while leased');
      const { to, text, html } = this.seal.open(sealed);
      recipients = to;
      response = await this.mailer.send({
        from: this.config.MAIL_FROM ?? 'yankomas@localhost',
        to,
        subject: message.subject,
        text,
        html,
        messageId: message.message_id,
        attachments: await this.attachmentsOf(message),
      });
    } catch (error) {
      clearInterval(renewal);
      await this.failed(message, attemptId, error, recipients);
      return false;
    }
    try {
      // Accepted by the server: the SENT mark must not be lost to a database restart, or the
      // mail goes out again when the lease expires. Renewal goes on while the mark is retried.
      const held = await this.withRetries(() =>
        queryRows<{ id: string }>(
          this.dataSource,
          `UPDATE outbox_messages SET status = 'SENT', sent_at = $3, lease_until = NULL, lease_holder = NULL,
                  last_error = NULL
            WHERE id = $1 AND lease_holder = $2 RETURNING id`,
          [message.id, attemptId, this.clock.now()],
        ),
      );
      if (!held.length)
        this.logger.warn(`mail ${message.id} was sent after its lease was taken over; it may go out twice`);
      await this.withRetries(() =>
        this.finishAttempt(attemptId, 'SENT', null, hideAll(response, recipients)),
      );
      return true;
    } finally {
      clearInterval(renewal);
    }
  }

  private async failed(message: ClaimedMail, attemptId: string, error: unknown, recipients: string[]) {
    const text = hideAll(String(error instanceof Error ? error.message : error), recipients).slice(0, 1000);
    const code = Number((error as { responseCode?: number }).responseCode);
    const permanent = code >= 500 && code < 600;
    await this.withRetries(() =>
      execute(
        this.dataSource,
        `UPDATE outbox_messages SET status = $3, next_attempt_at = $4, lease_until = NULL, lease_holder = NULL,
                last_error = $5
          WHERE id = $1 AND lease_holder = $2`,
        [
          message.id,
          attemptId,
          permanent ? 'FAILED' : 'PENDING',
          new Date(this.clock.now().getTime() + this.backoffMs(message.attempts)),
          text,
        ],
      ),
    );
    await this.withRetries(() => this.finishAttempt(attemptId, 'FAILED', text, null));
    if (permanent) await this.reportRefusal(message, text);
    this.logger.warn(
      `delivery of ${message.id} failed (attempt ${message.attempts}${permanent ? ', permanent' : ''}): ${text}`,
    );
  }

  /**
   * A mail the server refused for good goes nowhere unless someone acts: the administrators are
   * told which mail (never to whom: the answer is masked) and can correct the address and resend.
   */
  private async reportRefusal(message: ClaimedMail, maskedAnswer: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.notifications.notifyAdministrators(em, {
        caseId: message.case_id,
        kind: 'SUREL_DITOLAK',
        dedupeKey: `mail-refused:${message.id}:${message.attempts}`,
        title: `Surel ditolak server: ${message.kind}`,
        body: `Surel ${message.id} ditolak secara permanen dan tidak akan dicoba lagi: ${maskedAnswer}. Periksa alamatnya, lalu kirim ulang dari halaman surel.`,
      });
    });
  }

  private async renew(id: string, attemptId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_messages SET lease_until = clock_timestamp() + $3 * interval '1 millisecond'
        WHERE id = $1 AND lease_holder = $2 AND status = 'SENDING'`,
      [id, attemptId, this.config.MAIL_LEASE_MS],
    );
  }

  /** A write that must survive a short database outage: retried with back-off, then given up. */
  private async withRetries<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (attempt >= OUTCOME_TRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }

  private async finishAttempt(
    id: string,
    outcome: 'SENT' | 'FAILED',
    error: string | null,
    response: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_attempts SET outcome = $2, finished_at = $3, error = $4, smtp_response = $5 WHERE id = $1`,
      [id, outcome, this.clock.now(), error, response],
    );
  }
}
