import type { EntityManager } from 'typeorm';

/**
 * The one policy for the items a periodic job claims (a case's SLA check, a dispatch's reminder
 * check): each is handled under its own savepoint, so one that fails is rolled back alone and the
 * batch goes on; it is tried again after RETRY_MS, doubling per failure, and parked (not tried
 * again, the administrators told) after ITEM_TRIES failures in a row.
 */
export const ITEM_TRIES = 5;
const RETRY_MS = 5 * 60_000;

/** When an item that has failed `failuresSoFar` times before is tried again. */
export function retryAt(now: Date, failuresSoFar: number): Date {
  return new Date(now.getTime() + RETRY_MS * 2 ** failuresSoFar);
}

/**
 * Handles each row under its own savepoint; a failure is rolled back alone and then recorded by
 * `failed`, whose writes are kept whatever the next row does. One round trip per row releases a
 * savepoint and sets the next.
 */
export async function eachIsolated<T>(
  em: EntityManager,
  rows: T[],
  handle: (row: T) => Promise<void>,
  failed: (row: T, error: unknown) => Promise<void>,
): Promise<void> {
  if (!rows.length) return;
  await em.query('SAVEPOINT job_item');
  for (const row of rows) {
    try {
      await handle(row);
    } catch (error) {
      await em.query('ROLLBACK TO SAVEPOINT job_item');
      await failed(row, error);
    }
    await em.query('RELEASE SAVEPOINT job_item; SAVEPOINT job_item');
  }
}
