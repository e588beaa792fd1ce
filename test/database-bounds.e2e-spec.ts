/**
 * A database that cannot serve makes a request fail fast and clearly: a row lock held longer than
 * DATABASE_LOCK_TIMEOUT_MS answers 503 with Retry-After (not a 500, not a frozen instance), and the
 * same request goes through once the lock is gone. A database made read-only answers writes with
 * 503, turns readiness red, keeps logins right (401 for a wrong password, a token for the right
 * one), and takes writes again as soon as the setting is undone: no stale read-only session is
 * reused.
 */
import { Client } from 'pg';
import { eventSender } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('bounded waits on the database', () => {
  let t: TestApp;
  let holder: Client;

  beforeAll(async () => {
    t = await createTestApp({ env: { DATABASE_LOCK_TIMEOUT_MS: '300' } });
    holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
  });
  afterAll(async () => {
    await holder?.end();
    await t?.close();
  });

  it('answers 503 with Retry-After while another session holds the case, and proceeds after', async () => {
    const officer = await t.user('lk.petugas', 'KANWIL-SS', ['PETUGAS']);
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${officer}`)
        .send(complaint())
        .expect(201)
    ).body;
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [c.id]);
    const started = Date.now();
    const blocked = await t
      .http()
      .post(`/api/cases/${c.id}/events`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ type: 'DISPOSISI' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(blocked.status).toBe(503);
    expect(blocked.headers['retry-after']).toBe('5');
    expect(blocked.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Basis data sedang tidak dapat melayani; coba lagi sebentar lagi',
    });
    // Liveness is not blocked by one locked row.
    await t.http().get('/api/health').expect(200);
    await holder.query('ROLLBACK');
    await eventSender(t)(officer, c.id, { type: 'DISPOSISI' });
  });

  it('answers writes with 503 while the database is read-only, keeps logins right, and recovers at once', async () => {
    const officer = await t.user('ro.petugas', 'KANWIL-SS', ['PETUGAS']);
    const owner = new Client({ connectionString: t.ownerUrl });
    await owner.connect();
    const database = (await owner.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db;
    const register = () =>
      t.http().post('/api/cases').set('Authorization', `Bearer ${officer}`).send(complaint());
    await register().expect(201);
    // Read-only for new sessions (maintenance); the service's sessions are cut and reconnect so.
    await owner.query(`ALTER DATABASE ${database} SET default_transaction_read_only = on`);
    await holder.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()`,
    );
    let refused = await register();
    // The first request may meet a session the cut just closed; the next is refused by name.
    if (refused.status !== 503 || !refused.headers['retry-after']) refused = await register();
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    const ready = await t.http().get('/api/health/ready').expect(503);
    expect(ready.body.details.checks).toContainEqual({
      name: 'database',
      ok: false,
      reason: 'basis data hanya dapat dibaca',
    });
    // Logins stay right: no 500, no 503.
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'ro.petugas', password: 'salah-sekali-123' })
      .expect(401);
    await t.login('ro.petugas');

    await owner.query(`ALTER DATABASE ${database} RESET default_transaction_read_only`);
    // The very next write goes through: the sessions opened while read-only are not reused.
    await register().expect(201);
    await t.http().get('/api/health/ready').expect(200);
    await owner.end();
  });
});
