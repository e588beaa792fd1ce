import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The "ditindaklanjuti" target of a unit for a year, and which denominator its definition uses. */
@Entity('indicator_targets')
export class IndicatorTargetEntity {
  @PrimaryColumn({
    name: 'unit_code',
    type: 'varchar',
    length: 32,
    primaryKeyConstraintName: 'pk_indicator_targets',
  })
  unitCode: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_indicator_targets' })
  year: number;

  @Column({ name: 'target_percent', type: 'numeric', precision: 7, scale: 2 })
  targetPercent: string;

  /** DITERIMA: the complaints received; TARGET: the planned number of handlings. */
  @Column({ type: 'varchar', length: 16 })
  denominator: 'DITERIMA' | 'TARGET';

  @Column({ name: 'target_count', type: 'integer', nullable: true })
  targetCount: number | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
