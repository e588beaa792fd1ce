import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { InstitutionEntity } from '../institutions/institution.entity';
import { UserEntity } from '../users/user.entity';

/** One recommendation letter sent to one institution: it owes a response by `due_at`. */
@Entity('dispatches')
@Index('uq_dispatches_case_institution_round', ['caseId', 'institutionId', 'round'], { unique: true })
@Index('idx_dispatches_next_check', ['nextReminderCheckAt'])
@Index('idx_dispatches_case', ['caseId'])
export class DispatchEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_dispatches' })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CaseEntity)
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'fk_dispatches_case' })
  case?: CaseEntity;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  @ManyToOne(() => InstitutionEntity)
  @JoinColumn({ name: 'institution_id', foreignKeyConstraintName: 'fk_dispatches_institution' })
  institution?: InstitutionEntity;

  /** The letter round of the case (a follow-up letter is round 2). */
  @Column({ type: 'integer' })
  round: number;

  @Column({ name: 'unit_code', type: 'varchar', length: 32 })
  unitCode: string;

  @Column({ name: 'letter_number', type: 'varchar', length: 100 })
  letterNumber: string;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  /** DIHENTIKAN: a unit head stopped the reminders (or the case closed without waiting for it). */
  @Column({ type: 'varchar', length: 16 })
  status: 'MENUNGGU' | 'DITANGGAPI' | 'DIHENTIKAN';

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;

  /** When the reminder sweep must next look at it; null once answered or when every stage is done. */
  @Column({ name: 'next_reminder_check_at', type: 'timestamptz', nullable: true })
  nextReminderCheckAt: Date | null;

  @Column({ name: 'stopped_at', type: 'timestamptz', nullable: true })
  stoppedAt: Date | null;

  @Column({ name: 'stopped_by', type: 'uuid', nullable: true })
  stoppedBy: string | null;

  @ManyToOne(() => UserEntity, { nullable: true })
  @JoinColumn({ name: 'stopped_by', foreignKeyConstraintName: 'fk_dispatches_stopped_by' })
  stopper?: UserEntity;

  @Column({ name: 'stop_reason', type: 'text', nullable: true })
  stopReason: string | null;

  /** The signed letter (a PDF attachment of the case) mailed with the dispatch and its reminders. */
  @Column({ name: 'letter_attachment_id', type: 'uuid', nullable: true })
  letterAttachmentId: string | null;

  /** Reminder checks that failed in a row: retried with back-off, parked after REMINDER_CHECK_TRIES. */
  @Column({ name: 'reminder_check_failures', type: 'integer', default: 0 })
  reminderCheckFailures: number;
}

/** A reminder decided for one addressee of a dispatch at one stage of the schedule. */
@Entity('reminders')
@Index('uq_reminders_dispatch_addressee_stage', ['dispatchId', 'addressee', 'stage'], { unique: true })
export class ReminderEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_reminders' })
  id: string;

  @Column({ name: 'dispatch_id', type: 'uuid' })
  dispatchId: string;

  @ManyToOne(() => DispatchEntity)
  @JoinColumn({ name: 'dispatch_id', foreignKeyConstraintName: 'fk_reminders_dispatch' })
  dispatch?: DispatchEntity;

  /** INSTITUSI, INDUK (the parent body) or PIMPINAN (the unit's supervisors). */
  @Column({ type: 'varchar', length: 16 })
  addressee: string;

  @Column({ type: 'varchar', length: 32 })
  stage: string;

  /** The schedule's order of the stage, so that only a later stage is ever sent after it. */
  @Column({ name: 'stage_rank', type: 'integer' })
  stageRank: number;

  @Column({ name: 'outbox_message_id', type: 'uuid', nullable: true })
  outboxMessageId: string | null;

  @CreateDateColumn({ name: 'decided_at', type: 'timestamptz' })
  decidedAt: Date;
}

/** A unit's reminder schedule; units without one use the default. */
@Entity('reminder_schedules')
export class ReminderScheduleEntity {
  @PrimaryColumn({
    name: 'unit_code',
    type: 'varchar',
    length: 32,
    primaryKeyConstraintName: 'pk_reminder_schedules',
  })
  unitCode: string;

  @Column({ type: 'jsonb' })
  stages: object;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The wording of each stage's letter, editable by admins. */
@Entity('letter_templates')
export class LetterTemplateEntity {
  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'pk_letter_templates' })
  stage: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ name: 'body_text', type: 'text' })
  bodyText: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 64, nullable: true })
  updatedBy: string | null;
}
