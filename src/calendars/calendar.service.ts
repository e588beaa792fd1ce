import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DaysOff } from '../sla/working-time';
import { queryRows } from '../database/sql';

/**
 * The national calendar of days off, read from the database and kept while its revision stands.
 * Every computation first reads the revision (one row), so a correction committed on any instance
 * is counted by every instance's next computation, not after a cache expires.
 */
@Injectable()
export class CalendarService {
  private cached: { revision: string; daysOff: DaysOff } | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * `knownRevision`: the revision the caller has just read in its own statement (the event path
   * reads it with the case); without it the revision is read here.
   */
  async daysOff(manager?: EntityManager, knownRevision?: string): Promise<DaysOff> {
    if (knownRevision !== undefined && this.cached?.revision === knownRevision) return this.cached.daysOff;
    const db = manager ?? this.dataSource;
    const [{ revision }] = await queryRows<{ revision: string }>(
      db,
      'SELECT revision::text AS revision FROM calendar_revision',
    );
    if (this.cached?.revision === revision) return this.cached.daysOff;
    const days = await queryRows<{ date: string }>(
      db,
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM calendar_days_off`,
    );
    const years = await queryRows<{ year: number }>(db, `SELECT year FROM calendar_years`);
    const set = new Set(days.map((d) => d.date));
    const daysOff: DaysOff = { has: (date) => set.has(date), knownYears: new Set(years.map((y) => y.year)) };
    this.cached = { revision, daysOff };
    return daysOff;
  }

  /** Marks a correction, in the correction's transaction: every instance re-reads before its next computation. */
  async bumpRevision(em: EntityManager): Promise<void> {
    await em.query('UPDATE calendar_revision SET revision = revision + 1');
  }

  invalidate(): void {
    this.cached = null;
  }
}
