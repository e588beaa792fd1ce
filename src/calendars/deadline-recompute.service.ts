import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { deadlineColumns, storedDeadline } from '../cases/case-view';
import { CaseEntity } from '../cases/case.entity';
import { recompute } from '../sla/deadline-policy';
import { CalendarService } from './calendar.service';

/** After a calendar correction every open deadline is counted again, in the same transaction. */
@Injectable()
export class DeadlineRecomputeService {
  constructor(private readonly calendar: CalendarService) {}

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
      .andWhere(`c.deadline_basis_at < (:day::date + 2) AND c.deadline_due_at > (:day::date - 2)`, { day: changedDate })
      .setLock('pessimistic_write')
      .getMany();
    const zones = new Map<string, string>(
      (await em.query('SELECT code, time_zone FROM units')).map((u: { code: string; time_zone: string }) => [u.code, u.time_zone]),
    );
    let changed = 0;
    for (const row of rows) {
      const current = storedDeadline(row);
      if (!current) continue;
      const next = recompute(current, zones.get(row.unitCode) ?? 'Asia/Jakarta', daysOff);
      if (next.dueAt.getTime() === current.dueAt.getTime() && next.dueSoonAt.getTime() === current.dueSoonAt.getTime() && next.provisional === current.provisional) continue;
      await em.getRepository(CaseEntity).update({ id: row.id }, deadlineColumns(next));
      changed += 1;
    }
    this.calendar.invalidate();
    return changed;
  }
}
