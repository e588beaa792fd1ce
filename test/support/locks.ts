import { Client } from 'pg';

/** A transaction that holds one case's row lock until `release`, as a slow writer would. */
export async function holdCaseRow(
  databaseUrl: string,
  caseId: string,
): Promise<{ release(): Promise<void> }> {
  const hold = new Client({ connectionString: databaseUrl });
  await hold.connect();
  await hold.query('BEGIN');
  await hold.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
  return {
    release: async () => {
      await hold.query('ROLLBACK');
      await hold.end();
    },
  };
}

/** Waits until a statement matching `like` (SQL LIKE) waits for a lock: it is then truly in flight. */
export async function waitingOnLock(db: Client, like: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
      [like],
    );
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no statement like ${like} came to wait`);
}
