import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../database/sql';

/**
 * A change of a setting that deadlines, escalations or reminders are computed from. Its owner
 * announces it in the change's own transaction; whoever keeps state derived from it recomputes
 * there, so the change and everything it moves commit together.
 */
export type ConfigurationChange =
  | { kind: 'KALENDER'; date: string }
  | { kind: 'UNIT'; unitCode: string }
  | { kind: 'JADWAL_PENGINGAT'; unitCode: string };

/** Recomputes what a change moves, inside the change's transaction; answers how many rows moved. */
export type ConfigurationListener = (em: EntityManager, change: ConfigurationChange) => Promise<number>;

/**
 * The one revision of the configuration (migration 020), as SQL a statement can embed: the event
 * path reads it with the case and its compare-and-set checks it again.
 */
export const CONFIGURATION_REVISION_SQL = '(SELECT revision::text FROM configuration_revision)';

/**
 * Owner of `configuration_revision`. Caches of the calendar and the units are kept per revision:
 * each computation compares the revision first (one row, or read with the case), so a change
 * committed on any instance is honoured by every instance's next computation.
 */
@Injectable()
export class ConfigurationRevision {
  private readonly listeners: ConfigurationListener[] = [];

  async read(db: DataSource | EntityManager): Promise<string> {
    const [{ revision }] = await queryRows<{ revision: string }>(
      db,
      `SELECT ${CONFIGURATION_REVISION_SQL} AS revision`,
    );
    return revision;
  }

  /** Registered once at boot by the modules that keep derived state (sla/derived-state.service.ts). */
  onChange(listener: ConfigurationListener): void {
    this.listeners.push(listener);
  }

  /**
   * Called by a setting's owner inside the transaction that changed it: bumps the revision and
   * lets every listener recompute in the same transaction. Answers the rows recomputed.
   */
  async changed(em: EntityManager, change: ConfigurationChange): Promise<number> {
    await em.query('UPDATE configuration_revision SET revision = revision + 1');
    let moved = 0;
    for (const listener of this.listeners) moved += await listener(em, change);
    return moved;
  }
}
