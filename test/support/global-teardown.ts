import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from './global-setup';
import { identityValues } from './service-log';

/**
 * Every complainant identity registered in any suite's database (names, emails, phones,
 * addresses, identity numbers), looked for in everything the service logged during the run.
 */
async function identitiesInLog(serverUrl: string): Promise<string[]> {
  const file = process.env.YANKOMAS_TEST_LOG;
  if (!file) return [];
  const log = await readFile(file, 'utf8');
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
    `yk_${process.pid}_%`,
  ]);
  await admin.end();
  const found = new Set<string>();
  for (const { datname } of rows) {
    const db = new Client({ connectionString: withDatabase(serverUrl, datname) });
    await db.connect();
    const cases = await db.query('SELECT complainant FROM cases');
    await db.end();
    for (const { complainant } of cases.rows)
      for (const value of identityValues(complainant)) if (log.includes(value)) found.add(value);
  }
  await rm(dirname(file), { recursive: true, force: true });
  return [...found];
}

export default async function globalTeardown(): Promise<void> {
  const leaked = await identitiesInLog(process.env.YANKOMAS_TEST_SERVER_URL!).catch((error: Error) => [
    `(the log could not be read: ${error.message})`,
  ]);
  // The run's database is dropped whatever the log holds; a leak still fails the run after it.
  const dropped = await dropRun().then(
    () => null,
    (error: Error) => error,
  );
  if (leaked.length > 0)
    throw new Error(`The service logged complainants' identities during the tests: ${leaked.join(' | ')}`);
  if (dropped) throw dropped;
}

async function dropRun(): Promise<void> {
  const state = (globalThis as { __YANKOMAS_PG__?: { embedded: { stop(): Promise<void> }; dir: string } })
    .__YANKOMAS_PG__;
  if (state) {
    await state.embedded.stop();
    await rm(state.dir, { recursive: true, force: true });
    return;
  }
  // On an external server, drop what this run created.
  const serverUrl = process.env.YANKOMAS_TEST_SERVER_URL!;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const { rows } = await admin.query(
    `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
    [`yk_${process.pid}_%`, process.env.YANKOMAS_TEST_TEMPLATE],
  );
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
}
