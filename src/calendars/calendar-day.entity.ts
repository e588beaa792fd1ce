import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A national day off: holiday (LIBUR) or collective leave (CUTI_BERSAMA). */
@Entity('calendar_days_off')
export class CalendarDayOffEntity {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_calendar_days_off' })
  date: string;

  @Column({ type: 'varchar', length: 16 })
  kind: 'LIBUR' | 'CUTI_BERSAMA';

  @Column({ type: 'text' })
  name: string;
}

/** A year whose days off have been decreed and entered; other years count weekends only. */
@Entity('calendar_years')
export class CalendarYearEntity {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_calendar_years' })
  year: number;

  @Column({ type: 'text' })
  source: string;
}
