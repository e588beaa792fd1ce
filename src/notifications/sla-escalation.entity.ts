import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { CaseEntity } from '../cases/case.entity';

/**
 * One escalation of an overdue step at one level. The unique key (case, step, level) is what
 * makes an escalation happen once, whatever the number of instances, sweeps or restarts.
 */
@Entity('sla_escalations')
@Index('uq_sla_escalations_case_step_level', ['caseId', 'stepKey', 'level'], { unique: true })
export class SlaEscalationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'pk_sla_escalations' })
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CaseEntity)
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'fk_sla_escalations_case' })
  case?: CaseEntity;

  /** The step as entered: state path and the case version that entered it. */
  @Column({ name: 'step_key', type: 'text' })
  stepKey: string;

  @Column({ type: 'integer' })
  level: number;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ name: 'notified_user_ids', type: 'uuid', array: true })
  notifiedUserIds: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
