import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConfigurationRevision } from '../config/configuration-revision';
import type { DaysOff } from '../sla/working-time';
import { queryRows } from '../database/sql';

/**
 * The national calendar of days off, read from the database and kept while the configuration's
 * revision stands. Every computation first compares the revision (one row, or read by the caller
 * with its own data), so a correction committed on any instance is counted by every instance's
 * next computation, not after a cache expires.
 */
@Injectable()
export class CalendarService {
  private cached: { revision: string; daysOff: DaysOff } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly revisions: ConfigurationRevision,
  ) {}

  /**
   * `knownRevision`: the revision the caller has just read in its own statement (the event path
   * reads it with the case); without it the revision is read here, through `manager` if given.
   */
  async daysOff(manager?: EntityManager, knownRevision?: string): Promise<DaysOff> {
    if (knownRevision !== undefined && this.cached?.revision === knownRevision) return this.cached.daysOff;
    const db = manager ?? this.dataSource;
    const revision = knownRevision ?? (await this.revisions.read(db));
    if (this.cached?.revision === revision) return this.cached.daysOff;
    const daysOff = await this.load(db);
    this.cached = { revision, daysOff };
    return daysOff;
  }

  /**
   * The days off as a change's own transaction sees them, uncommitted, never cached: a change
   * that rolls back leaves its revision number to the next change, which must not find these.
   */
  read(em: EntityManager): Promise<DaysOff> {
    return this.load(em);
  }

  private async load(db: DataSource | EntityManager): Promise<DaysOff> {
    const days = await queryRows<{ date: string }>(
      db,
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM calendar_days_off`,
    );
    const years = await queryRows<{ year: number }>(db, `SELECT year FROM calendar_years`);
    const set = new Set(days.map((d) => d.date));
    return { has: (date) => set.has(date), knownYears: new Set(years.map((y) => y.year)) };
  }
}
