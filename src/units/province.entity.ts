import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A locus of the recap: a province (ISO 3166-2:ID) or one of the pseudo-loci. */
@Entity('provinces')
export class ProvinceEntity {
  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'pk_provinces' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'time_zone', type: 'text', nullable: true })
  timeZone: string | null;

  @Column({ type: 'varchar', length: 16 })
  kind: 'PROVINSI' | 'PSEUDO';

  @Column({ name: 'sort_order', type: 'integer' })
  sortOrder: number;
}
