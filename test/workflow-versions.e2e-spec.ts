/**
 * Workflow version 2, mediation (domain.md, "Mediation"): new cases start on it, a unit can be
 * kept on version 1 while its staff are trained, and running cases keep the version they started
 * with. A v2 case goes through every mediation outcome by the right roles; the recap counts the
 * decision to mediate as TELAAH MEDIASI, the indicator counts the agreement as the follow-up, and
 * the complainant sees the MEDIASI stage.
 */
import { Client } from 'pg';
import { pengaduanV1 } from '../workflows/pengaduan/v1';
import { SlaSweepService } from '../src/sla/sla-sweep.service';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('workflow version 2: mediation', () => {
  let t: TestApp;
  let ss: UnitActors;
  let mediator: { id: string };
  let institutionId: string;
  const send = () => eventSender(t);

  beforeAll(async () => {
    t = await createTestApp();
    ss = await unitActors(t, 'KANWIL-SS', 'med');
    mediator = (await t.http().get('/api/users/me').set('Authorization', `Bearer ${ss.petugas}`).expect(200))
      .body as { id: string };
    institutionId = (
      await t
        .http()
        .post('/api/institutions')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send({ name: 'Pemerintah Kota Prabumulih', email: 'setda@prabumulih.example.id' })
        .expect(201)
    ).body.id as string;
  });
  afterAll(() => t.close());

  const settings = async (workflowVersion: number | null | undefined, expected = 200) => {
    const current = (
      await t
        .http()
        .get('/api/units/KANWIL-SS/settings')
        .set('Authorization', `Bearer ${t.adminToken}`)
        .expect(200)
    ).body as Record<string, unknown>;
    const { unitCode: _unit, workflowVersion: _version, ...rest } = current;
    return t
      .http()
      .put('/api/units/KANWIL-SS/settings')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send(workflowVersion === undefined ? rest : { ...rest, workflowVersion })
      .expect(expected);
  };
  const register = async (receivedAt = '2026-03-02T09:00:00+07:00') =>
    (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ receivedAt }))
        .expect(201)
    ).body as {
      id: string;
      registerNumber: string;
      workflowVersion: number;
      workflow: { version: number };
      receipt: { trackingCode: string };
    };
  /** A registered case taken to the review's approval. */
  async function atApproval(receivedAt?: string) {
    const c = await register(receivedAt);
    for (const [token, type] of [
      [ss.petugas, 'DISPOSISI'],
      [ss.kakanwil, 'DISPOSISI'],
      [ss.kadiv, 'DISPOSISI'],
      [ss.kabid, 'TELAAH'],
      [ss.petugas, 'AJUKAN_TELAAH'],
    ] as const)
      await send()(token, c.id, { type });
    return c;
  }
  async function inMediation(receivedAt?: string) {
    const c = await atApproval(receivedAt);
    const view = await send()(ss.kabid, c.id, {
      type: 'SETUJUI_TELAAH',
      kesimpulan: 'MEDIASI',
      audiensi: false,
    });
    expect(view).toMatchObject({ state: 'mediasi.persiapan', category: 'TELAAH_MEDIASI' });
    return c;
  }
  const agree = (id: string) =>
    send()(ss.kabid, id, {
      type: 'MEDIASI_DISETUJUI',
      mediatorId: mediator.id,
      institutionIds: [institutionId],
    });

  beforeEach(() => t.clock.set('2026-03-03T10:00:00+07:00'));

  it('starts new cases on v2, keeps a unit on v1 when an admin says so, and running cases on theirs', async () => {
    const v2 = await register();
    expect(v2.workflow).toEqual({ id: 'pengaduan', version: 2 });
    expect(v2.workflowVersion).toBe(2);

    const refused = await settings(9, 400);
    expect(refused.body.details).toEqual([
      { field: 'workflowVersion', reason: 'harus salah satu dari: 1, 2, atau null' },
    ]);
    expect((await settings(1)).body.workflowVersion).toBe(1);
    // Settings sent without the field keep the unit's version.
    expect((await settings(undefined)).body.workflowVersion).toBe(1);
    const v1 = await atApproval();
    expect(v1.workflowVersion).toBe(1);
    // Version 1 knows no mediation: neither the conclusion nor its events.
    const noMediation = await send()(
      ss.kabid,
      v1.id,
      { type: 'SETUJUI_TELAAH', kesimpulan: 'MEDIASI', audiensi: false },
      400,
    );
    expect(noMediation.details).toEqual([
      { field: 'kesimpulan', reason: 'harus salah satu dari: FILE, REKOMENDASI' },
    ]);
    const unknown = await send()(ss.kabid, v1.id, { type: 'MEDIASI_DISETUJUI' }, 400);
    expect(unknown.details[0].field).toBe('type');

    expect((await settings(null)).body.workflowVersion).toBeNull();
    expect((await register()).workflowVersion).toBe(2);
    // The v1 case goes on as v1 after the unit moved on.
    const letter = await send()(ss.kabid, v1.id, {
      type: 'SETUJUI_TELAAH',
      kesimpulan: 'REKOMENDASI',
      audiensi: false,
    });
    expect(letter).toMatchObject({
      state: 'rekomendasi.penyusunan',
      workflowVersion: 1,
      category: 'TELAAH_REKOMENDASI',
    });
    const workflows = (
      await t.http().get('/api/workflows').set('Authorization', `Bearer ${ss.petugas}`).expect(200)
    ).body as { version: number; choices: Record<string, Record<string, string[]>> }[];
    expect(workflows.map((w) => [w.version, w.choices.SETUJUI_TELAAH.kesimpulan])).toEqual([
      [1, ['FILE', 'REKOMENDASI']],
      [2, ['FILE', 'REKOMENDASI', 'MEDIASI']],
    ]);
  });

  it('takes a mediation to an agreement carried out, by the right roles, pausable in its sessions', async () => {
    const c = await inMediation();
    // The complainant sees the mediation.
    const status = await t
      .http()
      .get('/api/public/status')
      .set('X-Forwarded-For', '203.0.113.40')
      .query({ registerNumber: c.registerNumber, trackingCode: c.receipt.trackingCode })
      .expect(200);
    expect(status.body.stage.code).toBe('MEDIASI');
    // The mediator is an officer of the unit, and the parties registered institutions: one 400
    // names every field that a check refuses.
    const unknown = '0190a000-0000-7000-8000-000000000000';
    const notOfficer = await send()(
      ss.kabid,
      c.id,
      {
        type: 'MEDIASI_DISETUJUI',
        mediatorId: (await me(ss.kabid)).id,
        institutionIds: [institutionId, unknown],
      },
      400,
    );
    expect(notOfficer.details).toEqual([
      { field: 'mediatorId', reason: 'harus petugas aktif (PETUGAS atau KASUBBID) dari KANWIL-SS' },
      { field: 'institutionIds[1]', reason: `instansi ${unknown} tidak ditemukan` },
    ]);
    await send()(
      ss.petugas,
      c.id,
      { type: 'MEDIASI_DISETUJUI', mediatorId: mediator.id, institutionIds: [institutionId] },
      403,
    );
    expect(await agree(c.id)).toMatchObject({ state: 'mediasi.pelaksanaan' });
    const paused = await send()(ss.kabid, c.id, {
      type: 'TUNDA',
      reason: 'teradu meminta jadwal ulang sidang',
    });
    expect(paused.suspended).toBe(true);
    await send()(ss.kabid, c.id, { type: 'MEDIASI_BERHASIL', kesepakatan: 'x' }, 409);
    await send()(ss.kabid, c.id, { type: 'LANJUTKAN' });
    const agreed = await send()(ss.kabid, c.id, {
      type: 'MEDIASI_BERHASIL',
      kesepakatan: 'Teradu mengembalikan lahan dalam 30 hari',
    });
    expect(agreed).toMatchObject({ state: 'mediasi.pemantauan', category: 'TELAAH_MEDIASI' });
    const done = await send()(ss.kabid, c.id, { type: 'KESEPAKATAN_DILAKSANAKAN' });
    expect(done).toMatchObject({
      state: 'selesai',
      category: 'TELAAH_MEDIASI',
      closed: true,
      allowedEvents: [],
    });
    const history = (
      await t.http().get(`/api/cases/${c.id}/history`).set('Authorization', `Bearer ${ss.kabid}`).expect(200)
    ).body as { type: string; workflowVersion: number; toCategory?: string }[];
    expect(history.map((h) => h.type).slice(-6)).toEqual([
      'SETUJUI_TELAAH',
      'MEDIASI_DISETUJUI',
      'TUNDA',
      'LANJUTKAN',
      'MEDIASI_BERHASIL',
      'KESEPAKATAN_DILAKSANAKAN',
    ]);
    expect(new Set(history.map((h) => h.workflowVersion))).toEqual(new Set([2]));
  });

  it.each([
    [
      'refused',
      async (id: string) =>
        send()(ss.kabid, id, { type: 'MEDIASI_DITOLAK', pihak: 'TERADU', alasan: 'teradu tidak bersedia' }),
    ],
    [
      'failed',
      async (id: string) => {
        await agree(id);
        return send()(ss.kabid, id, { type: 'MEDIASI_GAGAL', alasan: 'tidak tercapai kesepakatan' });
      },
    ],
    [
      'broken',
      async (id: string) => {
        await agree(id);
        await send()(ss.kabid, id, { type: 'MEDIASI_BERHASIL', kesepakatan: 'ganti rugi dibayar' });
        return send()(ss.kabid, id, { type: 'KESEPAKATAN_DIINGKARI', alasan: 'ganti rugi tidak dibayar' });
      },
    ],
  ])('continues a mediation %s on the recommendation letter path', async (_outcome, end) => {
    const c = await inMediation();
    const view = (await end(c.id)) as { state: string; category: string; availableActions: string[] };
    expect(view).toMatchObject({ state: 'rekomendasi.penyusunan', category: 'TELAAH_REKOMENDASI' });
    await send()(ss.petugas, c.id, { type: 'AJUKAN_SURAT' });
  });

  it('counts mediation in the recap and the agreement as the follow-up, beside version 1 cases', async () => {
    t.clock.set('2025-02-10T10:00:00+07:00');
    // 2025: one v1 case answered by an institution, one v2 case agreed, one v2 still mediating,
    // one v2 mediation refused, one failed, one broken; a unit's year the other tests do not touch.
    await settings(1);
    const answered = await atApproval('2025-02-03T09:00:00+07:00');
    await settings(null);
    await send()(ss.kabid, answered.id, {
      type: 'SETUJUI_TELAAH',
      kesimpulan: 'REKOMENDASI',
      audiensi: false,
    });
    await send()(ss.petugas, answered.id, { type: 'AJUKAN_SURAT' });
    await send()(ss.kakanwil, answered.id, { type: 'SETUJUI_SURAT' });
    await send()(ss.petugas, answered.id, {
      type: 'KIRIM_SURAT',
      institutionIds: [institutionId],
      letterNumber: 'W6-900',
    });
    await send()(ss.petugas, answered.id, {
      type: 'TANGGAPAN',
      institutionId,
      summary: 'sudah ditindaklanjuti',
    });
    const agreed = await inMediation('2025-02-04T09:00:00+07:00');
    await agree(agreed.id);
    await send()(ss.kabid, agreed.id, { type: 'MEDIASI_BERHASIL', kesepakatan: 'lahan dikembalikan' });
    await inMediation('2025-02-05T09:00:00+07:00');
    const refused = await inMediation('2025-02-06T09:00:00+07:00');
    await send()(ss.kabid, refused.id, {
      type: 'MEDIASI_DITOLAK',
      pihak: 'PENGADU',
      alasan: 'pengadu memilih rekomendasi',
    });
    // A mediation that failed, and one whose agreement was broken: both continue as
    // TELAAH_REKOMENDASI, and the broken one was followed up at its agreement all the same.
    const failed = await inMediation('2025-02-07T09:00:00+07:00');
    await agree(failed.id);
    await send()(ss.kabid, failed.id, { type: 'MEDIASI_GAGAL', alasan: 'tidak tercapai kesepakatan' });
    const broken = await inMediation('2025-02-10T09:00:00+07:00');
    await agree(broken.id);
    await send()(ss.kabid, broken.id, { type: 'MEDIASI_BERHASIL', kesepakatan: 'ganti rugi dibayar' });
    await send()(ss.kabid, broken.id, { type: 'KESEPAKATAN_DIINGKARI', alasan: 'ganti rugi tidak dibayar' });

    const get = (path: string) => t.http().get(path).set('Authorization', `Bearer ${ss.kabid}`).expect(200);
    const recap = (await get('/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2025')).body as {
      rows: Record<string, number | string>[];
      totals: Record<string, number>;
    };
    expect(recap.totals).toEqual({
      proses: 0,
      file: 0,
      telaahFile: 0,
      telaahMediasi: 2,
      telaahRekomendasi: 4,
      rekomendasi: 0,
      jumlah: 6,
      tanggapan: 1,
      kasusDitanggapi: 3,
    });
    for (const r of recap.rows)
      expect(
        Number(r.proses) +
          Number(r.file) +
          Number(r.telaahFile) +
          Number(r.telaahMediasi) +
          Number(r.telaahRekomendasi) +
          Number(r.rekomendasi),
      ).toBe(r.jumlah);
    const behind = (
      await get('/api/reports/rekapitulasi/cases?unitCode=KANWIL-SS&year=2025&column=telaahMediasi')
    ).body as { cases: { id: string }[] };
    expect(behind.cases.map((c) => c.id).sort()).toHaveLength(2);
    const indicator = (await get('/api/indicators/ditindaklanjuti?unitCode=KANWIL-SS&year=2025')).body;
    expect(indicator).toMatchObject({ numerator: 3, denominator: 6 });
    // The agreement is its case's first follow-up, once: the case row says when.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ followed: boolean }>(
        'SELECT first_response_at IS NOT NULL AS followed FROM cases WHERE id = $1',
        [agreed.id],
      );
      expect(rows).toEqual([{ followed: true }]);
    } finally {
      await db.end();
    }
  });

  async function me(token: string): Promise<{ id: string }> {
    return (await t.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200)).body as {
      id: string;
    };
  }

  it('lets an older instance without v2 refuse a v2 case with a 409, list it without actions and sweep past it', async () => {
    t.clock.set('2026-03-03T10:00:00+07:00');
    const older = await createTestApp({
      databaseUrl: t.databaseUrl,
      clock: t.clock,
      workflows: [pengaduanV1],
    });
    try {
      const c = await inMediation();
      const on = (app: TestApp) => ({
        get: (path: string) => app.http().get(path).set('Authorization', `Bearer ${ss.kabid}`),
        post: (path: string) => app.http().post(path).set('Authorization', `Bearer ${ss.kabid}`),
      });
      const refused = await on(older).get(`/api/cases/${c.id}`).expect(409);
      expect(refused.body).toMatchObject({
        statusCode: 409,
        workflow: { id: 'pengaduan', version: 2 },
      });
      expect(refused.body.message).toContain('versi 2 yang belum dikenal');
      await on(older)
        .post(`/api/cases/${c.id}/events`)
        .send({ type: 'MEDIASI_GAGAL', alasan: 'x' })
        .expect(409);
      const list = (await on(older).get('/api/cases?pageSize=200&state=mediasi').expect(200)).body as {
        items: { id: string; workflowKnown: boolean; availableActions: string[]; state: string }[];
      };
      expect(list.items.find((i) => i.id === c.id)).toMatchObject({
        workflowKnown: false,
        availableActions: [],
        state: 'mediasi.persiapan',
      });
      // Past the pre-mediation's 5 days: the older instance's sweep leaves the case to the newer one.
      t.clock.set('2026-03-20T10:00:00+07:00');
      const db = new Client({ connectionString: t.databaseUrl });
      await db.connect();
      try {
        const failures = async () =>
          (
            await db.query<{ n: number; level: number }>(
              'SELECT sla_check_failures AS n, sla_level AS level FROM cases WHERE id = $1',
              [c.id],
            )
          ).rows[0];
        expect(await older.app.get(SlaSweepService).sweep()).toMatchObject({ failed: 0, parked: 0 });
        expect(await failures()).toEqual({ n: 0, level: 0 });
        await t.app.get(SlaSweepService).sweep();
        expect((await failures()).level).toBeGreaterThan(0);
      } finally {
        await db.end();
      }
      // A unit kept on v2 cannot register on the older instance: it does not know that version.
      await settings(2);
      await older
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ receivedAt: '2026-03-19T09:00:00+07:00' }))
        .expect(409);
      await settings(null);
    } finally {
      await older.close();
    }
  });
});
