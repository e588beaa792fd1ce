/**
 * Each mail is sent once, by one instance, even when the mail server takes longer to answer than
 * a sender's lease lasts: the sender renews its lease while the server talks, and marks the mail
 * sent only while it holds it. And a slow mail server delays no deadline: mail runs on its own.
 */
import { Client } from 'pg';
import { SchedulerService } from '../src/sla/scheduler.service';
import { TestSmtpServer } from './support/smtp';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('mail with a slow server and two instances', () => {
  let smtp: TestSmtpServer;
  let a: TestApp;
  let b: TestApp;
  let db: Client;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    // The lease is a third of the server's answer time: without renewal, the other instance would
    // take every mail over and send it again.
    const env = { SMTP_URL: smtp.url, MAIL_LEASE_MS: '1000', SCHEDULER_INTERVAL_MS: '1000' };
    a = await createTestApp({ env });
    b = await createTestApp({ env, databaseUrl: a.databaseUrl });
    db = new Client({ connectionString: a.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await b?.close();
    await a?.close();
    await smtp?.stop();
  });

  it('delivers each queued mail exactly once, and the sweeps run meanwhile', async () => {
    const petugas = await a.user('ml.petugas', 'KANWIL-SS', ['PETUGAS']);
    for (let i = 0; i < 4; i++) {
      await a
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${petugas}`)
        .send(complaint({ complainant: { name: `Pengadu Surel ${i}`, email: `pengadu${i}@example.id` } }))
        .expect(201);
    }
    smtp.delayMs = 3000;
    const started = Date.now();
    const delivering = Promise.all([a.app.get(SchedulerService).mail(), b.app.get(SchedulerService).mail()]);
    // While the server is slow, the deadline work of both instances still runs and ends.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await Promise.all([a.app.get(SchedulerService).sweeps(), b.app.get(SchedulerService).sweeps()]);
    expect(Date.now() - started).toBeLessThan(2500);
    await delivering;

    const ids = smtp.received.map((m) => m.messageId);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    const { rows } = await db.query<{ status: string; attempts: number; lease_holder: string | null }>(
      'SELECT status, attempts, lease_holder FROM outbox_messages',
    );
    expect(rows).toEqual(Array(4).fill({ status: 'SENT', attempts: 1, lease_holder: null }));
    const attempts = await db.query<{ outcome: string }>('SELECT outcome FROM outbox_attempts');
    expect(attempts.rows.map((r) => r.outcome)).toEqual(['SENT', 'SENT', 'SENT', 'SENT']);
  });

  it('takes over a mail whose sender stopped renewing, and sends it once', async () => {
    smtp.delayMs = 0;
    const before = smtp.received.length;
    // A sender that died mid-delivery: the mail is SENDING under a lease that ran out.
    await db.query(
      `UPDATE outbox_messages SET status = 'SENDING', lease_holder = gen_random_uuid(),
              lease_until = clock_timestamp() - interval '1 second', sent_at = NULL
        WHERE id = (SELECT id FROM outbox_messages ORDER BY created_at LIMIT 1)`,
    );
    await Promise.all([a.app.get(SchedulerService).mail(), b.app.get(SchedulerService).mail()]);
    expect(smtp.received.length - before).toBe(1);
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'SENT' AND lease_holder IS NULL`,
    );
    expect(rows[0].n).toBe(4);
  });

  it('tells the administrators of a mail refused for good, without saying to whom, and tries it no more', async () => {
    smtp.delayMs = 0;
    const petugas = await a.login('ml.petugas');
    await a
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${petugas}`)
      .send(complaint({ complainant: { name: 'Pengadu Ditolak', email: 'tidak.ada@example.id' } }))
      .expect(201);
    smtp.refusalCode = 550;
    smtp.refuseNext(1);
    await a.app.get(SchedulerService).mail();
    const { rows } = await db.query<{ id: string; status: string }>(
      `SELECT id, status FROM outbox_messages WHERE status <> 'SENT'`,
    );
    expect(rows).toEqual([{ id: expect.any(String), status: 'FAILED' }]);
    const notices = (
      await a.http().get('/api/notifications').set('Authorization', `Bearer ${a.adminToken}`).expect(200)
    ).body as { kind: string; body: string }[];
    const refused = notices.filter((n) => n.kind === 'SUREL_DITOLAK');
    expect(refused).toHaveLength(1);
    expect(refused[0].body).toContain(rows[0].id);
    expect(refused[0].body).not.toContain('tidak.ada@example.id');
    await Promise.all([a.app.get(SchedulerService).mail(), b.app.get(SchedulerService).mail()]);
    expect(smtp.received.filter((m) => m.to.includes('tidak.ada@example.id'))).toHaveLength(0);
  });
});
