import type { DataSource } from 'typeorm';

/** Arbitrary but fixed: every instance of this application takes the same lock. */
const MIGRATION_LOCK_KEY = 7_201_119;

/**
 * Runs pending migrations under a session-level advisory lock: TypeORM has no migration lock
 * of its own, and two instances starting at once would otherwise race on the same DDL.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
