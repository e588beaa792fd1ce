import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** An institution that receives recommendation letters and owes a response (institusi terkait). */
@Entity('institutions')
export class InstitutionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_institutions' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => InstitutionEntity, { nullable: true })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_institutions_parent' })
  parent?: InstitutionEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
