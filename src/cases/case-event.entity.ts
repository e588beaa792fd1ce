import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { CaseEntity } from './case.entity';

/** The append-only history of a case: one row per event; the database refuses edits. */
@Entity('case_events')
@Index('uq_case_events_case_seq', ['caseId', 'seq'], { unique: true })
// The reports' covering indexes of the events' time (INCLUDE, which TypeORM cannot describe): migration 033.
@Index('case_events_type_occurred_cover', { synchronize: false })
@Index('case_events_unit_occurred_cover', { synchronize: false })
@Index('idx_case_events_case_occurred', ['caseId', 'occurredAt'])
export class CaseEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'pk_case_events' })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CaseEntity)
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'fk_case_events_case' })
  case?: CaseEntity;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  /** Null when the system itself acted (e.g. DICABUT). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @ManyToOne(() => UserEntity, { nullable: true })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'fk_case_events_actor' })
  actor?: UserEntity;

  @Column({ name: 'actor_username', type: 'varchar', length: 64 })
  actorUsername: string;

  @Column({ name: 'actor_roles', type: 'text', array: true })
  actorRoles: string[];

  @Column({ name: 'actor_unit_code', type: 'varchar', length: 32, nullable: true })
  actorUnitCode: string | null;

  @Column({ name: 'unit_code', type: 'varchar', length: 32 })
  unitCode: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;

  @Column({ name: 'from_state', type: 'varchar', length: 128, nullable: true })
  fromState: string | null;

  @Column({ name: 'to_state', type: 'varchar', length: 128 })
  toState: string;

  /** The recap category after this event: reports read the category as of any cut-off from here. */
  @Column({ name: 'to_category', type: 'varchar', length: 32, default: 'PROSES' })
  toCategory: string;

  /** The step being left: when it started and when it was due (null without a limit), for SLA compliance. */
  @Column({ name: 'from_step_started_at', type: 'timestamptz', nullable: true })
  fromStepStartedAt: Date | null;

  @Column({ name: 'from_step_due_at', type: 'timestamptz', nullable: true })
  fromStepDueAt: Date | null;

  @Column({ name: 'workflow_version', type: 'integer' })
  workflowVersion: number;

  @Column({ type: 'jsonb' })
  payload: object;

  /**
   * The case's locus when the event was written (set at registration, never changed since): the
   * reports count follow-ups by locus from the history's indexes, without reading each case.
   * Null in rows written before migration 036 and in imported histories: the reports then read
   * the case.
   */
  @Column({ name: 'locus_province_code', type: 'varchar', length: 16, nullable: true })
  locusProvinceCode: string | null;

  /** Whether this event was the case's first follow-up (it set first_response_at); null as above. */
  @Column({ name: 'first_follow_up', type: 'boolean', nullable: true })
  firstFollowUp: boolean | null;
}
