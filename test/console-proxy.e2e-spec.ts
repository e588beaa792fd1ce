/**
 * Behind a proxy (nginx in docker/compose.yaml; here the test client on loopback, named in
 * TRUST_PROXY), the console still gives the API each browser's own address: login throttling
 * counts per address, and one guesser does not lock everyone else out of the console.
 */
import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { createTestApp, PASSWORD, type TestApp } from './support/test-app';

describe('console behind a proxy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    await t.user('ss.petugas', 'KANWIL-SS', ['PETUGAS']);
  });

  afterAll(() => t.close());

  const login = (address: string, username: string, password: string) =>
    t
      .http()
      .post('/masuk')
      .set('X-Forwarded-For', address)
      .type('form')
      .send({ username, password, lanjut: '/' });

  it('throttles the guessing address only, and audits the browser address', async () => {
    const db = t.app.get(DataSource);
    await t.app.get(AuditService).beforeApplicationShutdown();
    const [{ since }] = await db.query('SELECT coalesce(max(id), 0) AS since FROM audit_log');
    for (let i = 0; i < 10; i += 1) await login('203.0.113.5', `tamu${i}`, 'salah-salah-1').expect(401);
    const refused = await login('203.0.113.5', 'ss.petugas', PASSWORD).expect(429);
    expect(refused.text).toContain('Terlalu banyak percobaan');
    const ok = await login('198.51.100.7', 'ss.petugas', PASSWORD).expect(303);
    expect(ok.headers.location).toBe('/antrean');
    await t.app.get(AuditService).beforeApplicationShutdown();
    const rows: { address: string }[] = await db.query(
      `SELECT DISTINCT address FROM audit_log WHERE path = '/api/auth/login' AND id > $1 ORDER BY address`,
      [since],
    );
    expect(rows.map((r) => r.address)).toEqual(['198.51.100.7', '203.0.113.5']);
  });
});
