import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { firstRow, queryRows } from '../database/sql';
import { ConfigurationRevision } from '../config/configuration-revision';

export interface DayOffRow {
  date: string;
  kind: string;
  name: string;
}

/**
 * Owner of `calendar_days_off` and `calendar_years` for reading a year and correcting it: each
 * correction moves the open deadlines and dispatches it touches in the same transaction
 * (sla/derived-state.service.ts listens for it).
 */
@Injectable()
export class CalendarEditor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly revisions: ConfigurationRevision,
  ) {}

  async year(year: number): Promise<{ source: string | null; daysOff: DayOffRow[] }> {
    const known = await firstRow<{ source: string }>(
      this.dataSource,
      'SELECT source FROM calendar_years WHERE year = $1',
      [year],
    );
    const daysOff = await queryRows<DayOffRow>(
      this.dataSource,
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_days_off
        WHERE date >= make_date($1, 1, 1) AND date < make_date($1 + 1, 1, 1) ORDER BY date`,
      [year],
    );
    return { source: known?.source ?? null, daysOff };
  }

  /** Adds or renames a day off; the year counts as set from now on. Answers the cases recomputed. */
  putDayOff(year: number, day: DayOffRow): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO calendar_days_off (date, kind, name) VALUES ($1, $2, $3)
         ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name`,
        [day.date, day.kind, day.name],
      );
      await em.query(
        `INSERT INTO calendar_years (year, source) VALUES ($1, 'diisi oleh admin') ON CONFLICT (year) DO NOTHING`,
        [year],
      );
      return this.revisions.changed(em, { kind: 'KALENDER', date: day.date });
    });
  }

  /** Makes a day off a working day again. Answers the cases recomputed. */
  removeDayOff(date: string): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const removed = await queryRows<{ date: string }>(
        em,
        'DELETE FROM calendar_days_off WHERE date = $1 RETURNING date',
        [date],
      );
      if (!removed.length) throw new NotFoundError('Hari libur');
      return this.revisions.changed(em, { kind: 'KALENDER', date });
    });
  }
}
