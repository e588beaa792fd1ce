/**
 * No unit acts for another, and nothing a user types or uploads turns against the next reader:
 * institutions' addresses, other units' settings, uploaded pages, spreadsheet formulas, notices
 * in the URL, the session cookie, the API documentation.
 */
import { Client } from 'pg';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('units act only for themselves', () => {
  let t: TestApp;
  let ss: UnitActors;
  let jb: UnitActors;
  let pusat: UnitActors;
  let db: Client;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL: 'https://pengaduan.example.id', API_DOCS: 'false' } });
    [ss, jb, pusat] = await Promise.all([
      unitActors(t, 'KANWIL-SS', 'un'),
      unitActors(t, 'KANWIL-JB', 'unjb'),
      unitActors(t, 'PUSAT', 'unp'),
    ]);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const as = (token: string) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${token}`),
    patch: (path: string, body: object) =>
      t.http().patch(path).set('Authorization', `Bearer ${token}`).send(body),
  });

  it("lets no officer of another unit point an institution's letters elsewhere, and audits every change with its old value", async () => {
    const created = (
      await t
        .http()
        .post('/api/institutions')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send({ name: 'Dinas Pertanahan Kota Palembang', email: 'dinas@palembang.example.id' })
        .expect(201)
    ).body;
    expect(created.registeredByUnit).toBe('KANWIL-SS');
    for (const intruder of [jb.kabid, jb.petugas, ss.petugas, pusat.kabid]) {
      await as(intruder)
        .patch(`/api/institutions/${created.id}`, { email: 'penyadap@jahat.example' })
        .expect(403);
    }
    const changed = (
      await as(ss.kabid)
        .patch(`/api/institutions/${created.id}`, { email: 'sekretariat@palembang.example.id' })
        .expect(200)
    ).body;
    expect(changed.email).toBe('sekretariat@palembang.example.id');
    const { rows } = await db.query(
      `SELECT actor_username, details FROM audit_log WHERE action = 'INSTITUTION_UPDATED' AND entity_id = $1`,
      [created.id],
    );
    expect(rows).toEqual([
      {
        actor_username: 'un.kabid',
        details: {
          changes: { email: { from: 'dinas@palembang.example.id', to: 'sekretariat@palembang.example.id' } },
        },
      },
    ]);
  });

  it("shows another unit's settings, schedules, notice lists and regencies only to PUSAT and ADMIN", async () => {
    await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${ss.petugas}`)
      .send(complaint({ locus: { provinceCode: 'ID-SS', regency: 'Kabupaten Rahasia Ilir' } }))
      .expect(201);
    for (const path of [
      '/api/units/KANWIL-SS/settings',
      '/api/units/KANWIL-SS/reminder-schedule',
      '/api/units/KANWIL-SS/complainant-notices',
    ]) {
      await as(jb.kabid).get(path).expect(404);
      await as(ss.petugas).get(path).expect(200);
      await as(pusat.petugas).get(path).expect(200);
      await as(t.adminToken).get(path).expect(200);
    }
    expect((await as(jb.petugas).get('/api/provinces/ID-SS/regencies').expect(200)).body).toEqual([]);
    expect((await as(ss.petugas).get('/api/provinces/ID-SS/regencies').expect(200)).body).toContain(
      'Kabupaten Rahasia Ilir',
    );
  });

  it('serves an uploaded page as a download that cannot run, and takes no attachment on a closed case', async () => {
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint())
        .expect(201)
    ).body;
    const upload = (name: string, type: string, content: string) =>
      t
        .http()
        .post(`/api/cases/${c.id}/attachments`)
        .set('Authorization', `Bearer ${ss.petugas}`)
        .attach('file', Buffer.from(content), { filename: name, contentType: type });
    for (const [name, type] of [
      ['x.html', 'text/html'],
      ['x.svg', 'image/svg+xml'],
      ['x.js', 'text/javascript'],
    ]) {
      const saved = (await upload(name, type, '<script>alert(document.cookie)</script>').expect(201)).body;
      expect(saved.contentType).toBe('application/octet-stream');
      const served = await as(ss.petugas).get(`/api/cases/${c.id}/attachments/${saved.id}`).expect(200);
      expect(served.headers['content-type']).toBe('application/octet-stream');
      expect(served.headers['content-disposition']).toMatch(/^attachment;/);
      expect(served.headers['content-security-policy']).toMatch(/^sandbox/);
      expect(served.headers['x-content-type-options']).toBe('nosniff');
    }
    const pdf = (await upload('surat.pdf', 'application/pdf', '%PDF-1.4').expect(201)).body;
    expect(
      (await as(ss.petugas).get(`/api/cases/${c.id}/attachments/${pdf.id}`).expect(200)).headers[
        'content-type'
      ],
    ).toBe('application/pdf');
    await eventSender(t)(ss.petugas, c.id, { type: 'TIDAK_BERWENANG', referral: 'Ombudsman RI' });
    const closed = await upload('lagi.pdf', 'application/pdf', '%PDF-1.4').expect(409);
    expect(closed.body.message).toContain('sudah ditutup');
  });

  it('exports typed text that looks like a formula as text', async () => {
    const evil = ['=HYPERLINK("http://jahat.example","klik")', '@SUM(1+1)', '+62 cmd', '-2+3'];
    for (const regency of evil) {
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(
          complaint({ receivedAt: '2026-03-03T09:00:00+07:00', locus: { provinceCode: 'ID-SS', regency } }),
        )
        .expect(201);
    }
    const csv = (
      await as(ss.kabid)
        .get('/api/reports/pemeriksaan-kabupaten?unitCode=KANWIL-SS&year=2026&format=csv')
        .expect(200)
    ).text;
    for (const value of evil) {
      const quoted =
        value.includes('"') || value.includes(',') ? `"'${value.replace(/"/g, '""')}"` : `'${value}`;
      expect(csv).toContain(quoted);
    }
    expect(csv).not.toMatch(/(^|,)[=+@-][A-Z0-9]/m);
  });

  it('shows notices only from the fixed list, sets the session cookie Secure behind HTTPS, and can hide the API documentation', async () => {
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint())
        .expect(201)
    ).body;
    const login = await t
      .http()
      .post('/masuk')
      .type('form')
      .send({ username: 'un.petugas', password: 'SandiKuat12345', lanjut: '/' })
      .expect(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    const session = cookie.split(';')[0];
    const forged = await t
      .http()
      .get(`/kasus/${c.id}?ok=${encodeURIComponent('Akun Anda diblokir, hubungi 0812-JAHAT')}`)
      .set('Cookie', session)
      .expect(200);
    expect(forged.text).not.toContain('0812-JAHAT');
    const real = await t.http().get(`/kasus/${c.id}?ok=DISPOSISI`).set('Cookie', session).expect(200);
    expect(real.text).toContain('tercatat');
    await t.http().get('/api/docs-json').expect(404);
  });
});
