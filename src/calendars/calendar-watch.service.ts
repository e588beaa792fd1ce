import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { NotificationsService } from '../notifications/notifications.service';
import { queryRows } from '../database/sql';

/** How far ahead a missing calendar starts to matter: a 30-day limit reaches ~6 weeks out. */
const LOOKAHEAD_DAYS = 60;

/**
 * Warns the administrators, once per year, when deadlines are about to be counted on a year
 * whose days off have not been entered (they are then computed on weekends only, provisional).
 */
@Injectable()
export class CalendarWatchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async check(): Promise<number[]> {
    const now = this.clock.now();
    const years = [
      ...new Set([
        now.getUTCFullYear(),
        new Date(now.getTime() + LOOKAHEAD_DAYS * 86_400_000).getUTCFullYear(),
      ]),
    ];
    const known = await queryRows<{ year: number }>(
      this.dataSource,
      'SELECT year FROM calendar_years WHERE year = ANY($1::int[])',
      [years],
    );
    const missing = years.filter((y) => !known.some((k) => k.year === y));
    for (const year of missing) {
      await this.dataSource.transaction(async (em) => {
        await this.notifications.notifyAdministrators(em, {
          caseId: null,
          kind: 'KALENDER',
          dedupeKey: `calendar-missing:${year}`,
          title: `Kalender hari libur ${year} belum diisi`,
          body: `Tenggat yang jatuh pada ${year} dihitung tanpa hari libur nasional dan cuti bersama (sementara). Administrator mengisinya di Administrasi, Kalender hari libur ${year}.`,
        });
      });
    }
    return missing;
  }
}
