import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarService } from '../calendars/calendar.service';
import { CaseStore } from '../cases/case-store';
import { deadlineColumns, storedDeadline } from '../cases/case-view';
import { Clock } from '../common/clock';
import { ConfigurationRevision, type ConfigurationChange } from '../config/configuration-revision';
import { ReminderService } from '../reminders/reminder.service';
import { UnitDirectory } from '../units/unit-directory';
import { recompute } from './deadline-policy';

/**
 * The one owner of "a setting changed, so what was computed from it moves": for each kind of
 * change (a day off, a unit's zone or settings, a reminder schedule) it recomputes, in the
 * change's own transaction, the open deadlines of the cases, their escalation checks and the
 * dispatches' reply deadlines and reminder checks.
 */
@Injectable()
export class DerivedStateService implements OnModuleInit {
  private readonly logger = new Logger('DerivedState');

  constructor(
    private readonly revisions: ConfigurationRevision,
    private readonly store: CaseStore,
    private readonly calendar: CalendarService,
    private readonly units: UnitDirectory,
    private readonly reminders: ReminderService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.revisions.onChange((em, change) => this.recompute(em, change));
  }

  /** Answers the cases whose deadline moved. */
  async recompute(em: EntityManager, change: ConfigurationChange): Promise<number> {
    await this.store.holdWritesForChange(em);
    const revision = await this.revisions.read(em);
    const daysOff = await this.calendar.read(em);
    const clockOf = await this.units.read(em);
    const now = this.clock.now();
    const filter = change.kind === 'KALENDER' ? { date: change.date } : { unitCode: change.unitCode };
    let cases = 0;
    if (change.kind !== 'JADWAL_PENGINGAT') {
      for (const row of await this.store.openDeadlines(em, filter)) {
        const current = storedDeadline(row);
        if (!current) continue;
        const { zone, ...rules } = clockOf(row.unitCode);
        const next = recompute(current, zone, daysOff, rules);
        if (
          next.dueAt.getTime() === current.dueAt.getTime() &&
          next.dueSoonAt.getTime() === current.dueSoonAt.getTime() &&
          next.provisional === current.provisional
        )
          continue;
        const saved = await this.store.commitRecompute(
          em,
          row,
          deadlineColumns(next),
          {
            sebab: change.kind,
            ...(change.kind === 'KALENDER' ? { tanggal: change.date } : { unit: change.unitCode }),
            tenggatLama: current.dueAt,
            tenggatBaru: next.dueAt,
          },
          revision,
          now,
        );
        if (!saved) throw new Error(`case ${row.id} changed under the configuration change's lock`);
        cases += 1;
      }
      // The escalation grace may have changed: the sweep places the unit's next checks again.
      if (change.kind === 'UNIT') await this.store.checkSlaSoon(em, change.unitCode, now);
    }
    const dispatches = await this.reminders.recheckDispatches(
      em,
      filter,
      daysOff,
      (unitCode) => clockOf(unitCode).zone,
      now,
    );
    this.logger.log(
      `${change.kind} ${JSON.stringify(filter)}: ${cases} case deadlines and ${dispatches} reply deadlines moved`,
    );
    return cases;
  }
}
