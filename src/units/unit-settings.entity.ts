import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { UnitEntity } from './unit.entity';

/** Where units truly differ: office hours, when a deadline counts as due soon, escalation grace. */
@Entity('unit_settings')
export class UnitSettingsEntity {
  @PrimaryColumn({
    name: 'unit_code',
    type: 'varchar',
    length: 32,
    primaryKeyConstraintName: 'pk_unit_settings',
  })
  unitCode: string;

  @OneToOne(() => UnitEntity)
  @JoinColumn({ name: 'unit_code', foreignKeyConstraintName: 'fk_unit_settings_unit' })
  unit?: UnitEntity;

  /** Minutes after midnight: opening, closing, and closing on Friday. */
  @Column({ name: 'office_open', type: 'integer', default: 480 })
  officeOpen: number;

  @Column({ name: 'office_close', type: 'integer', default: 960 })
  officeClose: number;

  @Column({ name: 'office_close_friday', type: 'integer', default: 990 })
  officeCloseFriday: number;

  /** The last share of a limit that counts as due soon (at least one working day). */
  @Column({ name: 'due_soon_percent', type: 'integer', default: 20 })
  dueSoonPercent: number;

  /** Working days a step may stay overdue before the level above the supervisor hears of it. */
  @Column({ name: 'escalation_grace_days', type: 'integer', default: 2 })
  escalationGraceDays: number;

  /** The workflow version the unit's new cases start on; null: the newest. */
  @Column({ name: 'workflow_version', type: 'integer', nullable: true })
  workflowVersion: number | null;

  /** The office's address, as its printed forms (receipt, disposition sheet) head it. */
  @Column({ name: 'office_address', type: 'text', nullable: true })
  officeAddress: string | null;

  /** The milestones the unit's complainants are told of by mail (src/complainants/milestones.ts). */
  @Column({
    name: 'complainant_notices',
    type: 'text',
    array: true,
    default: () =>
      "'{PENERIMAAN,BERKAS_TIDAK_LENGKAP,TIDAK_BERWENANG,REKOMENDASI_DIKIRIM,TANGGAPAN_DITERIMA,SELESAI,DIARSIPKAN,DICABUT}'",
  })
  complainantNotices: string[];
}
