/**
 * The whole service behind PgBouncer in transaction pooling mode: registrations, every event of
 * a letter's journey from many clients at once, the sweeps and the mail, on two instances, with
 * fewer server connections than clients. Migrations go through the direct connection. Skipped,
 * saying so, where the machine has no pgbouncer (.ci/run installs Debian's package).
 */
import { Client } from 'pg';
import { SchedulerService } from '../src/sla/scheduler.service';
import { OWNER_ROLE, RUNTIME_ROLE } from '../src/database/roles';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { asRole, TEST_ROLE_PASSWORD } from './support/global-setup';
import { pgbouncerBinary, startPgBouncer, type PgBouncer } from './support/pgbouncer';
import { TestSmtpServer } from './support/smtp';
import { complaint, createTestApp, createTestDatabase, type TestApp } from './support/test-app';

const binary = pgbouncerBinary();
if (!binary)
  console.warn('pgbouncer is not installed: the PgBouncer suite is skipped (apt-get install pgbouncer)');

(binary ? describe : describe.skip)('behind PgBouncer in transaction pooling mode', () => {
  let pooler: PgBouncer;
  let smtp: TestSmtpServer;
  let a: TestApp;
  let b: TestApp;
  let ss: UnitActors;
  let pooled: string;

  beforeAll(async () => {
    const direct = await createTestDatabase();
    pooler = await startPgBouncer(direct, [
      { role: RUNTIME_ROLE, password: TEST_ROLE_PASSWORD },
      { role: OWNER_ROLE, password: TEST_ROLE_PASSWORD },
    ]);
    pooled = pooler.via(direct);
    smtp = await new TestSmtpServer().start();
    const env = {
      DATABASE_POOLER: 'pgbouncer',
      DATABASE_POOL_SIZE: '20',
      DATABASE_STATEMENT_TIMEOUT_MS: '15000',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'kanwil@kemenkumham.example.id',
    };
    const migrationUrl = asRole(direct, OWNER_ROLE);
    a = await createTestApp({ databaseUrl: pooled, migrationUrl, env });
    b = await createTestApp({ databaseUrl: pooled, migrationUrl, env, clock: a.clock });
    ss = await unitActors(a, 'KANWIL-SS', 'pb');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await pooler?.stop();
    await smtp?.stop();
  });

  it('bounds every pooled session by the database defaults the owner set, not by session state', async () => {
    const client = new Client({ connectionString: pooled });
    await client.connect();
    try {
      const { rows } = await client.query<{ statement_timeout: string }>('SHOW statement_timeout');
      expect(rows[0].statement_timeout).toBe('15s');
      const lock = await client.query<{ lock_timeout: string }>('SHOW lock_timeout');
      expect(lock.rows[0].lock_timeout).toBe('5s');
    } finally {
      await client.end();
    }
  });

  it('walks 30 cases through a letter and its answer from both instances at once, every event 200', async () => {
    const institution = (
      await a
        .http()
        .post('/api/institutions')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send({ name: 'Polda Sumsel Pooler', email: 'humas@polda-pooler.example.id', type: 'KEPOLISIAN' })
        .expect(201)
    ).body.id as string;
    const apps = [a, b];
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const app = apps[i % 2];
        const send = eventSender(app);
        const created = await app
          .http()
          .post('/api/cases')
          .set('Authorization', `Bearer ${ss.petugas}`)
          .set('Idempotency-Key', `pooler-${i}`)
          .send(complaint({ receivedAt: new Date().toISOString(), summary: `Kasus lewat pooler ${i}` }));
        statuses.push(created.status);
        const id = created.body.id as string;
        for (const [token, event] of [
          [ss.petugas, { type: 'DISPOSISI' }],
          [ss.kakanwil, { type: 'DISPOSISI' }],
          [ss.kadiv, { type: 'DISPOSISI' }],
          [ss.kabid, { type: 'REKOMENDASI_SEGERA' }],
          [ss.petugas, { type: 'AJUKAN_SURAT' }],
          [ss.kakanwil, { type: 'SETUJUI_SURAT' }],
          [ss.petugas, { type: 'KIRIM_SURAT', institutionIds: [institution], letterNumber: `W6-${i}` }],
          [ss.petugas, { type: 'TANGGAPAN', institutionId: institution, summary: 'ditanggapi' }],
        ] as const) {
          await send(token, id, event);
          statuses.push(200);
        }
      }),
    );
    expect(statuses.filter((s) => s !== 201 && s !== 200)).toEqual([]);
    expect(statuses).toHaveLength(30 * 9);
    const list = (
      await b
        .http()
        .get('/api/cases?q=pooler&pageSize=100')
        .set('Authorization', `Bearer ${ss.kabid}`)
        .expect(200)
    ).body;
    expect(list.total).toBe(30);

    // The sweeps and the mail, on both instances at once: each claims its own rows, nobody fails.
    await Promise.all([a.app.get(SchedulerService).tick(), b.app.get(SchedulerService).tick()]);
    await Promise.all([a.app.get(SchedulerService).tick(), b.app.get(SchedulerService).tick()]);
    const receipts = smtp.received.filter((m) => m.subject.startsWith('Tanda terima pengaduan'));
    expect(receipts.length).toBe(30);
    expect(new Set(receipts.map((m) => m.messageId)).size).toBe(30);
    const health = (
      await a.http().get('/api/health/jobs').set('Authorization', `Bearer ${a.adminToken}`).expect(200)
    ).body as { jobs: { name: string; failures: number; runs: number }[] };
    expect(health.jobs.filter((j) => j.failures > 0)).toEqual([]);
    expect(health.jobs.every((j) => j.runs > 0)).toBe(true);
  });
});
