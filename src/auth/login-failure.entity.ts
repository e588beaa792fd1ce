import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Failed logins, kept in the database so that every instance throttles alike. */
@Entity('login_failures')
@Index('idx_login_failures_username_at', ['username', 'at'])
@Index('idx_login_failures_address_at', ['address', 'at'])
export class LoginFailureEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'pk_login_failures' })
  id: string;

  @Column({ type: 'text' })
  username: string;

  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  /** False while the password of this try is being checked; a right password deletes the row. */
  @Column({ type: 'boolean', default: true })
  confirmed: boolean;
}
