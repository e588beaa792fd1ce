import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { returnedRows } from '../database/query-results';
import { MailSeal } from './mail-seal';
import { Mailer } from './mailer';
import { hideAll, OutboxService } from './outbox.service';

/** How long a sender may hold a message before another instance may take it over. */
export const LEASE_MS = 5 * 60_000;
const BATCH = 50;

/**
 * Sends what the outbox holds. Rows are leased with FOR UPDATE SKIP LOCKED, so instances never
 * send the same row at once; a crashed sender's lease expires and the row is retried. A failed
 * delivery waits one scheduler interval, doubling per attempt, at most 30 intervals.
 * A permanent refusal (5xx) stops the retries; an officer can resend by hand.
 */
@Injectable()
export class MailDispatcherService {
  private readonly logger = new Logger('Mail');
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly seal: MailSeal,
    private readonly outbox: OutboxService,
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
      const now = this.clock.now();
      const claimed: {
        id: string;
        attempts: number;
        message_id: string;
        subject: string;
        sealed: Buffer | null;
      }[] = await this.dataSource
        .query(
          `UPDATE outbox_messages m SET status = 'SENDING', lease_until = $2, attempts = m.attempts + 1
            WHERE m.id IN (SELECT id FROM outbox_messages
                            WHERE (status = 'PENDING' AND next_attempt_at <= $1) OR (status = 'SENDING' AND lease_until < $1)
                            ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING m.id, m.attempts, m.message_id, m.subject, m.sealed`,
          [now, new Date(now.getTime() + LEASE_MS), BATCH],
        )
        .then((r: unknown) => returnedRows(r));
      if (claimed.length === 0) return sent;
      for (const message of claimed) {
        const attemptId = randomUUID();
        await this.dataSource.query(
          `INSERT INTO outbox_attempts (id, message_id, attempt, instance_id, started_at, outcome) VALUES ($1, $2, $3, $4, $5, 'SENDING')`,
          [attemptId, message.id, message.attempts, this.instanceId, this.clock.now()],
        );
        // A server's answer may quote the recipient: what is kept and logged of it is masked.
        let recipients: string[] = [];
        try {
          // Opened only here, only to send: an instance with another key fails the attempt and
          // leaves the mail to be retried (by an instance with the fleet's MAIL_SEAL_KEY).
          const sealed = message.sealed ?? (await this.outbox.sealUnsealed(message.id));
          if (!sealed) throw new Error('mail row vanished while leased');
          const { to, text, html } = this.seal.open(sealed);
          recipients = to;
          const response = await this.mailer.send({
            from: this.config.MAIL_FROM ?? 'yankomas@localhost',
            to,
            subject: message.subject,
            text,
            html,
            messageId: message.message_id,
          });
          await this.dataSource.query(
            `UPDATE outbox_messages SET status = 'SENT', sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1`,
            [message.id, this.clock.now()],
          );
          await this.finishAttempt(attemptId, 'SENT', null, hideAll(response, recipients));
          sent += 1;
        } catch (error) {
          const text = hideAll(String(error instanceof Error ? error.message : error), recipients).slice(
            0,
            1000,
          );
          const code = Number((error as { responseCode?: number }).responseCode);
          const permanent = code >= 500 && code < 600;
          await this.dataSource.query(
            `UPDATE outbox_messages SET status = $2, next_attempt_at = $3, lease_until = NULL, last_error = $4 WHERE id = $1`,
            [
              message.id,
              permanent ? 'FAILED' : 'PENDING',
              new Date(this.clock.now().getTime() + this.backoffMs(message.attempts)),
              text,
            ],
          );
          await this.finishAttempt(attemptId, 'FAILED', text, null);
          this.logger.warn(
            `delivery of ${message.id} failed (attempt ${message.attempts}${permanent ? ', permanent' : ''}): ${text}`,
          );
        }
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
