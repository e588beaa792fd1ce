import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Who did what, when, from where: every write through the API (also refused ones) and every read
 * of a complainant's identity. Append-only: the database refuses UPDATE, DELETE and TRUNCATE.
 * Never holds request bodies, so no personal data is copied here.
 */
@Entity('audit_log')
@Index('idx_audit_log_at', ['at'])
@Index('idx_audit_log_entity', ['entityType', 'entityId'])
@Index('idx_audit_log_actor_at', ['actorId', 'at'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'pk_audit_log' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_username', type: 'varchar', length: 64, nullable: true })
  actorUsername: string | null;

  @Column({ name: 'actor_roles', type: 'text', array: true, default: () => "'{}'" })
  actorRoles: string[];

  @Column({ name: 'actor_unit_code', type: 'varchar', length: 32, nullable: true })
  actorUnitCode: string | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  method: string | null;

  @Column({ type: 'text', nullable: true })
  path: string | null;

  @Column({ name: 'entity_type', type: 'varchar', length: 32, nullable: true })
  entityType: string | null;

  @Column({ name: 'entity_id', type: 'text', nullable: true })
  entityId: string | null;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: object;
}
