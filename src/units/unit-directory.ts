import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/sql';

import { DEFAULT_OFFICE_HOURS, type OfficeHours } from '../sla/working-time';

const TTL_MS = 60_000;

export interface UnitClock {
  zone: string;
  hours: OfficeHours;
  dueSoonPercent: number;
}

/** Units change rarely (a reorganisation); their time zones are read on every event, so cache them. */
@Injectable()
export class UnitDirectory {
  private cache: { at: number; clocks: Map<string, UnitClock> } | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async timeZone(unitCode: string): Promise<string> {
    return (await this.clock(unitCode)).zone;
  }

  /** The unit's zone, office hours and due-soon share (unit_settings, or the defaults). */
  async clock(unitCode: string): Promise<UnitClock> {
    if (!this.cache || Date.now() - this.cache.at > TTL_MS) {
      const rows = await queryRows<{
        code: string;
        time_zone: string;
        office_open: number | null;
        office_close: number | null;
        office_close_friday: number | null;
        due_soon_percent: number | null;
      }>(
        this.dataSource,
        `SELECT u.code, u.time_zone, s.office_open, s.office_close, s.office_close_friday, s.due_soon_percent
             FROM units u LEFT JOIN unit_settings s ON s.unit_code = u.code`,
      );
      const clocks = new Map<string, UnitClock>(
        rows.map((r) => [
          r.code,
          {
            zone: r.time_zone,
            hours: {
              open: r.office_open ?? DEFAULT_OFFICE_HOURS.open,
              close: r.office_close ?? DEFAULT_OFFICE_HOURS.close,
              closeFriday: r.office_close_friday ?? DEFAULT_OFFICE_HOURS.closeFriday,
            },
            dueSoonPercent: r.due_soon_percent ?? 20,
          },
        ]),
      );
      this.cache = { at: Date.now(), clocks };
    }
    const clock = this.cache.clocks.get(unitCode);
    if (!clock) throw new Error(`unit ${unitCode} is unknown`);
    return clock;
  }

  invalidate(): void {
    this.cache = null;
  }
}
