/**
 * A PostgreSQL of its own for a test that restarts it, run in a child process (the embedded
 * server's package is an ES module, which the test runner cannot load). Prints one JSON line
 * when up; on stdin, `restart` stops it (fast: sessions are cut) and starts it again on the same
 * port after a pause, printing `restarted`; `stop` stops it and exits.
 */
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

async function main(): Promise<void> {
  const dir = process.argv[3];
  let pg = await startEmbeddedPostgres(dir);
  process.stdout.write(`${JSON.stringify({ superuserUrl: pg.superuserUrl, port: pg.port })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'restart') {
      await pg.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      pg = await startEmbeddedPostgres(dir, undefined, pg.port);
      process.stdout.write('restarted\n');
    } else if (line === 'stop') {
      await pg.stop();
      process.exit(0);
    }
  }
}

void main();
