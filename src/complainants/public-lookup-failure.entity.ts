import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Failed public status lookups, in the database so that every instance throttles alike. */
@Entity('public_lookup_failures')
@Index('idx_public_lookup_failures_address_at', ['address', 'at'])
export class PublicLookupFailureEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    primaryKeyConstraintName: 'pk_public_lookup_failures',
  })
  id: string;

  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
