import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last register number issued per unit and year. Incremented inside the transaction that
 * creates the case, so a rolled-back registration gives its number back: no gaps.
 */
@Entity('register_counters')
export class RegisterCounterEntity {
  @PrimaryColumn({
    name: 'unit_code',
    type: 'varchar',
    length: 32,
    primaryKeyConstraintName: 'pk_register_counters',
  })
  unitCode: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_register_counters' })
  year: number;

  @Column({ name: 'last_value', type: 'integer' })
  lastValue: number;
}
