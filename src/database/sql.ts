/**
 * Typed raw SQL. Every query names the type of its rows where it is written, so nothing read from
 * the database is `any`; the lint refuses an untyped result (no-unsafe-*).
 */
import { returnedRows } from './query-results';

/** Anything that runs SQL: the data source, a transaction's manager, a query runner. */
export interface SqlRunner {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

/** The rows of a SELECT, or of an INSERT/UPDATE/DELETE ... RETURNING. */
export async function rows<T>(db: SqlRunner, text: string, params: readonly unknown[] = []): Promise<T[]> {
  return returnedRows<T>(await db.query(text, [...params]));
}

/** The first row, or undefined when there is none. */
export async function firstRow<T>(
  db: SqlRunner,
  text: string,
  params: readonly unknown[] = [],
): Promise<T | undefined> {
  return (await rows<T>(db, text, params))[0];
}

/** Whether the query returns at least one row. */
export async function exists(db: SqlRunner, text: string, params: readonly unknown[] = []): Promise<boolean> {
  return (await rows<unknown>(db, text, params)).length > 0;
}
