import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('cases API: registration, lists, isolation, durability', () => {
  let t: TestApp;
  let ss: UnitActors;
  let jb: UnitActors;
  let send: ReturnType<typeof eventSender>;

  beforeAll(async () => {
    t = await createTestApp();
    [ss, jb] = await Promise.all([unitActors(t, 'KANWIL-SS', 'ss'), unitActors(t, 'KANWIL-JB', 'jb')]);
    send = eventSender(t);
  });
  afterAll(() => t.close());

  const post = (token: string, body: object) =>
    t.http().post('/api/cases').set('Authorization', `Bearer ${token}`).send(body);

  it('validates a new complaint field by field', async () => {
    const res = await post(
      ss.petugas,
      complaint({
        receivedAt: '2026-03-02',
        submission: 'FAX',
        complainant: { email: 'not-an-email' },
        locus: { provinceCode: 'ID-ZZ' },
        rights: [],
        version: 7,
      }),
    ).expect(400);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { field: 'version', reason: 'field tidak dikenal' },
        { field: 'receivedAt', reason: expect.stringContaining('ISO 8601') },
        { field: 'submission', reason: 'harus salah satu dari: LANGSUNG, TEMBUSAN' },
        { field: 'complainant.name', reason: 'wajib diisi' },
        { field: 'complainant.email', reason: 'bukan alamat email yang valid' },
        { field: 'rights', reason: 'tidak boleh kosong' },
      ]),
    );
    const codes = await post(
      ss.petugas,
      complaint({
        channel: 'MERPATI',
        theme: 'ASTROLOGI',
        reportedParty: 'ALIEN',
        rights: ['HIDUP', 'TERBANG'],
        locus: { provinceCode: 'ID-ZZ' },
      }),
    ).expect(400);
    expect(codes.body.details).toEqual([
      { field: 'channel', reason: 'kode "MERPATI" tidak dikenal' },
      { field: 'theme', reason: 'kode "ASTROLOGI" tidak dikenal' },
      { field: 'reportedParty', reason: 'kode "ALIEN" tidak dikenal' },
      { field: 'locus.provinceCode', reason: 'kode provinsi "ID-ZZ" tidak dikenal' },
      { field: 'rights[1]', reason: 'kode "TERBANG" tidak dikenal' },
    ]);
    const future = await post(
      ss.petugas,
      complaint({ receivedAt: new Date(Date.now() + 86400_000).toISOString() }),
    ).expect(400);
    expect(future.body.details).toEqual([{ field: 'receivedAt', reason: 'tidak boleh di masa depan' }]);
    await post(ss.petugas, complaint({ locus: { provinceCode: 'LUAR_NEGERI' } })).expect(201);
    await post(ss.petugas, complaint({ locus: { provinceCode: 'NASIONAL' } })).expect(201);
  });

  it("names the form's problems and its codes' and date's in one answer", async () => {
    const both = await post(
      ss.petugas,
      complaint({
        summary: '',
        submission: 'FAX',
        channel: 'MERPATI',
        rights: ['HIDUP', 'TERBANG'],
        receivedAt: new Date(Date.now() + 86400_000).toISOString(),
      }),
    ).expect(400);
    expect(both.body.details).toEqual([
      { field: 'submission', reason: 'harus salah satu dari: LANGSUNG, TEMBUSAN' },
      { field: 'summary', reason: 'wajib diisi' },
      { field: 'channel', reason: 'kode "MERPATI" tidak dikenal' },
      { field: 'rights[1]', reason: 'kode "TERBANG" tidak dikenal' },
      { field: 'receivedAt', reason: 'tidak boleh di masa depan' },
    ]);
    // A field that failed its own rule is not judged again, and a missing part is no 500.
    const broken = await post(
      ss.petugas,
      complaint({ receivedAt: 'kemarin', rights: 'HIDUP', locus: undefined, channel: 7 }),
    ).expect(400);
    const fields = broken.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['receivedAt', 'rights', 'locus', 'channel']));
    expect(fields.filter((f: string) => f === 'receivedAt' || f === 'channel')).toHaveLength(2);
    expect(fields).not.toContain('locus.provinceCode');
    const list = await post(ss.petugas, [complaint()]).expect(400);
    expect(list.body.details).toEqual(expect.arrayContaining([{ field: 'summary', reason: 'wajib diisi' }]));
  });

  it("registers only for the officer's own unit, and only by intake roles", async () => {
    await post(ss.petugas, complaint({ unitCode: 'KANWIL-JB' })).expect(403);
    await post(ss.pemantau, complaint()).expect(403);
    await post(ss.kabid, complaint()).expect(403);
    await post(t.adminToken, complaint()).expect(403);
  });

  it('gives 20 concurrent registrations 20 distinct consecutive numbers', async () => {
    const body = complaint({
      unitCode: 'KANWIL-JB',
      receivedAt: '2025-06-02T10:00:00+07:00',
      locus: { provinceCode: 'ID-JB' },
    });
    const results = await Promise.all(Array.from({ length: 20 }, () => post(jb.petugas, body)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => Number(r.body.registerNumber.split('/')[2])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.body.registerNumber)).size).toBe(20);
  });

  it('gives every case and note an id that grows with the time it was made', async () => {
    // Time-ordered ids (src/common/ids.ts) keep the indexes keyed by an id growing at their right
    // edge; the database holds no default that could write a random one instead.
    const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const body = complaint({ unitCode: 'KANWIL-SS', receivedAt: '2025-06-03T10:00:00+07:00' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const before = Date.now();
      const res = await post(ss.petugas, body).expect(201);
      const made = parseInt(String(res.body.id).replace(/-/g, '').slice(0, 12), 16);
      expect(res.body.id).toMatch(v7);
      expect(made).toBeGreaterThanOrEqual(before);
      expect(made).toBeLessThanOrEqual(Date.now());
      ids.push(res.body.id);
      await new Promise((r) => setTimeout(r, 3));
    }
    const note = await t
      .http()
      .post(`/api/cases/${ids[0]}/notes`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .send({ text: 'Pengadu menelepon' })
      .expect(201);
    expect(note.body.id).toMatch(v7);
    const db = new Client({ connectionString: t.ownerUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM cases WHERE id = ANY($1) ORDER BY id', [
        ids,
      ]);
      expect(rows.map((r) => r.id)).toEqual(ids);
      const { rows: defaults } = await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'id' AND column_default LIKE '%gen_random_uuid%'`,
      );
      expect(defaults).toEqual([]);
    } finally {
      await db.end();
    }
  });

  it('isolates units: another Kanwil gets 404 by id and nothing in its lists; PUSAT sees all', async () => {
    const { body: mine } = await post(ss.petugas, complaint()).expect(201);
    await t.http().get(`/api/cases/${mine.id}`).set('Authorization', `Bearer ${jb.kabid}`).expect(404);
    await t
      .http()
      .get(`/api/cases/${mine.id}/history`)
      .set('Authorization', `Bearer ${jb.kabid}`)
      .expect(404);
    const jbList = await t
      .http()
      .get('/api/cases?pageSize=200')
      .set('Authorization', `Bearer ${jb.kabid}`)
      .expect(200);
    expect(jbList.body.items.every((c: { unitCode: string }) => c.unitCode === 'KANWIL-JB')).toBe(true);
    const asked = await t
      .http()
      .get('/api/cases?unitCode=KANWIL-SS')
      .set('Authorization', `Bearer ${jb.kabid}`)
      .expect(200);
    expect(asked.body).toMatchObject({ items: [], total: 0 });
    const pusat = await t.user('pusat.pemantau', 'PUSAT', ['PEMANTAU']);
    const seen = await t
      .http()
      .get(`/api/cases/${mine.id}`)
      .set('Authorization', `Bearer ${pusat}`)
      .expect(200);
    expect(seen.body.complainant).toEqual({ hidden: true, confidential: false, hasEmail: true });
  });

  it('lists with filters and pages', async () => {
    const { body: a } = await post(ss.petugas, complaint({ receivedAt: '2024-05-06T09:00:00+07:00' })).expect(
      201,
    );
    await send(ss.petugas, a.id, { type: 'DISPOSISI', occurredAt: '2024-05-07T09:00:00+07:00' });
    const byState = await t
      .http()
      .get('/api/cases?state=disposisi&year=2024')
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(200);
    expect(byState.body.items.map((c: { id: string }) => c.id)).toEqual([a.id]);
    expect(byState.body.items[0].complainant).toBeUndefined();
    const overdue = await t
      .http()
      .get('/api/cases?overdue=true&year=2024')
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(200);
    expect(overdue.body.items.map((c: { id: string }) => c.id)).toContain(a.id);
    const page = await t
      .http()
      .get('/api/cases?pageSize=2&page=2')
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(200);
    expect(page.body).toMatchObject({ page: 2, pageSize: 2 });
    expect(page.body.items).toHaveLength(2);
    const bad = await t
      .http()
      .get('/api/cases?category=LAINNYA&page=0&overdue=ya')
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'category',
      'overdue',
      'page',
    ]);
  });

  it('keeps the history append-only in the database itself, even for the schema owner', async () => {
    const { body } = await post(ss.petugas, complaint()).expect(201);
    const db = new Client({ connectionString: t.ownerUrl });
    await db.connect();
    await expect(db.query(`UPDATE case_events SET type = 'X' WHERE case_id = $1`, [body.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query(`DELETE FROM case_events WHERE case_id = $1`, [body.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query(`TRUNCATE case_events CASCADE`)).rejects.toThrow(/append-only/);
    await db.end();
  });

  it('runs the service as a role that owns nothing: it cannot switch off the triggers, truncate or alter', async () => {
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const [{ current_user: role, rolsuper }] = (
      await db.query('SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user')
    ).rows;
    expect({ role, rolsuper }).toEqual({ role: 'yankomas_app', rolsuper: false });
    await expect(db.query('ALTER TABLE case_events DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
    await expect(db.query('ALTER TABLE audit_log DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/permission denied/);
    await expect(db.query('DROP TABLE case_events')).rejects.toThrow(/must be owner/);
    await expect(db.query('CREATE TABLE sisipan (x int)')).rejects.toThrow(/permission denied/);
    const owned = (
      await db.query(
        `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user`,
      )
    ).rows;
    expect(owned).toEqual([{ n: 0 }]);
    await db.end();
  });

  it('has migrations that match the entities exactly', async () => {
    const ds = await new DataSource(dataSourceOptions(t.databaseUrl, 1)).initialize();
    const sql = await ds.driver.createSchemaBuilder().log();
    await ds.destroy();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('keeps every case across a restart', async () => {
    const before = await t
      .http()
      .get('/api/cases?pageSize=200')
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(200);
    await t.close();
    t = await createTestApp({ databaseUrl: t.databaseUrl });
    const kabid = await t.login('ss.kabid');
    const after = await t
      .http()
      .get('/api/cases?pageSize=200')
      .set('Authorization', `Bearer ${kabid}`)
      .expect(200);
    expect(after.body.total).toBe(before.body.total);
    expect(after.body.items.map((c: { id: string; version: number }) => [c.id, c.version])).toEqual(
      before.body.items.map((c: { id: string; version: number }) => [c.id, c.version]),
    );
  });
});
