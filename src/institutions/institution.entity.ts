import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** An institution that receives recommendation letters and owes a response (institusi terkait). */
@Entity('institutions')
@Index('idx_institutions_name_key', ['nameKey'])
export class InstitutionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_institutions' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  email: string;

  /** Further addresses that receive every letter (a secretariat, a legal bureau). */
  @Column({ name: 'extra_emails', type: 'text', array: true, default: () => "'{}'" })
  extraEmails: string[];

  /** The name folded for duplicate detection: lower case, no punctuation, single spaces. */
  @Column({ name: 'name_key', type: 'text', default: '' })
  nameKey: string;

  /** Kind of institution, from the reported-party list (KEPOLISIAN, PEMERINTAH_DAERAH, ...). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  type: string | null;

  @Column({ name: 'province_code', type: 'varchar', length: 16, nullable: true })
  provinceCode: string | null;

  /** The unit whose officer registered it: its supervisors (and ADMIN) alone may change it. */
  @Column({ name: 'registered_by_unit', type: 'varchar', length: 32, nullable: true })
  registeredByUnit: string | null;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => InstitutionEntity, { nullable: true })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_institutions_parent' })
  parent?: InstitutionEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
