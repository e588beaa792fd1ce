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
export async function queryRows<T>(
  db: SqlRunner,
  text: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  return returnedRows<T>(await db.query(text, [...params]));
}

/** The first row, or undefined when there is none. */
export async function firstRow<T>(
  db: SqlRunner,
  text: string,
  params: readonly unknown[] = [],
): Promise<T | undefined> {
  return (await queryRows<T>(db, text, params))[0];
}

/** Whether the query returns at least one row. */
export async function exists(db: SqlRunner, text: string, params: readonly unknown[] = []): Promise<boolean> {
  return (await queryRows<unknown>(db, text, params)).length > 0;
}

/**
 * One statement of another module joined to a one-statement commit: it receives the parameter
 * binder of the whole statement and may read `upd` (the row the commit updated). The module that
 * owns the table it writes builds it, so the commit stays one statement and the table one owner.
 */
export type StatementFragment = (param: (value: unknown) => string) => string;

/** A statement whose rows, if any, nobody reads. */
export async function execute(db: SqlRunner, text: string, params: readonly unknown[] = []): Promise<void> {
  await db.query(text, [...params]);
}

/** Anything that opens a transaction: the data source or a manager. */
export interface TransactionOpener {
  transaction<T>(work: (em: SqlRunner) => Promise<T>): Promise<T>;
}

/**
 * The rows of one write statement run in a transaction of its own, so that a write request's
 * audit row is committed with it (audit/request-audit.ts refuses a request's write outside one).
 */
export function writeRows<T>(
  db: TransactionOpener,
  text: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  return db.transaction((em) => queryRows<T>(em, text, params));
}

/**
 * Names from the code (event types, state paths), written into a statement as an SQL text array:
 * never a value a client sent, and refused unless plainly a name.
 */
export function sqlNames(names: readonly string[]): string {
  for (const name of names)
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new Error(`not a name: ${name}`);
  return names.length ? `ARRAY[${names.map((n) => `'${n}'`).join(', ')}]::text[]` : `'{}'::text[]`;
}

/** One write statement whose rows nobody reads, in a transaction of its own (as writeRows). */
export function writeStatement(
  db: TransactionOpener,
  text: string,
  params: readonly unknown[] = [],
): Promise<void> {
  return db.transaction((em) => execute(em, text, params));
}
