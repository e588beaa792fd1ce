import { complaint, createTestApp, type TestApp } from './support/test-app';
import { eventSender, unitActors, type UnitActors } from './support/actors';

describe('case workflow through the API', () => {
  let t: TestApp;
  let ss: UnitActors;
  let send: ReturnType<typeof eventSender>;
  let polda: string;
  let bupati: string;

  beforeAll(async () => {
    t = await createTestApp();
    ss = await unitActors(t, 'KANWIL-SS', 'ss');
    send = eventSender(t);
    const inst = async (name: string, email: string) =>
      (
        await t
          .http()
          .post('/api/institutions')
          .set('Authorization', `Bearer ${ss.petugas}`)
          .send({ name, email })
          .expect(201)
      ).body.id;
    polda = await inst('Kepolisian Daerah Sumatera Selatan', 'humas@polda-sumsel.example.id');
    bupati = await inst('Pemerintah Kabupaten Ogan Ilir', 'setda@oganilir.example.id');
  });
  afterAll(() => t.close());

  const register = async (overrides: Record<string, unknown> = {}) =>
    (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint(overrides))
        .expect(201)
    ).body;

  const throughDisposition = async (id: string) => {
    await send(ss.petugas, id, { type: 'DISPOSISI' });
    await send(ss.kakanwil, id, { type: 'DISPOSISI' });
    return send(ss.kadiv, id, { type: 'DISPOSISI' });
  };

  it('registers a complaint in terima with its allowed events, deadline and history', async () => {
    const created = await register();
    expect(created).toMatchObject({
      unitCode: 'KANWIL-SS',
      state: 'terima.pemeriksaan',
      category: 'PROSES',
      version: 1,
      allowedEvents: ['DISPOSISI', 'LIMPAHKAN', 'BERKAS_TIDAK_LENGKAP', 'TIDAK_BERWENANG'],
      workflow: { id: 'pengaduan', version: 2 },
      // Protected by default: a case never carries the identity.
      complainant: { hidden: true, confidential: false },
    });
    expect(created.registerNumber).toMatch(/^KANWIL-SS\/2026\/\d{5}$/);
    // Received Monday 2 March 2026 (WIB); 5 working days after it: Monday 9 March, end of day WIB.
    expect(created.deadline).toMatchObject({
      step: 'terima.pemeriksaan',
      dueAt: '2026-03-09T16:59:59.999Z',
      status: 'OVERDUE',
    });
    const got = await t
      .http()
      .get(`/api/cases/${created.id}`)
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(200);
    expect(got.headers.etag).toBe('"1"');
    const history = await t
      .http()
      .get(`/api/cases/${created.id}/history`)
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(200);
    expect(history.body).toEqual([
      expect.objectContaining({
        seq: 1,
        type: 'REGISTRASI',
        from: null,
        to: 'terima.pemeriksaan',
        actor: expect.objectContaining({ username: 'ss.petugas' }),
      }),
    ]);
  });

  it('takes a complaint through telaah, audiensi, a letter to two institutions, their responses, a follow-up letter and selesai', async () => {
    const { id } = await register();
    expect((await throughDisposition(id)).state).toBe('disposisi.kabid');
    expect((await send(ss.kabid, id, { type: 'TELAAH' })).state).toBe('telaah.penyusunan');
    await send(ss.kasubbid, id, { type: 'AJUKAN_TELAAH' });
    expect((await send(ss.kabid, id, { type: 'TOLAK_TELAAH', catatan: 'lengkapi kronologi' })).state).toBe(
      'telaah.penyusunan',
    );
    await send(ss.petugas, id, { type: 'AJUKAN_TELAAH' });
    const approved = await send(ss.kabid, id, {
      type: 'SETUJUI_TELAAH',
      kesimpulan: 'REKOMENDASI',
      audiensi: true,
    });
    expect(approved).toMatchObject({ state: 'telaah.audiensi', category: 'TELAAH_REKOMENDASI' });
    expect((await send(ss.kasubbid, id, { type: 'AUDIENSI_SELESAI' })).state).toBe('rekomendasi.penyusunan');
    await send(ss.petugas, id, { type: 'AJUKAN_SURAT' });
    expect((await send(ss.kakanwil, id, { type: 'TOLAK_SURAT' })).state).toBe('rekomendasi.penyusunan');
    await send(ss.petugas, id, { type: 'AJUKAN_SURAT' });
    expect((await send(ss.kadiv, id, { type: 'SETUJUI_SURAT' })).state).toBe('rekomendasi.pengiriman');
    const sent = await send(ss.petugas, id, {
      type: 'KIRIM_SURAT',
      institutionIds: [polda, bupati],
      letterNumber: 'W6.HAM.01-123',
    });
    expect(sent).toMatchObject({
      state: 'menunggu_tanggapan',
      awaitingResponseFrom: [polda, bupati],
      deadline: { step: 'menunggu_tanggapan', clock: 'INSTITUSI' },
    });
    const first = await send(ss.petugas, id, {
      type: 'TANGGAPAN',
      institutionId: polda,
      summary: 'akan ditindaklanjuti',
    });
    expect(first).toMatchObject({ state: 'menunggu_tanggapan', awaitingResponseFrom: [bupati] });
    // The same institution cannot answer twice for one letter.
    await send(ss.petugas, id, { type: 'TANGGAPAN', institutionId: polda, summary: 'lagi' }, 400);
    const all = await send(ss.petugas, id, {
      type: 'TANGGAPAN',
      institutionId: bupati,
      summary: 'sudah dimediasi',
    });
    expect(all).toMatchObject({ state: 'tanggapan', allowedEvents: ['SELESAI', 'TINDAK_LANJUT_ULANG'] });
    expect((await send(ss.kabid, id, { type: 'TINDAK_LANJUT_ULANG' })).state).toBe('rekomendasi.penyusunan');
    await send(ss.petugas, id, { type: 'AJUKAN_SURAT' });
    await send(ss.kakanwil, id, { type: 'SETUJUI_SURAT' });
    await send(ss.petugas, id, {
      type: 'KIRIM_SURAT',
      institutionIds: [polda],
      letterNumber: 'W6.HAM.01-200',
    });
    await send(ss.petugas, id, { type: 'TANGGAPAN', institutionId: polda, summary: 'selesai' });
    const done = await send(ss.kabid, id, { type: 'SELESAI' });
    expect(done).toMatchObject({
      state: 'selesai',
      category: 'TELAAH_REKOMENDASI',
      allowedEvents: [],
      deadline: null,
    });
    const history = (
      await t.http().get(`/api/cases/${id}/history`).set('Authorization', `Bearer ${ss.petugas}`)
    ).body;
    expect(history).toHaveLength(23);
    expect(history.map((h: { seq: number }) => h.seq)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(history[history.length - 1]).toMatchObject({
      type: 'SELESAI',
      from: 'tanggapan',
      to: 'selesai',
      actor: { username: 'ss.kabid', roles: ['KABID'] },
    });
  });

  it('files a copy for information directly (FILE), with the reason', async () => {
    const { id } = await register({ submission: 'TEMBUSAN' });
    await send(ss.petugas, id, { type: 'DISPOSISI' });
    const filed = await send(ss.kakanwil, id, { type: 'FILE', reason: 'tembusan untuk diketahui' });
    expect(filed).toMatchObject({
      state: 'file',
      category: 'FILE',
      fileReason: 'tembusan untuk diketahui',
      allowedEvents: [],
    });
  });

  it('sends an urgent recommendation without review (REKOMENDASI), closing on a partial answer', async () => {
    const { id } = await register();
    await throughDisposition(id);
    expect((await send(ss.kabid, id, { type: 'REKOMENDASI_SEGERA' })).category).toBe('REKOMENDASI');
    await send(ss.petugas, id, { type: 'AJUKAN_SURAT' });
    await send(ss.kakanwil, id, { type: 'SETUJUI_SURAT' });
    await send(ss.petugas, id, {
      type: 'KIRIM_SURAT',
      institutionIds: [polda, bupati],
      letterNumber: 'W6-9',
    });
    // Closing needs at least one answer.
    const early = await t
      .http()
      .post(`/api/cases/${id}/events`)
      .set('Authorization', `Bearer ${ss.kabid}`)
      .send({ type: 'SELESAI' })
      .expect(409);
    expect(early.body.details.allowedEvents).toEqual(['TANGGAPAN']);
    await send(ss.petugas, id, { type: 'TANGGAPAN', institutionId: bupati, summary: 'diterima' });
    // Closing while the Polda has not answered asks what its reminders do; here they go on.
    await send(ss.kabid, id, { type: 'SELESAI' }, 400);
    const closed = await send(ss.kabid, id, { type: 'SELESAI', pengingatTerbuka: 'LANJUTKAN' });
    expect(closed).toMatchObject({ state: 'selesai', category: 'REKOMENDASI', allowedEvents: ['TANGGAPAN'] });
    // The institution that had not answered still can, and it is recorded.
    const late = await send(ss.petugas, id, {
      type: 'TANGGAPAN',
      institutionId: polda,
      summary: 'terlambat',
    });
    expect(late).toMatchObject({ state: 'selesai', awaitingResponseFrom: [], allowedEvents: [] });
  });

  it('files a reviewed case when the review concludes FILE (TELAAH_FILE)', async () => {
    const { id } = await register();
    await throughDisposition(id);
    await send(ss.kabid, id, { type: 'TELAAH' });
    await send(ss.petugas, id, { type: 'AJUKAN_TELAAH' });
    await send(ss.kabid, id, { type: 'SETUJUI_TELAAH', kesimpulan: 'FILE', audiensi: true }, 400);
    const filed = await send(ss.kabid, id, { type: 'SETUJUI_TELAAH', kesimpulan: 'FILE', audiensi: false });
    expect(filed).toMatchObject({ state: 'file', category: 'TELAAH_FILE' });
  });

  it('handles the intake rules: incomplete file, completion, not competent', async () => {
    const { id } = await register();
    const waiting = await send(ss.petugas, id, {
      type: 'BERKAS_TIDAK_LENGKAP',
      kekurangan: 'fotokopi KTP dan kronologi',
    });
    expect(waiting).toMatchObject({
      state: 'terima.menunggu_kelengkapan',
      allowedEvents: ['BERKAS_DILENGKAPI', 'DICABUT'],
      deadline: { clock: 'PENGADU' },
    });
    // DICABUT belongs to the system: no user role may send it.
    await send(ss.kakanwil, id, { type: 'DICABUT' }, 403);
    expect((await send(ss.petugas, id, { type: 'BERKAS_DILENGKAPI' })).state).toBe('terima.pemeriksaan');
    const notCompetent = await send(ss.petugas, id, {
      type: 'TIDAK_BERWENANG',
      referral: 'Komnas Perempuan',
    });
    expect(notCompetent).toMatchObject({
      state: 'file',
      category: 'FILE',
      fileReason: 'TIDAK_BERWENANG: Komnas Perempuan',
    });
  });

  it('suspends and resumes work (TUNDA/LANJUTKAN), pausing the clock', async () => {
    const { id } = await register({ receivedAt: new Date(Date.now() - 3600_000).toISOString() });
    await throughDisposition(id);
    await send(ss.kabid, id, { type: 'TELAAH' });
    const paused = await send(ss.kasubbid, id, { type: 'TUNDA', reason: 'menunggu dokumen dari pengadu' });
    expect(paused).toMatchObject({
      state: 'telaah.penyusunan',
      suspended: true,
      allowedEvents: ['LANJUTKAN'],
      deadline: { status: 'PAUSED' },
    });
    await send(ss.kasubbid, id, { type: 'AJUKAN_TELAAH' }, 409);
    const resumed = await send(ss.kasubbid, id, { type: 'LANJUTKAN' });
    expect(resumed).toMatchObject({ suspended: false, allowedEvents: ['AJUKAN_TELAAH', 'TUNDA'] });
    expect(resumed.deadline.status).not.toBe('PAUSED');
  });

  it('refuses what the rules forbid, with the documented codes', async () => {
    const { id } = await register();
    // 409: not allowed in this state, whoever sends it, with the allowed list.
    const notAllowed = await t
      .http()
      .post(`/api/cases/${id}/events`)
      .set('Authorization', `Bearer ${ss.kabid}`)
      .send({ type: 'SELESAI' })
      .expect(409);
    expect(notAllowed.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      details: { allowedEvents: ['DISPOSISI', 'LIMPAHKAN', 'BERKAS_TIDAK_LENGKAP', 'TIDAK_BERWENANG'] },
    });
    await send(ss.pemantau, id, { type: 'SELESAI' }, 409);
    // 403: allowed here, but not for this role.
    await send(ss.pemantau, id, { type: 'DISPOSISI' }, 403);
    await send(ss.kabid, id, { type: 'DISPOSISI' }, 403);
    // 400: unknown type, unknown field, bad payload, future or out-of-order time.
    const unknown = await send(ss.petugas, id, { type: 'TERBANG' }, 400);
    expect(unknown.details[0].field).toBe('type');
    const missingType = await send(ss.petugas, id, {}, 400);
    expect(missingType.details).toEqual([{ field: 'type', reason: 'wajib diisi' }]);
    const extra = await send(ss.petugas, id, { type: 'DISPOSISI', state: 'selesai' }, 400);
    expect(extra.details).toEqual([{ field: 'state', reason: 'field tidak dikenal' }]);
    const future = await send(
      ss.petugas,
      id,
      { type: 'DISPOSISI', occurredAt: new Date(Date.now() + 86400_000).toISOString() },
      400,
    );
    expect(future.details).toEqual([{ field: 'occurredAt', reason: 'tidak boleh di masa depan' }]);
    const beforeLast = await send(
      ss.petugas,
      id,
      { type: 'DISPOSISI', occurredAt: '2026-03-01T09:00:00+07:00' },
      400,
    );
    expect(beforeLast.details[0].field).toBe('occurredAt');
    const noTz = await send(ss.petugas, id, { type: 'DISPOSISI', occurredAt: '2026-03-03T09:00:00' }, 400);
    expect(noTz.details[0].field).toBe('occurredAt');
    // A wrong common field and a missing field of the event's own payload: both named in one 400.
    const both = await send(ss.petugas, id, { type: 'TIDAK_BERWENANG', occurredAt: 'kemarin' }, 400);
    expect(both.details.map((d: { field: string }) => d.field)).toEqual(['occurredAt', 'referral']);
    // A back-dated event is fine, and recorded with its own time.
    const backDated = await send(ss.petugas, id, {
      type: 'DISPOSISI',
      occurredAt: '2026-03-03T10:00:00+07:00',
    });
    expect(backDated.stepStartedAt).toBe('2026-03-03T03:00:00.000Z');
    // Officers of another unit cannot act on it even where they may see it (PUSAT).
    const pusatKakanwil = await t.user('pusat.dirjen', 'PUSAT', ['KAKANWIL']);
    await send(pusatKakanwil, id, { type: 'DISPOSISI' }, 403);
    // 404: unknown or malformed id.
    await t
      .http()
      .post('/api/cases/00000000-0000-4000-8000-000000000000/events')
      .set('Authorization', `Bearer ${ss.petugas}`)
      .send({ type: 'DISPOSISI' })
      .expect(404);
    await t.http().get('/api/cases/not-an-id').set('Authorization', `Bearer ${ss.petugas}`).expect(404);
  });

  it('answers a stale If-Match with 409 before looking at anything else', async () => {
    const { id } = await register();
    await send(ss.petugas, id, { type: 'DISPOSISI' }, 200, 1);
    const stale = await send(ss.pemantau, id, { type: 'NOT_AN_EVENT', junk: true }, 409, 1);
    expect(stale).toMatchObject({ statusCode: 409, details: { currentVersion: 2 } });
    const bad = await t
      .http()
      .post(`/api/cases/${id}/events`)
      .set('Authorization', `Bearer ${ss.kakanwil}`)
      .set('If-Match', 'abc')
      .send({ type: 'DISPOSISI' })
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'If-Match', reason: expect.any(String) }]);
  });

  it('gives one 200 and one 409 to two concurrent events on one case', async () => {
    const { id } = await register();
    const attempt = () =>
      t
        .http()
        .post(`/api/cases/${id}/events`)
        .set('Authorization', `Bearer ${ss.petugas}`)
        .set('If-Match', '"1"')
        .send({ type: 'DISPOSISI' });
    const results = await Promise.all([attempt(), attempt()]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const history = (
      await t.http().get(`/api/cases/${id}/history`).set('Authorization', `Bearer ${ss.petugas}`)
    ).body;
    expect(history.map((h: { type: string }) => h.type)).toEqual(['REGISTRASI', 'DISPOSISI']);
  });

  it('transfers a case to the centre (LIMPAHKAN): visibility moves, history stays', async () => {
    const { id } = await register();
    const pusatPetugas = await t.user('pusat.analis', 'PUSAT', ['PETUGAS']);
    const moved = await send(ss.kakanwil, id, {
      type: 'LIMPAHKAN',
      unitCode: 'PUSAT',
      catatan: 'locus nasional',
    });
    expect(moved).toMatchObject({ unitCode: 'PUSAT', state: 'terima.pemeriksaan' });
    // The regional office no longer sees it; the centre acts on it now.
    await t.http().get(`/api/cases/${id}`).set('Authorization', `Bearer ${ss.petugas}`).expect(404);
    await send(pusatPetugas, id, { type: 'DISPOSISI' });
    const history = (
      await t.http().get(`/api/cases/${id}/history`).set('Authorization', `Bearer ${pusatPetugas}`)
    ).body;
    expect(history.map((h: { type: string }) => h.type)).toEqual(['REGISTRASI', 'LIMPAHKAN', 'DISPOSISI']);
    expect(history[1].payload).toMatchObject({ unitCode: 'PUSAT', fromUnitCode: 'KANWIL-SS' });
    await send(ss.kakanwil, id, { type: 'LIMPAHKAN', unitCode: 'KANWIL-JB' }, 404);
  });
});
