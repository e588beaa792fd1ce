import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DaysOff } from '../sla/working-time';
import { queryRows } from '../database/sql';

const CACHE_MS = 30_000;

/**
 * The national calendar of days off, read from the database and cached briefly. Every
 * instance re-reads it at least every 30 s; the instance that applies a correction re-reads at once.
 */
@Injectable()
export class CalendarService {
  private cached: { at: number; daysOff: DaysOff } | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async daysOff(manager?: EntityManager): Promise<DaysOff> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.daysOff;
    const db = manager ?? this.dataSource;
    const days = await queryRows<{ date: string }>(
      db,
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM calendar_days_off`,
    );
    const years = await queryRows<{ year: number }>(db, `SELECT year FROM calendar_years`);
    const set = new Set(days.map((d) => d.date));
    const daysOff: DaysOff = { has: (date) => set.has(date), knownYears: new Set(years.map((y) => y.year)) };
    this.cached = { at: Date.now(), daysOff };
    return daysOff;
  }

  invalidate(): void {
    this.cached = null;
  }
}
