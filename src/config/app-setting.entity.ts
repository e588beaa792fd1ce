import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Installation-wide values that every instance must share (e.g. the token signing secret). */
@Entity('app_settings')
export class AppSettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_app_settings' })
  key: string;

  @Column({ type: 'text' })
  value: string;
}
