import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, PASSWORD, type TestApp } from './support/test-app';

describe('security probes', () => {
  let t: TestApp;
  let ss: UnitActors;
  let jb: UnitActors;
  let db: Client;

  beforeAll(async () => {
    // The test client stands in for a proxy on loopback, so it may name the callers' addresses.
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    [ss, jb] = await Promise.all([unitActors(t, 'KANWIL-SS', 'ss'), unitActors(t, 'KANWIL-JB', 'jb')]);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const register = async (overrides: Record<string, unknown> = {}) =>
    (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint(overrides))
        .expect(201)
    ).body;

  it('refuses a 5 MB body with 413, and malformed JSON with 400, in the error shape', async () => {
    const huge = complaint({ summary: 'x'.repeat(5 * 1024 * 1024) });
    const res = await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${ss.petugas}`)
      .send(huge)
      .expect(413);
    expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
    const bad = await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${ss.petugas}`)
      .set('Content-Type', 'application/json')
      .send('{"unitCode":')
      .expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js|SyntaxError/);
  });

  it('refuses a body in a charset or an encoding the parser does not read with 415, a short one with 400, never 500', async () => {
    const post = () => t.http().post('/api/cases').set('Authorization', `Bearer ${ss.petugas}`);
    const body = JSON.stringify(complaint());
    const latin1 = await post()
      .set('Content-Type', 'application/json; charset=latin1')
      .send(body)
      .expect(415);
    expect(latin1.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: expect.stringContaining('utf-8'),
    });
    const zstd = await post()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'zstd')
      .send(body)
      .expect(415);
    expect(zstd.body).toMatchObject({
      statusCode: 415,
      message: expect.stringContaining('Content-Encoding'),
    });
    // A body that ends before its Content-Length, sent by hand (supertest sends whole bodies).
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: (server.address() as AddressInfo).port,
            method: 'POST',
            path: '/api/cases',
            headers: {
              authorization: `Bearer ${ss.petugas}`,
              'content-type': 'application/json',
              'content-length': String(body.length + 10),
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.write(body);
        setTimeout(() => req.socket?.end(), 100);
      });
      expect(status).toBe(400);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("answers the console's forms the parser refuses with their status and reason, not a 500", async () => {
    const form = () => t.http().post('/masuk').type('form');
    const latin1 = await form()
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=latin1')
      .send('username=a&password=b')
      .expect(415);
    expect(latin1.text).toContain('charset yang tidak didukung');
    const huge = await form()
      .send(`username=a&password=${'x'.repeat(2 * 1024 * 1024)}`)
      .expect(413);
    expect(huge.text).toContain('terlalu besar');
  });

  it('keeps SQL and script strings verbatim, as data', async () => {
    const evil = `Robert'); DROP TABLE cases; -- <script>alert("x")</script>`;
    const created = await register({
      summary: evil,
      complainant: { name: evil },
      locus: { provinceCode: 'ID-SS', regency: "' OR 1=1 --" },
    });
    const got = await t
      .http()
      .get(`/api/cases/${created.id}`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .expect(200);
    expect(got.body.summary).toBe(evil);
    expect(got.body.locus.regency).toBe("' OR 1=1 --");
    const who = await t
      .http()
      .get(`/api/cases/${created.id}/complainant`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .expect(200);
    expect(who.body.name).toBe(evil);
    const search = await t
      .http()
      .get(`/api/institutions?q=${encodeURIComponent("%' OR '1'='1")}`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .expect(200);
    expect(search.body).toEqual([]);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM cases`);
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('sends security headers, no framework banner, and no CORS unless configured', async () => {
    const res = await t.http().get('/api/health').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets a monitor read but never write', async () => {
    const created = await register();
    await t.http().get(`/api/cases/${created.id}`).set('Authorization', `Bearer ${ss.pemantau}`).expect(200);
    await t
      .http()
      .post('/api/institutions')
      .set('Authorization', `Bearer ${ss.pemantau}`)
      .send({ name: 'X', email: 'x@example.id' })
      .expect(403);
    await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${ss.pemantau}`)
      .send(complaint())
      .expect(403);
    await t
      .http()
      .put('/api/calendars/2026/days/2026-12-24')
      .set('Authorization', `Bearer ${ss.pemantau}`)
      .send({ kind: 'LIBUR', name: 'x' })
      .expect(403);
    await t
      .http()
      .put('/api/units/KANWIL-SS')
      .set('Authorization', `Bearer ${ss.kakanwil}`)
      .send({ name: 'x', kind: 'KANWIL', timeZone: 'Asia/Jakarta' })
      .expect(403);
    await eventSender(t)(ss.pemantau, created.id, { type: 'DISPOSISI' }, 403);
  });

  it('shows the complainant only to those handling the case, and records every reveal', async () => {
    const created = await register({
      complainant: { name: 'Saksi Rahasia', phone: '+62 811 000 111', confidential: true },
    });
    expect(created.complainant).toEqual({ hidden: true, confidential: true, hasEmail: false });
    await t
      .http()
      .get(`/api/cases/${created.id}/complainant`)
      .set('Authorization', `Bearer ${ss.pemantau}`)
      .expect(403);
    await t
      .http()
      .get(`/api/cases/${created.id}/complainant`)
      .set('Authorization', `Bearer ${jb.kakanwil}`)
      .expect(404);
    const pusat = await t.user('pusat.kabid', 'PUSAT', ['KABID']);
    await t
      .http()
      .get(`/api/cases/${created.id}/complainant`)
      .set('Authorization', `Bearer ${pusat}`)
      .expect(403);
    const seen = await t
      .http()
      .get(`/api/cases/${created.id}/complainant`)
      .set('Authorization', `Bearer ${ss.kabid}`)
      .set('X-Forwarded-For', '198.51.100.7')
      .expect(200);
    expect(seen.body).toMatchObject({ name: 'Saksi Rahasia', phone: '+62 811 000 111', confidential: true });
    await t
      .http()
      .get(`/api/cases/${created.id}/complainant`)
      .set('Authorization', `Bearer ${t.adminToken}`)
      .expect(200);
    const audit = await t
      .http()
      .get(`/api/audit?entityId=${created.id}`)
      .set('Authorization', `Bearer ${t.adminToken}`)
      .expect(200);
    const reads = audit.body.items.filter((a: { action: string }) => a.action.startsWith('COMPLAINANT_READ'));
    expect(
      reads.map((a: { action: string; actorUsername: string }) => [a.action, a.actorUsername]).sort(),
    ).toEqual([
      ['COMPLAINANT_READ', 'admin'],
      ['COMPLAINANT_READ', 'ss.kabid'],
      ['COMPLAINANT_READ_REFUSED', 'pusat.kabid'],
      ['COMPLAINANT_READ_REFUSED', 'ss.pemantau'],
    ]);
    expect(reads.find((a: { actorUsername: string }) => a.actorUsername === 'ss.kabid')).toMatchObject({
      address: '198.51.100.7',
      actorRoles: ['KABID'],
      actorUnitCode: 'KANWIL-SS',
    });
  });

  it('audits every write, refused ones too, with who, role, unit, when and from where', async () => {
    const created = await register();
    await t
      .http()
      .post(`/api/cases/${created.id}/events`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .set('X-Forwarded-For', '203.0.113.5')
      .send({ type: 'DISPOSISI' })
      .expect(200);
    await t
      .http()
      .post(`/api/cases/${created.id}/events`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .send({ type: 'DISPOSISI' })
      .expect(403);
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'ss.kabid', password: 'salah-sekali-99' })
      .expect(401);
    const audit = (
      await t
        .http()
        .get(`/api/audit?entityId=${created.id}`)
        .set('Authorization', `Bearer ${t.adminToken}`)
        .expect(200)
    ).body.items;
    const event = audit.find((a: { action: string }) => a.action === 'EVENT DISPOSISI');
    expect(event).toMatchObject({
      actorUsername: 'ss.petugas',
      actorRoles: ['PETUGAS'],
      actorUnitCode: 'KANWIL-SS',
      address: '203.0.113.5',
      statusCode: 200,
      entityType: 'case',
      details: { from: 'terima.pemeriksaan', to: 'disposisi.kakanwil' },
    });
    expect(new Date(event.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(audit.filter((a: { statusCode: number }) => a.statusCode === 403)).toHaveLength(1);
    expect(
      audit.find(
        (a: { action: string; method: string }) => a.method === 'POST' && a.action === 'POST /api/cases',
      ),
    ).toMatchObject({ statusCode: 201 });
    const logins = (
      await t
        .http()
        .get('/api/audit?action=' + encodeURIComponent('POST /api/auth/login'))
        .set('Authorization', `Bearer ${t.adminToken}`)
        .expect(200)
    ).body.items;
    expect(logins.find((a: { statusCode: number }) => a.statusCode === 401).details).toEqual({
      username: 'ss.kabid',
    });
    expect(JSON.stringify(logins)).not.toContain('salah-sekali-99');
    await t.http().get('/api/audit').set('Authorization', `Bearer ${ss.kakanwil}`).expect(403);
  });

  it('keeps a confidential complainant out of exports and report lists', async () => {
    const created = await register({
      complainant: { name: 'Korban Dirahasiakan', email: 'korban@example.id', confidential: true },
    });
    const csv = await t
      .http()
      .get('/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2026&format=csv')
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(200);
    const drill = await t
      .http()
      .get('/api/reports/rekapitulasi/cases?unitCode=KANWIL-SS&year=2026&column=jumlah')
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(200);
    expect(drill.body.cases.map((c: { id: string }) => c.id)).toContain(created.id);
    const list = await t
      .http()
      .get('/api/cases?pageSize=200')
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(200);
    for (const text of [csv.text, JSON.stringify(drill.body), JSON.stringify(list.body)]) {
      expect(text).not.toContain('Korban Dirahasiakan');
      expect(text).not.toContain('korban@example.id');
    }
  });

  it('refuses to change or delete an audit row, in the database itself, even for the schema owner', async () => {
    const owner = new Client({ connectionString: t.ownerUrl });
    await owner.connect();
    await expect(owner.query(`UPDATE audit_log SET actor_username = 'someone-else'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(owner.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    await owner.end();
  });

  it('throttles 30 wrong passwords: ten answered 401, the rest 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const res = await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', `192.0.2.${i}`)
        .send({ username: 'jb.kabid', password: `tebakan-${i}-x` });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(20).fill(429));
    // Even the right password waits now: the account is under attack.
    await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', '192.0.2.200')
      .send({ username: 'jb.kabid', password: PASSWORD })
      .expect(429);
  });

  it('lets an admin reorganise units, with validation', async () => {
    const bad = await t
      .http()
      .put('/api/units/KANWIL-BARU')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ name: 'Kanwil Baru', kind: 'KANWIL', timeZone: 'Europe/Paris', parentCode: 'NOPE' })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['timeZone']);
    const ok = await t
      .http()
      .put('/api/units/KANWIL-BARU')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({
        name: 'Kanwil Baru',
        kind: 'KANWIL',
        timeZone: 'Asia/Jayapura',
        provinceCode: 'ID-PE',
        parentCode: 'PUSAT',
      })
      .expect(200);
    expect(ok.body).toMatchObject({
      code: 'KANWIL-BARU',
      timeZone: 'Asia/Jayapura',
      parentCode: 'PUSAT',
      active: true,
    });
  });
});

describe('per-user request limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After past the limit, per user', async () => {
    const other = await t.user('other.user', 'KANWIL-SS', ['PEMANTAU']);
    const statuses = [];
    for (let i = 0; i < 7; i += 1)
      statuses.push((await t.http().get('/api/units').set('Authorization', `Bearer ${other}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await t.http().get('/api/units').set('Authorization', `Bearer ${other}`).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another user is not affected.
    await t.http().get('/api/units').set('Authorization', `Bearer ${t.adminToken}`).expect(200);
  });
});
