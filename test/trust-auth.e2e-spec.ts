/**
 * Guessing is bounded and addresses are real: the attacks of a stranger on the login, the
 * password change and the client address, each refused.
 */
import { Client } from 'pg';
import { consoleForwardHeaders } from '../src/common/client-address';
import { createTestApp, PASSWORD, type TestApp } from './support/test-app';

describe('guessing and addresses', () => {
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    // TRUST_PROXY unset: no peer, loopback included, may name the client's address.
    t = await createTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('checks at most 10 passwords of 100 parallel guesses, and lets the account in again after the window', async () => {
    await t.user('guess.target', 'KANWIL-JB', ['PETUGAS']);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t
          .http()
          .post('/api/auth/login')
          .send({ username: 'guess.target', password: `tebakan-${i}-xyz` }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(90);
    // Not locked for good: once the window has passed, the right password works.
    await t.http().post('/api/auth/login').send({ username: 'guess.target', password: PASSWORD }).expect(429);
    t.clock.advance(16 * 60_000);
    await t.http().post('/api/auth/login').send({ username: 'guess.target', password: PASSWORD }).expect(200);
  });

  it('lets 30 people of one office sign in at the same moment: tries in flight delay, never refuse', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `kantor.${i}`);
    await Promise.all(
      names.map((n) =>
        t
          .http()
          .post('/api/users')
          .set('Authorization', `Bearer ${t.adminToken}`)
          .send({ username: n, password: PASSWORD, fullName: n, unitCode: 'KANWIL-JB', roles: ['PETUGAS'] })
          .expect(201),
      ),
    );
    const answers = await Promise.all(
      names.map((username) => t.http().post('/api/auth/login').send({ username, password: PASSWORD })),
    );
    expect(answers.map((a) => a.status)).toEqual(names.map(() => 200));
  });

  it('ignores X-Forwarded-For and a forged console header from a peer that is not a trusted proxy', async () => {
    await t.user('guess.addr', 'KANWIL-JB', ['PETUGAS']);
    const forged = {
      'x-yankomas-console': Buffer.alloc(32, 1).toString('base64url'),
      'x-yankomas-client-address': '198.51.100.200',
    };
    for (let i = 0; i < 10; i += 1) {
      await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .set(forged)
        .send({ username: `orang${i}`, password: 'salah-salah-1' })
        .expect(401);
    }
    // Every failure was counted against the real address: a fresh X-Forwarded-For changes nothing.
    await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', '192.0.2.77')
      .send({ username: 'guess.addr', password: PASSWORD })
      .expect(429);
    const { rows } = await db.query(
      `SELECT DISTINCT address FROM login_failures WHERE username LIKE 'orang%'`,
    );
    expect(rows.map((r) => r.address)).toEqual([expect.stringMatching(/127\.0\.0\.1/)]);
    // The console's own header with this process's secret is believed: that is how the console speaks.
    await db.query('DELETE FROM login_failures');
    const real = consoleForwardHeaders('198.51.100.9');
    await t
      .http()
      .post('/api/auth/login')
      .set(real)
      .send({ username: 'orang', password: 'salah-salah-1' })
      .expect(401);
    const { rows: after } = await db.query('SELECT address FROM login_failures');
    expect(after.map((r) => r.address)).toEqual(['198.51.100.9']);
    await db.query('DELETE FROM login_failures');
  });

  it('bounds guesses of the current password on a password change by the same limit', async () => {
    const token = await t.user('guess.changer', 'KANWIL-JB', ['PETUGAS']);
    const tries = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t
          .http()
          .post('/api/users/me/password')
          .set('Authorization', `Bearer ${token}`)
          .send({ currentPassword: `tebak-${i}-abc`, newPassword: 'MangkukBiruDiAtasMeja77' }),
      ),
    );
    expect(tries.filter((r) => r.status === 400)).toHaveLength(10);
    expect(tries.filter((r) => r.status === 429)).toHaveLength(20);
    // Even the right current password waits out the window: the guesser cannot tell it apart.
    await t
      .http()
      .post('/api/users/me/password')
      .set('Authorization', `Bearer ${token}`)
      .send({ currentPassword: PASSWORD, newPassword: 'MangkukBiruDiAtasMeja77' })
      .expect(429);
    await db.query('DELETE FROM login_failures');
  });

  it('refuses common and guessable passwords', async () => {
    for (const password of ['password123', 'Password1234', 'qwerty12345', 'Jakarta12345']) {
      const res = await t
        .http()
        .post('/api/users')
        .set('Authorization', `Bearer ${t.adminToken}`)
        .send({
          username: 'guess.weak',
          password,
          fullName: 'Lemah',
          unitCode: 'KANWIL-JB',
          roles: ['PETUGAS'],
        })
        .expect(400);
      expect(res.body.details).toEqual([
        { field: 'password', reason: expect.stringContaining('mudah ditebak') },
      ]);
    }
    await t
      .http()
      .post('/api/users')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({
        username: 'guess.strong',
        password: 'KopiHangatPagiHari2026',
        fullName: 'Kuat',
        unitCode: 'KANWIL-JB',
        roles: ['PETUGAS'],
      })
      .expect(201);
  });
});
