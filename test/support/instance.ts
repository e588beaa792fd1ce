import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { OWNER_ROLE } from '../../src/database/roles';
import { asRole } from './global-setup';
import { ADMIN_PASSWORD, TEST_MAIL_SEAL_KEY } from './test-app';

/** The service as its own process (src/main.ts), on a test database: what kill -9 and SIGTERM act on. */
export interface Instance {
  port: number;
  process: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startInstance(
  databaseUrl: string,
  env: Record<string, string>,
  logFile: string,
): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, 'run-instance.cjs')], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATABASE_MIGRATION_URL: asRole(databaseUrl, OWNER_ROLE),
      ADMIN_PASSWORD,
      MAIL_SEAL_KEY: TEST_MAIL_SEAL_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the instance exited at start (${child.exitCode}); see ${logFile}`);
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { port, process: child, exited };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the instance did not come up in 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Polls `check` until it holds (or throws after `ms`). */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
