import { Column, Entity, PrimaryColumn } from 'typeorm';

export const REFERENCE_KINDS = ['HAK', 'TEMA', 'SALURAN', 'PIHAK_TERADU'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** Reference lists that admins extend: basic rights, themes, channels, reported parties. */
@Entity('reference_items')
export class ReferenceItemEntity {
  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'pk_reference_items' })
  kind: ReferenceKind;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_reference_items' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder: number;
}
