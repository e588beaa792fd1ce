/**
 * What the desk works with beside the events: the work queue, the deadline's explanation,
 * documents attached to a case, and the step names and regency suggestions for the forms.
 */
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('the desk: queue, deadline, attachments', () => {
  let t: TestApp;
  let ss: UnitActors;
  let jb: UnitActors;
  let send: ReturnType<typeof eventSender>;
  const ids: Record<string, string> = {};

  const get = (path: string, token: string) => t.http().get(path).set('Authorization', `Bearer ${token}`);
  const register = async (token: string, overrides: Record<string, unknown> = {}) =>
    (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${token}`)
        .send(complaint(overrides))
        .expect(201)
    ).body;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2024-04-05T10:00:00+07:00');
    ss = await unitActors(t, 'KANWIL-SS', 'ss');
    jb = await unitActors(t, 'KANWIL-JB', 'jb');
    send = eventSender(t);
    // Registered in this order; the queue must sort them by deadline, not by arrival.
    ids.late = (await register(ss.petugas, { receivedAt: '2024-03-01T09:00:00+07:00' })).id;
    ids.lebaran = (
      await register(ss.petugas, {
        receivedAt: '2024-04-05T10:00:00+07:00',
        locus: { provinceCode: 'ID-SS', regency: 'Kabupaten Banyuasin' },
      })
    ).id;
    ids.march = (await register(ss.petugas, { receivedAt: '2024-03-25T09:00:00+07:00' })).id;
    ids.kadiv = (await register(ss.petugas, { receivedAt: '2024-04-04T09:00:00+07:00' })).id;
    await send(ss.petugas, ids.kadiv, { type: 'DISPOSISI' });
    await send(ss.kakanwil, ids.kadiv, { type: 'DISPOSISI' });
    ids.paused = (await register(ss.petugas, { receivedAt: '2024-02-01T09:00:00+07:00' })).id;
    await send(ss.petugas, ids.paused, { type: 'DISPOSISI' });
    await send(ss.kakanwil, ids.paused, { type: 'DISPOSISI' });
    await send(ss.kadiv, ids.paused, { type: 'DISPOSISI' });
    await send(ss.kabid, ids.paused, { type: 'TELAAH' });
    await send(ss.petugas, ids.paused, { type: 'TUNDA', reason: 'menunggu dokumen' });
    ids.other = (
      await register(jb.petugas, {
        unitCode: 'KANWIL-JB',
        receivedAt: '2024-04-01T09:00:00+07:00',
        locus: { provinceCode: 'ID-JB' },
      })
    ).id;
  });

  afterAll(() => t.close());

  it('queues for each role the open steps it holds in its own unit, overdue first and paused last', async () => {
    const queue = (await get('/api/cases?mine=true', ss.petugas).expect(200)).body;
    expect(queue.items.map((c: { id: string }) => c.id)).toEqual([
      ids.late,
      ids.march,
      ids.lebaran,
      ids.paused,
    ]);
    expect(queue.items.map((c: { deadline: { status: string } }) => c.deadline.status)).toEqual([
      'OVERDUE',
      'OVERDUE',
      'ON_TIME',
      'PAUSED',
    ]);
    expect(queue.items[0].availableActions).toEqual(['DISPOSISI', 'BERKAS_TIDAK_LENGKAP', 'TIDAK_BERWENANG']);
    expect(queue.items[0].stateName).toBe('Penerimaan dan pemeriksaan kelengkapan berkas');
    const kadiv = (await get('/api/cases?mine=true', ss.kadiv).expect(200)).body;
    expect(kadiv.items.map((c: { id: string }) => c.id)).toEqual([ids.kadiv]);
    expect((await get('/api/cases?mine=true', ss.pemantau).expect(200)).body.total).toBe(0);
    // Another unit's officer never sees these, and the admin's queue is empty.
    expect(
      (await get('/api/cases?mine=true', jb.petugas).expect(200)).body.items.map((c: { id: string }) => c.id),
    ).toEqual([ids.other]);
    expect((await get('/api/cases?mine=true', t.adminToken).expect(200)).body.total).toBe(0);
    // A monitor sees the case but may not act on it.
    expect((await get(`/api/cases/${ids.late}`, ss.pemantau).expect(200)).body.availableActions).toEqual([]);
  });

  it('finds cases by part of the register number, with LIKE characters taken literally', async () => {
    const found = (await get('/api/cases?q=2024/0000', ss.kabid).expect(200)).body;
    expect(found.total).toBe(5);
    expect((await get('/api/cases?q=%25', ss.kabid).expect(200)).body.total).toBe(0);
    expect((await get('/api/cases?q=_', ss.kabid).expect(200)).body.total).toBe(0);
  });

  it('explains the deadline day by day across Lebaran 2024, in the unit zone', async () => {
    const res = (await get(`/api/cases/${ids.lebaran}/deadline`, ss.petugas).expect(200)).body;
    expect(res.deadline).toMatchObject({
      step: 'terima.pemeriksaan',
      limit: { hari: 5 },
      timeZone: 'Asia/Jakarta',
      status: 'ON_TIME',
    });
    expect(res.workingDays).toBe(5);
    const counted = res.days
      .filter((d: { counted: boolean }) => d.counted)
      .map((d: { date: string }) => d.date);
    expect(counted).toEqual(['2024-04-16', '2024-04-17', '2024-04-18', '2024-04-19', '2024-04-22']);
    const reason = (date: string) => res.days.find((d: { date: string }) => d.date === date).reason;
    expect(reason('2024-04-05')).toBe('hari mulai langkah (tidak dihitung)');
    expect(reason('2024-04-06')).toBe('Sabtu');
    expect(reason('2024-04-10')).toMatch(/Idul ?[Ff]itri/);
    expect(reason('2024-04-08')).toMatch(/[Cc]uti [Bb]ersama/);
    await get(`/api/cases/${ids.lebaran}/deadline`, jb.petugas).expect(404);
  });

  it('keeps documents with the case: added by its handlers, read by those who see it, never altered', async () => {
    const upload = (token: string, caseId: string) =>
      t
        .http()
        .post(`/api/cases/${caseId}/attachments`)
        .set('Authorization', `Bearer ${token}`)
        .field('description', 'Surat pengaduan')
        .attach('file', Buffer.from('isi surat'), 'surat pengaduan é.txt');
    const saved = (await upload(ss.petugas, ids.late).expect(201)).body;
    expect(saved).toMatchObject({
      fileName: 'surat pengaduan é.txt',
      size: 9,
      description: 'Surat pengaduan',
      uploadedBy: { username: 'ss.petugas' },
    });
    expect(saved.sha256).toBe(createHash('sha256').update('isi surat').digest('hex'));
    await upload(ss.pemantau, ids.late).expect(403);
    await upload(jb.petugas, ids.late).expect(404);
    const empty = await t
      .http()
      .post(`/api/cases/${ids.late}/attachments`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .field('description', 'tanpa berkas')
      .expect(400);
    expect(empty.body.details).toEqual([
      { field: 'file', reason: 'berkas wajib diunggah dan tidak boleh kosong' },
    ]);

    expect((await get(`/api/cases/${ids.late}/attachments`, ss.pemantau).expect(200)).body).toHaveLength(1);
    const file = await get(`/api/cases/${ids.late}/attachments/${saved.id}`, ss.kabid).expect(200);
    expect(file.text).toBe('isi surat');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent('surat pengaduan é.txt')}`,
    );
    await get(`/api/cases/${ids.late}/attachments/${saved.id}`, jb.kabid).expect(404);
    await get(`/api/cases/${ids.lebaran}/attachments/${saved.id}`, ss.kabid).expect(404);

    const db = t.app.get(DataSource);
    const [read] = await db.query(
      `SELECT actor_username FROM audit_log WHERE action = 'ATTACHMENT_READ' AND entity_id = $1`,
      [ids.late],
    );
    expect(read.actor_username).toBe('ss.kabid');
    const raw = new Client({ connectionString: t.databaseUrl });
    await raw.connect();
    await expect(raw.query('DELETE FROM case_attachments')).rejects.toThrow(/append-only/);
    await expect(raw.query(`UPDATE case_attachments SET file_name = 'x'`)).rejects.toThrow(/append-only/);
    await raw.end();
  });

  it('names the steps of each workflow version and suggests the regencies recorded in a province', async () => {
    const workflows = (await get('/api/workflows', ss.petugas).expect(200)).body;
    const steps = workflows[0].steps;
    expect(steps.find((s: { path: string }) => s.path === 'rekomendasi.pengiriman')).toEqual({
      path: 'rekomendasi.pengiriman',
      name: 'Pengiriman surat rekomendasi',
      step: 10,
      limit: { menit: 20 },
      clock: 'KASUS',
    });
    const regencies = (await get('/api/provinces/ID-SS/regencies', ss.petugas).expect(200)).body;
    expect(regencies).toEqual(['Kota Palembang', 'Kabupaten Banyuasin']);
  });
});
