/**
 * A real PgBouncer (Debian's `pgbouncer` package) in transaction pooling mode in front of the test
 * PostgreSQL, as a national deployment puts it: started as a child process on a port of its own.
 * Absent binary: `pgbouncerBinary()` is null and the suite that needs it says it is skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';

const CANDIDATES = [process.env.PGBOUNCER_PATH, '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'];

export function pgbouncerBinary(): string | null {
  return CANDIDATES.find((path): path is string => Boolean(path && existsSync(path))) ?? null;
}

export interface PgBouncer {
  /** `url` with its host and port replaced by the pooler's. */
  via(url: string): string;
  stop(): Promise<void>;
  logFile: string;
}

/** Starts PgBouncer for the server of `url`, knowing each of `logins` (role and password). */
export async function startPgBouncer(
  url: string,
  logins: { role: string; password: string }[],
): Promise<PgBouncer> {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error('pgbouncer is not installed');
  const server = new URL(url);
  const dir = await mkdtemp(join(tmpdir(), 'yankomas-pgbouncer-'));
  const port = await freePort();
  const logFile = join(dir, 'pgbouncer.log');
  await writeFile(
    join(dir, 'userlist.txt'),
    logins.map((l) => `"${l.role}" "${l.password}"`).join('\n') + '\n',
  );
  await writeFile(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 500',
      // Fewer server connections than the service's pool: clients share them, as in production.
      'default_pool_size = 6',
      `logfile = ${logFile}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  // PgBouncer will not run as root: it drops to `nobody`, who must read and write its directory.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await chmod(dir, 0o777);
  const child: ChildProcess = spawn(
    binary,
    [...(asRoot ? ['-u', 'nobody'] : []), join(dir, 'pgbouncer.ini')],
    {
      stdio: 'ignore',
    },
  );
  const deadline = Date.now() + 15_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}); see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`pgbouncer did not listen in 15 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    logFile,
    via(target: string) {
      const parsed = new URL(target);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
