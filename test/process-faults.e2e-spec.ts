/**
 * Faults of whole processes, with the service running as its own process beside an in-process
 * instance on one real PostgreSQL: an instance killed (-9) while it delivers mail or while it
 * sweeps deadlines, an instance stopped (SIGTERM) while the mail server is slow, and the
 * database itself restarted while mail goes out. No letter is lost; none is sent twice but, for
 * a kill, the one whose acceptance the dead instance never recorded (the stated window).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { RUNTIME_ROLE } from '../src/database/roles';
import { SchedulerService } from '../src/sla/scheduler.service';
import { SlaSweepService } from '../src/sla/sla-sweep.service';
import { asRole, TEST_ROLE_PASSWORD, withDatabase } from './support/global-setup';
import { eventually, startInstance, type Instance } from './support/instance';
import { TestSmtpServer } from './support/smtp';
import { complaint, createTestApp, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

const MAIL_FROM = 'kanwil-sumsel@kemenkumham.example.id';

describe('faults of whole processes', () => {
  let smtp: TestSmtpServer;
  let a: TestApp;
  let db: Client;
  let officer: string;
  let logFile: string;
  const started: Instance[] = [];
  const instance = async (env: Record<string, string>) => {
    const one = await startInstance(a.databaseUrl, env, logFile);
    started.push(one);
    return one;
  };

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    a = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM, MAIL_LEASE_MS: '2000' } });
    db = new Client({ connectionString: a.databaseUrl });
    await db.connect();
    officer = await a.user('pf.petugas', 'KANWIL-SS', ['PETUGAS']);
    await a.user('pf.kasubbid', 'KANWIL-SS', ['KASUBBID']);
    logFile = join(await mkdtemp(join(tmpdir(), 'yankomas-instance-')), 'instance.log');
  });
  // An instance a failed test left running would go on working this database.
  afterEach(() => {
    for (const one of started.splice(0)) if (one.process.exitCode === null) one.process.kill('SIGKILL');
  });
  afterAll(async () => {
    await db?.end();
    await a?.close();
    await smtp?.stop();
  });

  /** Complaints with an email: each queues its receipt mail. Answers their ids. */
  async function register(app: TestApp, token: string, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, n - i) }, (_, j) =>
          app
            .http()
            .post('/api/cases')
            .set('Authorization', `Bearer ${token}`)
            .send(
              complaint({
                // Received now: nothing is overdue until a test makes it so.
                receivedAt: new Date().toISOString(),
                complainant: { name: `Pengadu ${i + j}`, email: `pengadu${i + j}@example.id` },
              }),
            )
            .expect(201),
        ),
      );
      ids.push(...batch.map((r) => r.body.id as string));
    }
    return ids;
  }
  const mailsOf = async (client: Client, caseIds: string[]) =>
    (
      await client.query<{ id: string; message_id: string; status: string }>(
        `SELECT id, message_id, status FROM outbox_messages WHERE case_id = ANY($1) AND kind = 'TANDA_TERIMA'`,
        [caseIds],
      )
    ).rows;
  /** How often the SMTP server accepted each of these mails. */
  const deliveries = (messageIds: string[]) =>
    messageIds.map((id) => smtp.received.filter((m) => m.messageId === id).length);
  const instanceEnv = (extra: Record<string, string> = {}) => ({
    SMTP_URL: smtp.url,
    MAIL_FROM,
    SCHEDULER_ENABLED: 'true',
    SCHEDULER_INTERVAL_MS: '200',
    MAIL_LEASE_MS: '2000',
    ...extra,
  });

  it('delivers every mail after an instance is killed mid-delivery, twice at most the one in flight', async () => {
    smtp.delayMs = 250;
    const cases = await register(a, officer, 16);
    const mails = await mailsOf(db, cases);
    expect(mails).toHaveLength(16);
    const other = await instance(instanceEnv());
    await eventually(
      () => deliveries(mails.map((m) => m.message_id)).filter(Boolean).length >= 4,
      60_000,
      'first mails',
    );
    other.process.kill('SIGKILL');
    expect((await other.exited).signal).toBe('SIGKILL');
    // The survivor takes over what the dead instance held once its lease runs out.
    await eventually(
      async () => {
        await a.app.get(SchedulerService).mail();
        return (await mailsOf(db, cases)).every((m) => m.status === 'SENT');
      },
      60_000,
      'every mail sent',
    );
    const counts = deliveries(mails.map((m) => m.message_id));
    expect(counts.every((n) => n >= 1)).toBe(true);
    expect(counts.filter((n) => n > 1).length).toBeLessThanOrEqual(1);
    smtp.delayMs = 0;
  });

  it('finishes the mail it holds on SIGTERM, leases no other, and exits', async () => {
    smtp.delayMs = 1500;
    const cases = await register(a, officer, 4);
    const mails = await mailsOf(db, cases);
    const other = await instance(instanceEnv({ MAIL_LEASE_MS: '20000' }));
    await eventually(
      async () => (await mailsOf(db, cases)).some((m) => m.status === 'SENDING'),
      60_000,
      'a mail in delivery',
    );
    const signalled = Date.now();
    other.process.kill('SIGTERM');
    const exit = await other.exited;
    expect(exit.code).toBe(0);
    // The mail in delivery (1.5 s at the server) finished; the stop did not wait for the rest.
    expect(Date.now() - signalled).toBeLessThan(10_000);
    const after = await mailsOf(db, cases);
    expect(after.filter((m) => m.status === 'SENDING')).toEqual([]);
    const sent = after.filter((m) => m.status === 'SENT');
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.length).toBeLessThan(4);
    expect(deliveries(sent.map((m) => m.message_id))).toEqual(sent.map(() => 1));
    // What it did not take is delivered by the other instance at once (no lease to wait out).
    smtp.delayMs = 0;
    await a.app.get(SchedulerService).mail();
    expect((await mailsOf(db, cases)).every((m) => m.status === 'SENT')).toBe(true);
    expect(deliveries(mails.map((m) => m.message_id))).toEqual(mails.map(() => 1));
  });

  it('writes its request lines to standard output within a second, and what it holds when stopped', async () => {
    const ownLog = join(await mkdtemp(join(tmpdir(), 'yankomas-instance-')), 'instance.log');
    const one = await startInstance(a.databaseUrl, { SCHEDULER_ENABLED: 'false' }, ownLog);
    started.push(one);
    const get = (requestId: string) =>
      fetch(`http://127.0.0.1:${one.port}/api/health`, { headers: { 'X-Request-Id': requestId } });
    const logged = async () =>
      (await readFile(ownLog, 'utf8'))
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { requestId?: string }).requestId);
    // A lone line (far less than a batch) is not kept waiting for others.
    const asked = Date.now();
    await get('uji-baris-1');
    await eventually(async () => (await logged()).includes('uji-baris-1'), 1_000, 'the line of a request');
    expect(Date.now() - asked).toBeLessThan(1_000);
    // Lines written just before SIGTERM reach the output before the process ends.
    for (let i = 2; i <= 6; i += 1) await get(`uji-baris-${i}`);
    one.process.kill('SIGTERM');
    expect((await one.exited).code).toBe(0);
    // The child's last bytes still pass through this process's pipe into the file.
    await new Promise((r) => setTimeout(r, 100));
    expect(await logged()).toEqual(
      expect.arrayContaining(['uji-baris-2', 'uji-baris-3', 'uji-baris-4', 'uji-baris-5', 'uji-baris-6']),
    );
  });

  it('escalates each overdue case once when an instance is killed in the middle of its sweep', async () => {
    const cases = await register(a, officer, 150);
    await db.query(
      `UPDATE cases SET deadline_due_at = now() - interval '1 hour', next_sla_check_at = now() - interval '1 hour'
        WHERE id = ANY($1)`,
      [cases],
    );
    const escalated = async () =>
      (
        await db.query<{ n: number }>(
          'SELECT count(DISTINCT case_id)::int AS n FROM sla_escalations WHERE case_id = ANY($1)',
          [cases],
        )
      ).rows[0].n;
    const other = await instance(instanceEnv({ SMTP_URL: '' }));
    await eventually(async () => (await escalated()) > 0, 60_000, 'the sweep under way');
    other.process.kill('SIGKILL');
    await other.exited;
    a.clock.set(new Date());
    await a.app.get(SlaSweepService).sweep();
    expect(await escalated()).toBe(150);
    const { rows } = await db.query<{ level: number; n: number }>(
      `SELECT level, count(*)::int AS n FROM sla_escalations WHERE case_id = ANY($1) GROUP BY level`,
      [cases],
    );
    expect(rows).toEqual([{ level: 1, n: 150 }]);
    // One notice per case and person, whichever instance raised it.
    const notices = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT user_id, case_id FROM notifications
         WHERE case_id = ANY($1) AND kind = 'SLA_TERLAMBAT' GROUP BY user_id, case_id HAVING count(*) > 1) d`,
      [cases],
    );
    expect(notices.rows[0].n).toBe(0);
  });

  describe('on a PostgreSQL that restarts', () => {
    let cluster: ChildProcessWithoutNullStreams;
    let lines: AsyncIterableIterator<string>;
    let r: TestApp;
    let url: string;

    beforeAll(async () => {
      const dir = await mkdtemp(join(tmpdir(), 'yankomas-restart-'));
      // The cluster's roles take the test run's password (kept beside it, so also after the restart).
      for (const file of ['owner-password', 'app-password'])
        await writeFile(join(dir, file), TEST_ROLE_PASSWORD, { mode: 0o600 });
      cluster = spawn(process.execPath, [
        join(__dirname, 'support', 'run-instance.cjs'),
        join(__dirname, 'support', 'pg-cluster.ts'),
        dir,
      ]);
      lines = createInterface({ input: cluster.stdout })[Symbol.asyncIterator]();
      const { superuserUrl } = JSON.parse((await lines.next()).value as string) as { superuserUrl: string };
      url = asRole(withDatabase(superuserUrl, 'yankomas'), RUNTIME_ROLE);
      r = await createTestApp({ databaseUrl: url, env: { SMTP_URL: smtp.url, MAIL_FROM } });
    });
    afterAll(async () => {
      await r?.close();
      if (cluster && cluster.exitCode === null) {
        cluster.stdin.write('stop\n');
        await new Promise((resolve) => cluster.once('exit', resolve));
      }
    });

    it('delivers each mail exactly once across a restart during delivery', async () => {
      const token = await r.user('rs.petugas', 'KANWIL-SS', ['PETUGAS']);
      const cases = await register(r, token, 20);
      const read = async () => {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          return await mailsOf(client, cases);
        } finally {
          await client.end();
        }
      };
      const mails = await read();
      expect(mails).toHaveLength(20);
      smtp.delayMs = 100;
      const sending = r.app.get(SchedulerService).mail();
      await eventually(
        () => deliveries(mails.map((m) => m.message_id)).filter(Boolean).length >= 5,
        60_000,
        'first mails',
      );
      // A fast shutdown (sessions cut) and a start on the same port, while a mail is with the server.
      cluster.stdin.write('restart\n');
      expect((await lines.next()).value).toBe('restarted');
      await sending;
      await eventually(
        async () => {
          await r.app.get(SchedulerService).mail();
          return (await read()).every((m) => m.status === 'SENT');
        },
        60_000,
        'every mail sent after the restart',
      );
      expect(deliveries(mails.map((m) => m.message_id))).toEqual(mails.map(() => 1));
      smtp.delayMs = 0;
    });
  });
});
