/**
 * Starts one PostgreSQL for the whole run (embedded, or the server at DATABASE_URL), migrates a
 * template database once, and leaves each suite to copy it (CREATE DATABASE ... TEMPLATE).
 */
import 'reflect-metadata';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { ensureLoginRole, grantRuntimeAccess, OWNER_ROLE, RUNTIME_ROLE } from '../../src/database/roles';
import { runMigrationsLocked } from '../../src/database/run-migrations';

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The test cluster's owner and runtime roles share one password: only loopback reaches them. */
export const TEST_ROLE_PASSWORD = 'yankomas-test-role';

/** The same database as another role of the test cluster. */
export function asRole(url: string, role: string): string {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = TEST_ROLE_PASSWORD;
  return parsed.toString();
}

export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'yankomas-test-'));
    const embedded = await startEmbeddedPostgres(dir);
    (globalThis as { __YANKOMAS_PG__?: unknown }).__YANKOMAS_PG__ = { embedded, dir };
    serverUrl = embedded.superuserUrl;
    // The same server over its Unix socket, as the service on this machine reaches it.
    if (embedded.local.superuserUrl !== serverUrl)
      process.env.YANKOMAS_TEST_SOCKET_URL = embedded.local.superuserUrl;
  }
  // As in production: the owner role migrates, the suites' services connect as the runtime role.
  const template = `yankomas_tpl_${process.pid}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await ensureLoginRole(admin, OWNER_ROLE, TEST_ROLE_PASSWORD);
  await ensureLoginRole(admin, RUNTIME_ROLE, TEST_ROLE_PASSWORD);
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template} OWNER ${OWNER_ROLE}`);
  await admin.end();
  const owner = await new DataSource(
    dataSourceOptions(asRole(withDatabase(serverUrl, template), OWNER_ROLE), 2),
  ).initialize();
  await runMigrationsLocked(owner);
  await grantRuntimeAccess(owner, RUNTIME_ROLE);
  await owner.destroy();
  process.env.YANKOMAS_TEST_SERVER_URL = serverUrl;
  // Every line the service logs in this run, read by the teardown for complainants' identities.
  process.env.YANKOMAS_TEST_LOG = join(await mkdtemp(join(tmpdir(), 'yankomas-log-')), 'service.log');
  await writeFile(process.env.YANKOMAS_TEST_LOG, '');
  process.env.YANKOMAS_TEST_TEMPLATE = template;
}
