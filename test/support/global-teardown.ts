import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import { withDatabase } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __YANKOMAS_PG__?: { embedded: { stop(): Promise<void> }; dir: string } }).__YANKOMAS_PG__;
  if (state) {
    await state.embedded.stop();
    await rm(state.dir, { recursive: true, force: true });
    return;
  }
  // On an external server, drop what this run created.
  const serverUrl = process.env.YANKOMAS_TEST_SERVER_URL!;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [
    `yk_${process.pid}_%`,
    process.env.YANKOMAS_TEST_TEMPLATE,
  ]);
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
}
