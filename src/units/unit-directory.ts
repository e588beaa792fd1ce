import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConfigurationRevision } from '../config/configuration-revision';
import { queryRows } from '../database/sql';

import { DEFAULT_OFFICE_HOURS, type OfficeHours } from '../sla/working-time';

export interface UnitClock {
  zone: string;
  hours: OfficeHours;
  dueSoonPercent: number;
  /** Working days a step may stay overdue before the level above the supervisor hears of it. */
  escalationGraceDays: number;
  /** The workflow version the unit's new cases start on; null: the newest. */
  workflowVersion: number | null;
}

type Clocks = Map<string, UnitClock>;

/**
 * The units' time zones and settings, read on every event, so kept in memory while the
 * configuration's revision stands: a change committed on any instance (units.service.ts bumps the
 * revision in its transaction) is honoured by every instance's next computation.
 */
@Injectable()
export class UnitDirectory {
  private cache: { revision: string; clocks: Clocks } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly revisions: ConfigurationRevision,
  ) {}

  async timeZone(unitCode: string, knownRevision?: string): Promise<string> {
    return (await this.clock(unitCode, knownRevision)).zone;
  }

  /**
   * The unit's zone, office hours, due-soon share and escalation grace (unit_settings, or the
   * defaults). `knownRevision`: the configuration revision the caller read with its own data.
   */
  async clock(unitCode: string, knownRevision?: string, manager?: EntityManager): Promise<UnitClock> {
    let clocks =
      knownRevision !== undefined && this.cache?.revision === knownRevision ? this.cache.clocks : null;
    if (!clocks) {
      const db = manager ?? this.dataSource;
      const revision = knownRevision ?? (await this.revisions.read(db));
      clocks = this.cache?.revision === revision ? this.cache.clocks : await this.load(db);
      this.cache = { revision, clocks };
    }
    return clockOf(clocks, unitCode);
  }

  /** The units as a change's own transaction sees them, uncommitted, never cached (see CalendarService.read). */
  async read(em: EntityManager): Promise<(unitCode: string) => UnitClock> {
    const clocks = await this.load(em);
    return (unitCode) => clockOf(clocks, unitCode);
  }

  private async load(db: DataSource | EntityManager): Promise<Clocks> {
    const rows = await queryRows<{
      code: string;
      time_zone: string;
      office_open: number | null;
      office_close: number | null;
      office_close_friday: number | null;
      due_soon_percent: number | null;
      escalation_grace_days: number | null;
      workflow_version: number | null;
    }>(
      db,
      `SELECT u.code, u.time_zone, s.office_open, s.office_close, s.office_close_friday, s.due_soon_percent,
              s.escalation_grace_days, s.workflow_version
         FROM units u LEFT JOIN unit_settings s ON s.unit_code = u.code`,
    );
    return new Map<string, UnitClock>(
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
          escalationGraceDays: r.escalation_grace_days ?? 2,
          workflowVersion: r.workflow_version,
        },
      ]),
    );
  }
}

function clockOf(clocks: Clocks, unitCode: string): UnitClock {
  const clock = clocks.get(unitCode);
  if (!clock) throw new Error(`unit ${unitCode} is unknown`);
  return clock;
}
