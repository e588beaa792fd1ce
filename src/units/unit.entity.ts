import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProvinceEntity } from './province.entity';

/** An office that handles complaints: the centre (PUSAT) or a regional office (KANWIL-XX). */
@Entity('units')
export class UnitEntity {
  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'pk_units' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  kind: 'PUSAT' | 'KANWIL';

  @Column({ name: 'province_code', type: 'varchar', length: 16, nullable: true })
  provinceCode: string | null;

  @ManyToOne(() => ProvinceEntity, { nullable: true })
  @JoinColumn({ name: 'province_code', foreignKeyConstraintName: 'fk_units_province' })
  province?: ProvinceEntity;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone: string;

  @Column({ name: 'parent_code', type: 'varchar', length: 32, nullable: true })
  parentCode: string | null;

  @ManyToOne(() => UnitEntity, { nullable: true })
  @JoinColumn({ name: 'parent_code', foreignKeyConstraintName: 'fk_units_parent' })
  parent?: UnitEntity;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
