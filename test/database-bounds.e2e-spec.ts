/**
 * A database that cannot serve makes a request fail fast and clearly: a row lock held longer than
 * DATABASE_LOCK_TIMEOUT_MS answers 503 with Retry-After (not a 500, not a frozen instance), and the
 * same request goes through once the lock is gone.
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
});
