import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { deadlineColumns, storedDeadline } from '../cases/case-view';
import { CaseEntity } from '../cases/case.entity';
import { recompute } from '../sla/deadline-policy';
import { UnitDirectory } from '../units/unit-directory';
import { CalendarService } from './calendar.service';

/** After a calendar correction every open deadline is counted again, in the same transaction. */
@Injectable()
export class DeadlineRecomputeService {
  constructor(
    private readonly calendar: CalendarService,
    private readonly units: UnitDirectory,
  ) {}

  /**
   * Only deadlines whose counted span contains the changed date can move; the window is widened
   * by two days on each side so that no time zone falls outside it.
   */
  async recomputeOpenDeadlines(em: EntityManager, changedDate: string): Promise<number> {
    this.calendar.invalidate();
    const daysOff = await this.calendar.daysOff(em);
    const rows = await em
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .where('c.deadline_due_at IS NOT NULL')
      .andWhere(`c.deadline_basis_at < (:day::date + 2) AND c.deadline_due_at > (:day::date - 2)`, {
        day: changedDate,
      })
      .setLock('pessimistic_write')
      .getMany();
    let changed = 0;
    for (const row of rows) {
      const current = storedDeadline(row);
      if (!current) continue;
      const { zone, ...rules } = await this.units.clock(row.unitCode);
      const next = recompute(current, zone, daysOff, rules);
      if (
        next.dueAt.getTime() === current.dueAt.getTime() &&
        next.dueSoonAt.getTime() === current.dueSoonAt.getTime() &&
        next.provisional === current.provisional
      )
        continue;
      await em.getRepository(CaseEntity).update({ id: row.id }, deadlineColumns(next));
      changed += 1;
    }
    this.calendar.invalidate();
    return changed;
  }
}
