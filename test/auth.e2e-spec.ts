import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { createTestApp, PASSWORD, type TestApp } from './support/test-app';

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('authentication and accounts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { JWT_SECRET: 'x'.repeat(40) } });
  });
  afterAll(() => t.close());

  it('serves health without a token and everything else only with one', async () => {
    await t.http().get('/api/health').expect(200, { status: 'ok', database: 'up' });
    const res = await t.http().get('/api/cases').expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    await t.http().get('/api/units').set('Authorization', 'Bearer not.a.token').expect(401);
  });

  it('refuses forged, expired and unsigned tokens', async () => {
    const token = await t.user('auth.petugas', 'KANWIL-JB', ['PETUGAS']);
    const [header, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const sign = (h: object, c: object, secret: string) => {
      const data = `${b64(h)}.${b64(c)}`;
      return `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`;
    };
    const forged = sign(
      { alg: 'HS256', typ: 'JWT' },
      { ...claims, roles: ['ADMIN'] },
      'wrong-secret-wrong-secret-wrong-secret',
    );
    const expired = sign(
      { alg: 'HS256', typ: 'JWT' },
      { ...claims, exp: Math.floor(Date.now() / 1000) - 60 },
      'x'.repeat(40),
    );
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, roles: ['ADMIN'] })}.`;
    const tampered = `${header}.${b64({ ...claims, unit: 'PUSAT' })}.${token.split('.')[2]}`;
    // Rightly signed with the service's secret, but never expiring: refused too.
    const { exp: _exp, ...forever } = claims;
    const endless = sign({ alg: 'HS256', typ: 'JWT' }, forever, 'x'.repeat(40));
    for (const bad of [forged, expired, unsigned, tampered, endless]) {
      await t.http().get('/api/units').set('Authorization', `Bearer ${bad}`).expect(401);
    }
    await t.http().get('/api/units').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('answers an unknown user and a wrong password alike', async () => {
    const a = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'nobody', password: 'whatever123' })
      .expect(401);
    const b = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'admin', password: 'whatever123' })
      .expect(401);
    expect(a.body).toEqual(b.body);
    const invalid = await t.http().post('/api/auth/login').send({ username: 'admin' }).expect(400);
    expect(invalid.body.details).toEqual([{ field: 'password', reason: 'wajib diisi' }]);
  });

  it('lets only ADMIN manage users, and validates them', async () => {
    const officer = await t.user('auth.officer', 'KANWIL-JB', ['PETUGAS']);
    await t
      .http()
      .post('/api/users')
      .set('Authorization', `Bearer ${officer}`)
      .send({ username: 'evil', password: PASSWORD, fullName: 'x', unitCode: 'PUSAT', roles: ['ADMIN'] })
      .expect(403);
    const newUser = (body: object) =>
      t.http().post('/api/users').set('Authorization', `Bearer ${t.adminToken}`).send(body);
    const weak = await newUser({
      username: 'weak.one',
      password: 'short',
      fullName: 'x',
      unitCode: 'KANWIL-JB',
      roles: ['PETUGAS'],
    }).expect(400);
    expect(weak.body.details).toEqual([{ field: 'password', reason: 'minimal 10 karakter' }]);
    const badRole = await newUser({
      username: 'bad.role',
      password: PASSWORD,
      fullName: 'x',
      unitCode: 'KANWIL-XX',
      roles: ['RAJA'],
    }).expect(400);
    expect(badRole.body.details.map((d: { field: string }) => d.field)).toEqual(['roles']);
    const badUnit = await newUser({
      username: 'bad.unit',
      password: PASSWORD,
      fullName: 'x',
      unitCode: 'KANWIL-XX',
      roles: ['PETUGAS'],
    }).expect(400);
    expect(badUnit.body.details).toEqual([{ field: 'unitCode', reason: 'unit KANWIL-XX tidak dikenal' }]);
    // A weak password and an unknown unit: one answer names both.
    const badBoth = await newUser({
      username: 'bad.both',
      password: 'password123',
      fullName: 'x',
      unitCode: 'KANWIL-XX',
      roles: ['PETUGAS'],
    }).expect(400);
    expect(badBoth.body.details.map((d: { field: string }) => d.field)).toEqual(['password', 'unitCode']);
    const admin = await t
      .http()
      .get('/api/users/me')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .expect(200);
    const selfOff = await t
      .http()
      .patch(`/api/users/${admin.body.id}`)
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ active: false, unitCode: 'KANWIL-XX' })
      .expect(400);
    expect(selfOff.body.details).toEqual([
      { field: 'unitCode', reason: 'unit KANWIL-XX tidak dikenal' },
      { field: 'active', reason: 'tidak dapat menonaktifkan akun sendiri' },
    ]);
    await t
      .http()
      .post('/api/users')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({
        username: 'auth.officer',
        password: PASSWORD,
        fullName: 'x',
        unitCode: 'KANWIL-JB',
        roles: ['PETUGAS'],
      })
      .expect(409);
  });

  it('stops a deactivated user at once, and a token from before a password change', async () => {
    const token = await t.user('auth.leaving', 'KANWIL-JB', ['PETUGAS']);
    const me = await t.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200);
    await t
      .http()
      .patch(`/api/users/${me.body.id}`)
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ active: false })
      .expect(200);
    await t.http().get('/api/units').set('Authorization', `Bearer ${token}`).expect(401);
    await t.http().post('/api/auth/login').send({ username: 'auth.leaving', password: PASSWORD }).expect(401);

    const mover = await t.user('auth.mover', 'KANWIL-JB', ['PETUGAS']);
    await t
      .http()
      .post('/api/users/me/password')
      .set('Authorization', `Bearer ${mover}`)
      .send({ currentPassword: 'salah-sekali-1', newPassword: 'BaruSekali2026' })
      .expect(400);
    await t
      .http()
      .post('/api/users/me/password')
      .set('Authorization', `Bearer ${mover}`)
      .send({ currentPassword: PASSWORD, newPassword: 'BaruSekali2026' })
      .expect(204);
    await t.http().get('/api/units').set('Authorization', `Bearer ${mover}`).expect(401);
    await t.login('auth.mover', 'BaruSekali2026');
  });

  it('ends every session of the account on sign-out, and lets it sign in again', async () => {
    const office = await t.user('auth.keluar', 'KANWIL-JB', ['PETUGAS']);
    const phone = await t.login('auth.keluar');
    const other = await t.user('auth.tetap', 'KANWIL-JB', ['PETUGAS']);
    await t.http().post('/api/auth/logout').expect(401);
    await t.http().post('/api/auth/logout').set('Authorization', `Bearer ${phone}`).expect(204);
    await t.http().get('/api/units').set('Authorization', `Bearer ${office}`).expect(401);
    await t.http().get('/api/units').set('Authorization', `Bearer ${phone}`).expect(401);
    await t.http().get('/api/units').set('Authorization', `Bearer ${other}`).expect(200);
    const again = await t.login('auth.keluar');
    await t.http().get('/api/units').set('Authorization', `Bearer ${again}`).expect(200);
  });

  it('stores only scrypt hashes', async () => {
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const { rows } = await db.query(`SELECT password_hash FROM users`);
    await db.end();
    for (const row of rows) expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });
});

describe('login throttling', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The test client stands in for a proxy on loopback, so it may name addresses.
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => t.close());

  it('throttles failed logins per account (429), never counting successful ones', async () => {
    await t.user('auth.busy', 'KANWIL-JB', ['PETUGAS']);
    await t.user('auth.target', 'KANWIL-JB', ['PETUGAS']);
    for (let i = 0; i < 15; i += 1) await t.login('auth.busy');
    for (let i = 0; i < 10; i += 1) {
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'auth.target', password: `salah-${i}-xxxx` })
        .expect(401);
    }
    const blocked = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'auth.target', password: PASSWORD })
      .expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });

  it('throttles per address too: guessing across many accounts from one place', async () => {
    // The previous test's 10 failures came from this same address.
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'someone.else', password: 'tebakan-123' })
      .expect(429);
    await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', '203.0.113.9')
      .send({ username: 'auth.busy', password: PASSWORD })
      .expect(200);
  });
});
