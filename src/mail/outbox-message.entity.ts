import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type OutboxStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED' | 'CANCELLED';

/**
 * A mail to send, written in the same transaction that decided it (transactional outbox). The
 * dispatcher leases rows, sends, and records the outcome; a crashed sender's lease expires and
 * another instance retries it. `dedupe_key` stops the same message being decided twice.
 */
@Entity('outbox_messages')
@Index('uq_outbox_messages_dedupe_key', ['dedupeKey'], { unique: true })
@Index('idx_outbox_messages_due', ['status', 'nextAttemptAt'])
@Check('chk_outbox_messages_audience', `"audience" IN ('PENGADU', 'INSTITUSI', 'PETUGAS')`)
export class OutboxMessageEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_outbox_messages' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ name: 'dedupe_key', type: 'text' })
  dedupeKey: string;

  /** Stable across retries, so a receiving server can drop a duplicate delivery. */
  @Column({ name: 'message_id', type: 'text' })
  messageId: string;

  /** PENGADU, INSTITUSI or PETUGAS: a complainant's mail is shown to fewer readers. */
  @Column({ type: 'varchar', length: 16, default: 'PENGADU' })
  audience: string;

  /** Shown recipients: masked for a complainant's mail. The deliverable ones are in `sealed`. */
  @Column({ name: 'to_addresses', type: 'text', array: true })
  toAddresses: string[];

  @Column({ type: 'text' })
  subject: string;

  @Column({ name: 'body_text', type: 'text' })
  bodyText: string;

  @Column({ name: 'body_html', type: 'text' })
  bodyHtml: string;

  /** Recipients and bodies as sent, sealed with a key outside the database (mail-seal.ts). */
  @Column({ type: 'bytea', nullable: true })
  sealed: Buffer | null;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId: string | null;

  /** A document of the case the mail carries (the signed letter), read only when it is sent. */
  @Column({ name: 'attachment_id', type: 'uuid', nullable: true })
  attachmentId: string | null;

  @Column({ name: 'unit_code', type: 'varchar', length: 32, nullable: true })
  unitCode: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  /** The attempt that holds the lease while the mail is being sent. */
  @Column({ name: 'lease_holder', type: 'uuid', nullable: true })
  leaseHolder: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** Every delivery attempt, kept. */
@Entity('outbox_attempts')
@Index('idx_outbox_attempts_message', ['messageId'])
export class OutboxAttemptEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_outbox_attempts' })
  id: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId: string;

  @Column({ type: 'integer' })
  attempt: number;

  @Column({ name: 'instance_id', type: 'text' })
  instanceId: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'varchar', length: 16 })
  outcome: 'SENT' | 'FAILED' | 'SENDING';

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'smtp_response', type: 'text', nullable: true })
  smtpResponse: string | null;
}
