/**
 * The tables that only grow are kept to what is still needed: failed logins and lookups after
 * their window, delivery attempts of settled mails after OUTBOX_ATTEMPTS_RETENTION_DAYS. The mails
 * themselves stay, as the record that a letter went out.
 */
import { Client } from 'pg';
import { SchedulerService } from '../src/sla/scheduler.service';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('retention', () => {
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    t = await createTestApp({ env: { OUTBOX_ATTEMPTS_RETENTION_DAYS: '30' } });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('prunes old failures and old attempts of settled mails, and keeps everything still needed', async () => {
    const officer = await t.user('rt.petugas', 'KANWIL-SS', ['PETUGAS']);
    for (const email of ['lama@example.id', 'tertunda@example.id']) {
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${officer}`)
        .send(complaint({ complainant: { name: 'Pengadu Retensi', email } }))
        .expect(201);
    }
    const mails = (await db.query<{ id: string }>('SELECT id FROM outbox_messages ORDER BY created_at')).rows;
    const [settled, pending] = mails.map((m) => m.id);
    await db.query(`UPDATE outbox_messages SET status = 'SENT', sent_at = now() WHERE id = $1`, [settled]);
    for (const [message, age] of [
      [settled, '40 days'],
      [settled, '1 day'],
      [pending, '40 days'],
    ])
      await db.query(
        `INSERT INTO outbox_attempts (id, message_id, attempt, instance_id, started_at, outcome)
         VALUES (gen_random_uuid(), $1, 1, 'uji', now() - $2::interval, 'FAILED')`,
        [message, age],
      );
    await db.query(
      `INSERT INTO login_failures (username, address, at) VALUES ('x', '10.0.0.1', now() - interval '2 hours'),
                                                               ('y', '10.0.0.2', now())`,
    );
    await db.query(
      `INSERT INTO public_lookup_failures (address, at) VALUES ('10.0.0.1', now() - interval '2 hours'),
                                                                 ('10.0.0.2', now())`,
    );

    t.clock.set(new Date());
    await t.app.get(SchedulerService).sweeps();

    const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
    expect(await count(`SELECT count(*)::int AS n FROM login_failures`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM public_lookup_failures`)).toBe(1);
    const attempts = await db.query<{ message_id: string; old: boolean }>(
      `SELECT message_id, started_at < now() - interval '30 days' AS old FROM outbox_attempts ORDER BY started_at`,
    );
    expect(attempts.rows).toEqual([
      { message_id: pending, old: true },
      { message_id: settled, old: false },
    ]);
    expect(await count(`SELECT count(*)::int AS n FROM outbox_messages`)).toBe(2);
    const jobs = (
      await t.http().get('/api/health/jobs').set('Authorization', `Bearer ${t.adminToken}`).expect(200)
    ).body as { jobs: { name: string; lastSuccessAt: string | null }[] };
    expect(jobs.jobs.find((j) => j.name === 'retention')?.lastSuccessAt).toEqual(expect.any(String));
  });
});
