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
import type { Kategori } from '../../workflows';
import { ProvinceEntity } from '../units/province.entity';
import { UnitEntity } from '../units/unit.entity';
import { UserEntity } from '../users/user.entity';

export interface Complainant {
  name: string;
  email?: string;
  phone?: string;
  address?: string;
  identityNumber?: string;
  confidential?: boolean;
}

@Entity('cases')
@Index('uq_cases_register_number', ['registerNumber'], { unique: true })
@Index('uq_cases_tracking_code_hash', ['trackingCodeHash'], { unique: true })
@Index('idx_cases_unit_state', ['unitCode', 'state'])
@Index('idx_cases_deadline_due', ['deadlineDueAt'])
@Index('idx_cases_deadline_due_soon', ['deadlineDueSoonAt'])
@Index('idx_cases_next_sla_check', ['nextSlaCheckAt'])
@Index('cases_assignee', ['assigneeId', 'deadlineDueAt'], { where: '"assignee_id" IS NOT NULL' })
// The lists' year indexes, newest first (a descending column TypeORM cannot describe): migration 029.
@Index('cases_unit_year_received', { synchronize: false })
@Index('cases_year_received', { synchronize: false })
// The reports' covering indexes of receipt (INCLUDE, which TypeORM cannot describe): migration 033.
@Index('cases_unit_received_cover', { synchronize: false })
@Index('cases_received_cover', { synchronize: false })
export class CaseEntity {
  // The key's index also carries what a report's follow-up reads of its case (INCLUDE): migration 034.
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_cases' })
  id: string;

  @Column({ name: 'register_number', type: 'varchar', length: 64 })
  registerNumber: string;

  @Column({ name: 'register_year', type: 'integer' })
  registerYear: number;

  @Column({ name: 'register_seq', type: 'integer' })
  registerSeq: number;

  @Column({ name: 'unit_code', type: 'varchar', length: 32 })
  unitCode: string;

  @ManyToOne(() => UnitEntity)
  @JoinColumn({ name: 'unit_code', foreignKeyConstraintName: 'fk_cases_unit' })
  unit?: UnitEntity;

  @Column({ name: 'workflow_id', type: 'varchar', length: 64 })
  workflowId: string;

  @Column({ name: 'workflow_version', type: 'integer' })
  workflowVersion: number;

  /** The state as a dotted path (`telaah.persetujuan`), for queries and filters. */
  @Column({ type: 'varchar', length: 128 })
  state: string;

  /** XState's state value and context: enough to resolve the snapshot again. */
  @Column({ name: 'state_value', type: 'jsonb' })
  stateValue: object | string;

  @Column({ type: 'jsonb' })
  context: object;

  @Column({ type: 'varchar', length: 32 })
  category: Kategori;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ type: 'varchar', length: 64 })
  channel: string;

  @Column({ type: 'varchar', length: 16 })
  submission: 'LANGSUNG' | 'TEMBUSAN';

  @Column({ type: 'jsonb' })
  complainant: Complainant;

  @Column({ name: 'locus_province_code', type: 'varchar', length: 16 })
  locusProvinceCode: string;

  @ManyToOne(() => ProvinceEntity)
  @JoinColumn({ name: 'locus_province_code', foreignKeyConstraintName: 'fk_cases_locus_province' })
  locusProvince?: ProvinceEntity;

  @Column({ name: 'locus_regency', type: 'text', nullable: true })
  locusRegency: string | null;

  @Column({ type: 'text', array: true })
  rights: string[];

  @Column({ type: 'varchar', length: 64 })
  theme: string;

  @Column({ name: 'reported_party', type: 'varchar', length: 64 })
  reportedParty: string;

  @Column({ type: 'text' })
  summary: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_cases_created_by' })
  creator?: UserEntity;

  /** occurredAt of the latest event: a back-dated event may not precede it. */
  @Column({ name: 'last_event_at', type: 'timestamptz' })
  lastEventAt: Date;

  /**
   * Since when the case has had its unit and category of now: the occurredAt of the event that
   * gave them, or a later instant, never an earlier one (CaseStore keeps it). A report as of an
   * instant since then reads both from the row, without the case's history (reports.service.ts).
   * Null when not known, for a row written outside CaseStore: the reports then read the history.
   */
  @Column({ name: 'category_since', type: 'timestamptz', nullable: true })
  categorySince: Date | null;

  /**
   * When the first institution's response arrived (the indicator counts a case once, in the period
   * of its first response). Responses are never dated before the case's last event, so the first
   * one recorded is the earliest.
   */
  @Column({ name: 'first_response_at', type: 'timestamptz', nullable: true })
  firstResponseAt: Date | null;

  /** The hash of the complainant's tracking code (see src/complainants/tracking-code.ts); never the code. */
  @Column({ name: 'tracking_code_hash', type: 'varchar', length: 64, nullable: true })
  trackingCodeHash: string | null;

  /** When the case entered its current state. */
  @Column({ name: 'step_started_at', type: 'timestamptz' })
  stepStartedAt: Date;

  // The SLA of the current step (see src/sla/deadline-policy.ts); null where the step has no limit.
  @Column({ name: 'deadline_step', type: 'varchar', length: 128, nullable: true })
  deadlineStep: string | null;

  @Column({ name: 'deadline_clock', type: 'varchar', length: 16, nullable: true })
  deadlineClock: string | null;

  @Column({ name: 'deadline_basis_at', type: 'timestamptz', nullable: true })
  deadlineBasisAt: Date | null;

  @Column({ name: 'deadline_limit', type: 'jsonb', nullable: true })
  deadlineLimit: object | null;

  @Column({ name: 'deadline_due_at', type: 'timestamptz', nullable: true })
  deadlineDueAt: Date | null;

  @Column({ name: 'deadline_due_soon_at', type: 'timestamptz', nullable: true })
  deadlineDueSoonAt: Date | null;

  @Column({ name: 'deadline_provisional', type: 'boolean', default: false })
  deadlineProvisional: boolean;

  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  /** When the SLA sweep must next look at this case (escalation or withdrawal); null: never. */
  @Column({ name: 'next_sla_check_at', type: 'timestamptz', nullable: true })
  nextSlaCheckAt: Date | null;

  /** Escalation levels already raised for the current step (0, 1 or 2). */
  @Column({ name: 'sla_level', type: 'integer', default: 0 })
  slaLevel: number;

  /** SLA checks of this case that failed in a row; parked after SLA_CHECK_TRIES. */
  @Column({ name: 'sla_check_failures', type: 'integer', default: 0 })
  slaCheckFailures: number;

  /**
   * The officer (PETUGAS or KASUBBID of the unit) whose work the case's officer steps are, named by
   * the unit's head; null: the unit's shared queue.
   */
  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId: string | null;

  /**
   * The register number, the regency and the summary, folded, for the newest-first scan of a word
   * found in thousands of cases (its indexes are in case_search); kept by the database
   * (migration 032), never written nor read by the service.
   */
  @Column({ name: 'search_text', type: 'text', nullable: true, select: false, insert: false, update: false })
  searchText?: string | null;

  /** The earlier case this one repeats, when it was filed as a duplicate. */
  @Column({ name: 'duplicate_of', type: 'uuid', nullable: true })
  duplicateOf: string | null;

  @ManyToOne(() => CaseEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'duplicate_of', foreignKeyConstraintName: 'fk_cases_duplicate_of' })
  duplicateOfCase?: CaseEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
