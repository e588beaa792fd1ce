import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/** After the last refusal of a write, how long every released session is dropped. */
const PROBATION_MS = 5_000;
const READ_ONLY_SQL_TRANSACTION = '25006';

/**
 * Sessions that may be read-only are not reused. A database made read-only for maintenance
 * (`ALTER DATABASE ... SET default_transaction_read_only`, a promoted or demoted server) makes
 * its sessions read-only from when they connect; kept in the pool they would refuse writes long
 * after the setting was undone. Once a write is refused, every session is closed when released,
 * until PROBATION_MS passed without a refusal, and so is any session that connected before that:
 * after the undo, the next writes run on fresh sessions. Uses the pool's documented `connect` and
 * `release` events and the client's `end`.
 */
export function dropReadOnlySessions(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const connectedAt = new WeakMap<PoolClient, number>();
  let lastRefusal = -Infinity;
  pool.on('connect', (client) => {
    connectedAt.set(client, Date.now());
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // The promise the caller gets is the original one; this only watches it.
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise)
        result.catch((error: { code?: string }) => {
          if (error?.code === READ_ONLY_SQL_TRANSACTION) lastRefusal = Date.now();
        });
      return result;
    };
  });
  pool.on('release', (_error, client) => {
    const probationEnds = lastRefusal + PROBATION_MS;
    if (Date.now() < probationEnds || (connectedAt.get(client) ?? 0) < probationEnds) void client.end();
  });
}
