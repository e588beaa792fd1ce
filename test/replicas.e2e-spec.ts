/**
 * Reads on a real streaming replica, which the suite starts itself from the embedded PostgreSQL's
 * binaries: the figures come from the replica (a paused replica shows yesterday's count), the
 * writer's own list and the case view from the primary, a replica that falls behind the bound or
 * fails is skipped, and /api/health shows each replica's lag.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { ReadReplicas } from '../src/database/read-replicas';
import { queryRows } from '../src/database/sql';
import { unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

/** Retries `check` until it answers without throwing (or rethrows its last error after `ms`). */
async function until<T>(check: () => Promise<T>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

interface Urls {
  primary: { url: string; migrationUrl: string; superuserUrl: string };
  replica: { url: string; superuserUrl: string };
}

describe('reads on a streaming replica', () => {
  let cluster: ChildProcessWithoutNullStreams;
  let lines: AsyncIterableIterator<string>;
  let urls: Urls;
  let app: TestApp;
  let ss: UnitActors;
  let standby: Client;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yankomas-replica-'));
    cluster = spawn(process.execPath, [
      join(__dirname, 'support', 'run-instance.cjs'),
      join(__dirname, 'support', 'replica-cluster.ts'),
      join(dir, 'primary'),
      join(dir, 'replica'),
    ]);
    cluster.stderr.on('data', () => undefined);
    lines = createInterface({ input: cluster.stdout })[Symbol.asyncIterator]();
    // The servers may print before the line with the addresses.
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error('the replica cluster exited before it was up');
      if (String(value).startsWith('{"primary"')) {
        urls = JSON.parse(String(value)) as Urls;
        break;
      }
    }
    app = await createTestApp({
      databaseUrl: urls.primary.url,
      migrationUrl: urls.primary.migrationUrl,
      env: { DATABASE_REPLICA_URLS: urls.replica.url, DATABASE_REPLICA_MAX_LAG_MS: '1500' },
    });
    ss = await unitActors(app, 'KANWIL-SS', 'rp');
    standby = new Client({ connectionString: urls.replica.superuserUrl });
    await standby.connect();
  });
  afterAll(async () => {
    await standby?.end().catch(() => undefined);
    await app?.close();
    if (cluster && cluster.exitCode === null) {
      cluster.stdin.write('stop\n');
      await new Promise((resolve) => cluster.once('exit', resolve));
    }
  });

  const health = async () =>
    (await app.http().get('/api/health').expect(200)).body as {
      replicas?: { replica: number; usable: boolean; lagMs: number | null; reason?: string }[];
    };
  const received = async (token: string) =>
    (
      await app
        .http()
        .get('/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2026')
        .set('Authorization', `Bearer ${token}`)
        .expect(200)
    ).body.totals.jumlah as number;
  const register = async () =>
    (
      await app
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ summary: 'Dibaca dari replika' }))
        .expect(201)
    ).body as { id: string; registerNumber: string };

  it('shows the replica in use with its lag in /api/health', async () => {
    const seen = await until(async () => {
      const body = await health();
      if (!body.replicas?.[0]?.usable) throw new Error(JSON.stringify(body));
      return body.replicas[0];
    });
    expect(seen).toMatchObject({ replica: 1, usable: true });
    expect(seen.lagMs).toBeGreaterThanOrEqual(0);
  });

  /** The recap runs under planner settings (reports.service.ts): on the replica, for its own statement only. */
  it('runs a statement under its planner settings on the replica, in its own transaction only', async () => {
    const replicas = app.app.get(ReadReplicas);
    const probe = "SELECT current_setting('enable_sort') AS sort, pg_is_in_recovery() AS standby";
    const [tuned] = await queryRows<{ sort: string; standby: boolean }>(
      replicas.runner(null, { enable_sort: 'off' }),
      probe,
    );
    expect(tuned).toEqual({ sort: 'off', standby: true });
    const [plain] = await queryRows<{ sort: string; standby: boolean }>(replicas.runner(), probe);
    expect(plain).toEqual({ sort: 'on', standby: true });
  });

  it('reads the figures on the replica, the writer and the case view on the primary, and skips a replica that falls behind', async () => {
    const first = await register();
    await until(async () => {
      if ((await received(ss.kabid)) !== 1) throw new Error('not yet replicated');
    });

    // The replica stops replaying: what the primary commits now, it does not show.
    await standby.query('SELECT pg_wal_replay_pause()');
    const second = await register();
    expect(await received(ss.kabid)).toBe(1);
    // The writer's own reads and every case view go to the primary.
    const own = (
      await app.http().get('/api/cases?q=replika').set('Authorization', `Bearer ${ss.petugas}`).expect(200)
    ).body;
    expect(own.total).toBe(2);
    await app.http().get(`/api/cases/${second.id}`).set('Authorization', `Bearer ${ss.kabid}`).expect(200);

    // Past the bound it is skipped, and the figures come from the primary.
    const behind = await until(async () => {
      const body = await health();
      if (body.replicas?.[0]?.usable !== false) throw new Error(JSON.stringify(body));
      return body.replicas[0];
    });
    expect(behind.reason).toMatch(/^tertinggal \d+ ms$/);
    expect(behind.lagMs).toBeGreaterThan(1500);
    expect(await received(ss.kabid)).toBe(2);

    await standby.query('SELECT pg_wal_replay_resume()');
    await until(async () => {
      if (!(await health()).replicas?.[0]?.usable) throw new Error('still behind');
    });
    expect(await received(ss.kabid)).toBe(2);
    expect(first.id).not.toBe(second.id);
  });

  it('skips a replica that fails, and the reads go on on the primary', async () => {
    await standby.end();
    cluster.stdin.write('stop-replica\n');
    for (;;) {
      const { value, done } = await lines.next();
      if (done || value === 'replica-stopped') break;
    }
    // The first read may meet the dead replica: it is read again on the primary.
    expect(await received(ss.kabid)).toBe(2);
    const down = await until(async () => {
      const body = await health();
      if (body.replicas?.[0]?.usable !== false) throw new Error(JSON.stringify(body));
      return body.replicas[0];
    });
    expect(down.reason).toMatch(/^(tidak terjangkau|gagal saat membaca)/);
    expect(await received(ss.kabid)).toBe(2);
  });
});
