import { DataSource } from 'typeorm';
import { SchedulerService } from '../src/sla/scheduler.service';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { TestSmtpServer } from './support/smtp';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe("the complainant's side: receipt, tracking code and public status", () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let ss: UnitActors;
  let send: ReturnType<typeof eventSender>;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    // The test client stands in for a proxy on loopback, so it may name the complainants' addresses.
    app = await createTestApp({
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'kanwil-sumsel@kemenkumham.example.id', TRUST_PROXY: 'loopback' },
    });
    ss = await unitActors(app, 'KANWIL-SS', 'ss');
    send = eventSender(app);
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });

  const db = () => app.app.get(DataSource);
  const register = async (overrides: Record<string, unknown> = {}) =>
    (
      await app
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint(overrides))
        .expect(201)
    ).body;
  const status = (registerNumber: string, trackingCode: string, address = '203.0.113.7') =>
    app
      .http()
      .get('/api/public/status')
      .set('X-Forwarded-For', address)
      .query({ registerNumber, trackingCode });

  it('gives a receipt with an unguessable tracking code, by mail and in the answer, stored only hashed', async () => {
    const c = await register();
    expect(c.receipt).toMatchObject({ registerNumber: c.registerNumber, statusPath: '/api/public/status' });
    expect(c.receipt.trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(c.receipt.text).toContain(c.receipt.trackingCode);

    const [{ tracking_code_hash: stored }] = await db().query(
      'SELECT tracking_code_hash FROM cases WHERE id = $1',
      [c.id],
    );
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await db().query('SELECT * FROM cases WHERE id = $1', [c.id]))).not.toContain(
      c.receipt.trackingCode,
    );

    await app.app.get(SchedulerService).tick();
    const mails = smtp.received.filter((m) => m.raw.includes(c.registerNumber));
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(['siti@example.id']);
    expect(mails[0].raw).toContain(c.receipt.trackingCode);

    // The case view never shows the code nor its hash.
    const view = (
      await app.http().get(`/api/cases/${c.id}`).set('Authorization', `Bearer ${ss.kabid}`).expect(200)
    ).body;
    expect(JSON.stringify(view)).not.toContain(c.receipt.trackingCode);
    expect(JSON.stringify(view)).not.toContain(stored);
  });

  it('shows only the stage and its dates, field by field, as the case moves', async () => {
    const c = await register({ receivedAt: '2026-03-02T09:00:00+07:00' });
    const first = (await status(c.registerNumber, c.receipt.trackingCode.toLowerCase()).expect(200)).body;
    expect(first).toEqual({
      registerNumber: c.registerNumber,
      stage: { code: 'DITERIMA', label: 'Pengaduan diterima' },
      stages: [{ code: 'DITERIMA', label: 'Pengaduan diterima', date: '2026-03-02' }],
      acceptsDocuments: false,
    });

    await send(ss.petugas, c.id, { type: 'DISPOSISI', occurredAt: '2026-03-03T10:00:00+07:00' });
    const later = (await status(c.registerNumber, c.receipt.trackingCode).expect(200)).body;
    expect(Object.keys(later).sort()).toEqual(['acceptsDocuments', 'registerNumber', 'stage', 'stages']);
    for (const s of later.stages) expect(Object.keys(s).sort()).toEqual(['code', 'date', 'label']);
    expect(later.stages.map((s: { code: string }) => s.code)).toContain('DITELAAH');
    const text = JSON.stringify(later);
    for (const secret of [
      'Siti',
      'siti@example.id',
      'Penggusuran',
      'ss.petugas',
      'ss.kabid',
      'KEPOLISIAN',
      c.id,
    ])
      expect(text).not.toContain(secret);
  });

  it('answers a wrong code exactly like an unknown number, and throttles guessing per address', async () => {
    const c = await register();
    const wrong = await status(c.registerNumber, 'AAAA-AAAA-AAAA-AAAA-AAAA', '198.51.100.1').expect(404);
    const unknown = await status('KANWIL-SS/2026/99999', 'AAAA-AAAA-AAAA-AAAA-AAAA', '198.51.100.1').expect(
      404,
    );
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.message).toBe(
      'Pengaduan dengan nomor register dan kode pelacakan tersebut tidak ditemukan',
    );

    for (let i = 0; i < 8; i++)
      await status(c.registerNumber, `GUES-S000-0000-0000-000${i}`, '198.51.100.1').expect(404);
    const refused = await status(c.registerNumber, c.receipt.trackingCode, '198.51.100.1').expect(429);
    expect(refused.body.details.retryAfterSeconds).toBeGreaterThan(0);
    // Another address is not held back by the guesser.
    await status(c.registerNumber, c.receipt.trackingCode, '198.51.100.2').expect(200);
  });

  it('validates the query and needs no account', async () => {
    const res = await app.http().get('/api/public/status').query({ registerNumber: '' }).expect(400);
    expect(res.body.details).toEqual([
      { field: 'registerNumber', reason: 'wajib diisi' },
      { field: 'trackingCode', reason: 'wajib diisi' },
    ]);
  });

  it('reissues a receipt at the desk with a new code that replaces the old one, for handlers only', async () => {
    const c = await register();
    await app
      .http()
      .post(`/api/cases/${c.id}/receipt`)
      .set('Authorization', `Bearer ${ss.pemantau}`)
      .expect(403);
    const again = (
      await app
        .http()
        .post(`/api/cases/${c.id}/receipt`)
        .set('Authorization', `Bearer ${ss.petugas}`)
        .expect(200)
    ).body;
    expect(again.trackingCode).not.toBe(c.receipt.trackingCode);
    await status(c.registerNumber, c.receipt.trackingCode, '192.0.2.50').expect(404);
    await status(c.registerNumber, again.trackingCode, '192.0.2.50').expect(200);
  });

  it('tells the complainant of each milestone once, with what to do, through the outbox', async () => {
    const c = await register({ receivedAt: '2026-03-02T09:00:00+07:00' });
    await send(ss.petugas, c.id, {
      type: 'BERKAS_TIDAK_LENGKAP',
      kekurangan: 'Fotokopi KTP dan surat kuasa',
      catatan: 'catatan internal petugas',
      occurredAt: '2026-03-03T10:00:00+07:00',
    });
    await send(ss.petugas, c.id, { type: 'BERKAS_DILENGKAPI', occurredAt: '2026-03-05T10:00:00+07:00' });
    await send(ss.petugas, c.id, {
      type: 'TIDAK_BERWENANG',
      referral: 'Komnas HAM',
      occurredAt: '2026-03-06T10:00:00+07:00',
    });
    const scheduler = app.app.get(SchedulerService);
    await scheduler.tick();
    await scheduler.tick();

    const mails = smtp.received.filter(
      (m) => m.raw.includes(c.registerNumber) && m.to.includes('siti@example.id'),
    );
    const subjects = mails.map((m) => m.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        `Tanda terima pengaduan ${c.registerNumber}`,
        `Berkas pengaduan belum lengkap: ${c.registerNumber}`,
        `Pengaduan bukan kewenangan kami: ${c.registerNumber}`,
      ]),
    );
    expect(mails).toHaveLength(3);
    const incomplete = mails.find((m) => m.subject.startsWith('Berkas'))!.raw.replace(/=\r?\n/g, '');
    expect(incomplete).toContain('Fotokopi KTP dan surat kuasa');
    expect(incomplete).toMatch(/paling lambat \d+ Maret 2026/);
    expect(incomplete).not.toContain('catatan internal');
    expect(mails.find((m) => m.subject.startsWith('Pengaduan bukan'))!.raw).toContain('Komnas HAM');
    expect(
      (await status(c.registerNumber, c.receipt.trackingCode, '192.0.2.77').expect(200)).body.stage.code,
    ).toBe('TIDAK_BERWENANG');
  });

  it("follows the unit's choice of milestones, and a complainant without email gets none", async () => {
    await app
      .http()
      .put('/api/units/KANWIL-SS/complainant-notices')
      .set('Authorization', `Bearer ${ss.kabid}`)
      .send({ milestones: [] })
      .expect(403);
    const bad = await app
      .http()
      .put('/api/units/KANWIL-SS/complainant-notices')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ milestones: ['SELESAI', 'LIBUR'] })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('milestones');
    const set = await app
      .http()
      .put('/api/units/KANWIL-SS/complainant-notices')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ milestones: ['SELESAI'] })
      .expect(200);
    expect(set.body.milestones).toEqual(['SELESAI']);
    await app
      .http()
      .put('/api/units/KANWIL-XX/complainant-notices')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ milestones: ['SELESAI'] })
      .expect(404);

    const c = await register();
    await send(ss.petugas, c.id, { type: 'TIDAK_BERWENANG', referral: 'Ombudsman' });
    const walkIn = await register({ complainant: { name: 'Budi' } });
    await send(ss.petugas, walkIn.id, { type: 'TIDAK_BERWENANG', referral: 'Ombudsman' });
    await app.app.get(SchedulerService).tick();
    expect(
      smtp.received.filter((m) => m.raw.includes(c.registerNumber) || m.raw.includes(walkIn.registerNumber)),
    ).toHaveLength(0);
  });
});

describe('the satisfaction survey and the IKM indicator', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let ss: UnitActors;
  let send: ReturnType<typeof eventSender>;
  const ADDRESS = '192.0.2.200';

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await createTestApp({
      env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://pengaduan.example.id', TRUST_PROXY: 'loopback' },
    });
    ss = await unitActors(app, 'KANWIL-SS', 'ikm');
    send = eventSender(app);
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });

  /** A complaint filed as not competent on the clock's day; returns its survey link's token. */
  const closedCase = async () => {
    const c = (
      await app
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ receivedAt: new Date(app.clock.now().getTime() - 86_400_000).toISOString() }))
        .expect(201)
    ).body;
    await send(ss.petugas, c.id, { type: 'TIDAK_BERWENANG', referral: 'Ombudsman RI' });
    await app.app.get(SchedulerService).tick();
    const mail = smtp.received.find(
      (m) => m.subject.startsWith('Pengaduan bukan') && m.raw.includes(c.registerNumber),
    )!;
    const token = /https:\/\/pengaduan\.example\.id\/survei\/([A-Za-z0-9_-]+)/.exec(
      mail.raw.replace(/=\r?\n/g, ''),
    )![1];
    return { c, token };
  };
  const answer = (token: string, answers: Record<string, number>) =>
    app.http().post(`/api/public/survey/${token}`).set('X-Forwarded-For', ADDRESS).send({ answers });
  const all = (value: number) =>
    Object.fromEntries(['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8', 'U9'].map((u) => [u, value]));

  it('invites once per closed case with a single-use link to a questionnaire that is data', async () => {
    app.clock.set('2026-01-20T10:00:00+07:00');
    const { token } = await closedCase();
    const form = (
      await app.http().get(`/api/public/survey/${token}`).set('X-Forwarded-For', ADDRESS).expect(200)
    ).body;
    expect(form.questions.map((q: { code: string }) => q.code)).toEqual([
      'U1',
      'U2',
      'U3',
      'U4',
      'U5',
      'U6',
      'U7',
      'U8',
      'U9',
    ]);
    expect(form.questions[0].element).toBe('Persyaratan');
    expect(form.scale.map((s: { value: number }) => s.value)).toEqual([1, 2, 3, 4]);
    // Each element in the national template's own words, on the same 1-4 values.
    const words = (code: string) =>
      form.questions
        .find((q: { code: string }) => q.code === code)
        .scale.map((s: { value: number; label: string }) => `${s.value} ${s.label}`);
    expect(words('U2')).toEqual(['1 Tidak mudah', '2 Kurang mudah', '3 Mudah', '4 Sangat mudah']);
    expect(words('U4')).toEqual(['1 Sangat mahal', '2 Cukup mahal', '3 Murah', '4 Gratis']);

    const bad = await answer(token, { ...all(4), U3: 5, U10: 2 }).expect(400);
    expect(bad.body.details).toEqual(
      expect.arrayContaining([
        { field: 'answers.U3', reason: 'wajib diisi dengan nilai bulat 1-4' },
        { field: 'answers.U10', reason: 'unsur tidak dikenal' },
      ]),
    );
    await answer(token, { ...all(4), U9: 3 }).expect(201);
    await answer(token, all(1)).expect(410);
    await app.http().get(`/api/public/survey/${token}`).set('X-Forwarded-For', ADDRESS).expect(410);
    await app
      .http()
      .get('/api/public/survey/AAAAAAAAAAAAAAAAAAAAAA')
      .set('X-Forwarded-For', ADDRESS)
      .expect(404);
  });

  it('computes IKM per month as the mean of responses and per year as the mean of months, by hand', async () => {
    // January: (35/9 + 3) / 2 = 3.4444...; February: 4. Year: (3.4444... + 4) / 2 = 3.7222...
    // (pooling the three responses would give 3.63: the mean of months is what the offices report).
    app.clock.set('2026-01-21T10:00:00+07:00');
    await answer((await closedCase()).token, all(3)).expect(201);
    app.clock.set('2026-02-10T10:00:00+07:00');
    await answer((await closedCase()).token, all(4)).expect(201);

    const none = (
      await app
        .http()
        .get('/api/indicators/ikm?unitCode=KANWIL-SS&year=2026')
        .set('Authorization', `Bearer ${ss.kabid}`)
        .expect(200)
    ).body;
    expect(none.display.capaian).toBe('N/A');
    await app
      .http()
      .put('/api/indicators/ikm/targets/KANWIL-SS/2026')
      .set('Authorization', `Bearer ${ss.kabid}`)
      .send({ target: 3.33 })
      .expect(403);
    const tooHigh = await app
      .http()
      .put('/api/indicators/ikm/targets/KANWIL-SS/2026')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ target: 5 })
      .expect(400);
    expect(tooHigh.body.details).toEqual([{ field: 'target', reason: 'tidak boleh lebih dari 4' }]);
    await app
      .http()
      .put('/api/indicators/ikm/targets/KANWIL-SS/2026')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ target: 3.33 })
      .expect(200);

    const ikm = (
      await app
        .http()
        .get('/api/indicators/ikm?unitCode=KANWIL-SS&year=2026')
        .set('Authorization', `Bearer ${ss.kabid}`)
        .expect(200)
    ).body;
    expect(ikm).toMatchObject({
      respondents: 3,
      nilai: 3.72,
      target: 3.33,
      capaian: 111.78,
      // Converted (×25) from the exact mean, with its grade (PermenPANRB 14/2017).
      konversi: 93.06,
      mutu: { grade: 'A', kinerja: 'Sangat Baik' },
      display: {
        nilai: '3.72',
        target: '3.33',
        capaian: '111.78%',
        konversi: '93.06',
        mutu: 'A (Sangat Baik)',
      },
    });
    expect(ikm.months[0]).toMatchObject({ month: 'B01', respondents: 2, display: '3.44' });
    expect(ikm.months[1]).toMatchObject({ month: 'B02', respondents: 1, display: '4.00' });
    expect(ikm.months[2]).toMatchObject({ month: 'B03', respondents: 0, nilai: null, display: 'N/A' });
    expect(ikm.months.reduce((s: number, m: { respondents: number }) => s + m.respondents, 0)).toBe(
      ikm.respondents,
    );

    const january = (
      await app
        .http()
        .get('/api/indicators/ikm/responses?unitCode=KANWIL-SS&year=2026&month=B01')
        .set('Authorization', `Bearer ${ss.kabid}`)
        .expect(200)
    ).body;
    expect(january.map((r: { score: number }) => r.score).sort()).toEqual([3, 3.8889]);

    const csv = (
      await app
        .http()
        .get('/api/indicators/ikm?unitCode=KANWIL-SS&year=2026&format=csv')
        .set('Authorization', `Bearer ${ss.kabid}`)
        .expect(200)
    ).text;
    expect(csv).toContain('INDEKS KEPUASAN MASYARAKAT');
    expect(csv).toContain('Januari,2,3.44');
    expect(csv).toContain('TAHUN,3,3.72');

    // A walk-in without email: the desk prints an invitation; a new one replaces an unused one.
    const walkIn = (
      await app
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ receivedAt: '2026-02-09T09:00:00+07:00', complainant: { name: 'Budi' } }))
        .expect(201)
    ).body;
    const invite = () =>
      app
        .http()
        .post(`/api/cases/${walkIn.id}/survey-invitation`)
        .set('Authorization', `Bearer ${ss.petugas}`);
    expect((await invite().expect(400)).body.details).toEqual([
      { field: 'state', reason: 'survei hanya untuk pengaduan yang sudah selesai atau ditutup' },
    ]);
    await send(ss.petugas, walkIn.id, { type: 'TIDAK_BERWENANG', referral: 'Ombudsman RI' });
    await app
      .http()
      .post(`/api/cases/${walkIn.id}/survey-invitation`)
      .set('Authorization', `Bearer ${ss.pemantau}`)
      .expect(403);
    const first = (await invite().expect(200)).body;
    const printed = (await invite().expect(200)).body;
    expect(printed.text).toContain(printed.url);
    const token = (url: string) => url.split('/').pop()!;
    await app
      .http()
      .get(`/api/public/survey/${token(first.url)}`)
      .set('X-Forwarded-For', ADDRESS)
      .expect(404);
    await answer(token(printed.url), all(4)).expect(201);
    await invite().expect(410);

    // A complainant with email keeps the emailed link: no desk invitation unless asked for at the
    // desk (recorded), and the emailed link still works beside it until one of them is used.
    const { c: mailed, token: emailed } = await closedCase();
    const desk = (payload: object) =>
      app
        .http()
        .post(`/api/cases/${mailed.id}/survey-invitation`)
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(payload);
    expect((await desk({}).expect(409)).body.message).toContain('memintanya di loket');
    const asked = (await desk({ requestedAtDesk: true }).expect(200)).body;
    await app.http().get(`/api/public/survey/${emailed}`).set('X-Forwarded-For', ADDRESS).expect(200);
    await answer(emailed, all(3)).expect(201);
    await app
      .http()
      .get(`/api/public/survey/${token(asked.url)}`)
      .set('X-Forwarded-For', ADDRESS)
      .expect(410);
    const recorded = await app.app
      .get(DataSource)
      .query(`SELECT details FROM audit_log WHERE action = 'SURVEY_DESK_INVITATION' AND entity_id = $1`, [
        mailed.id,
      ]);
    expect(recorded).toEqual([{ details: { requestedAtDesk: true, complainantHasEmail: true } }]);

    // Responses are shown to the unit without their case, with their channel; ADMIN alone opens one, audited.
    const responses = (
      await app
        .http()
        .get('/api/indicators/ikm/responses?unitCode=KANWIL-SS&year=2026')
        .set('Authorization', `Bearer ${ss.kabid}`)
        .expect(200)
    ).body;
    expect(JSON.stringify(responses)).not.toContain(mailed.id);
    expect(JSON.stringify(responses)).not.toContain(mailed.registerNumber);
    expect(responses.map((r: { channel: string }) => r.channel).sort()).toEqual([
      'LOKET',
      'SUREL',
      'SUREL',
      'SUREL',
      'SUREL',
    ]);
    const mine = responses[responses.length - 1];
    await app
      .http()
      .get(`/api/indicators/ikm/responses/${mine.id}/case`)
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(403);
    const opened = (
      await app
        .http()
        .get(`/api/indicators/ikm/responses/${mine.id}/case`)
        .set('Authorization', `Bearer ${app.adminToken}`)
        .expect(200)
    ).body;
    expect(opened).toEqual({ caseId: mailed.id, registerNumber: mailed.registerNumber });
    const openings = await app.app
      .get(DataSource)
      .query(`SELECT actor_username FROM audit_log WHERE action = 'IKM_RESPONSE_OPENED'`);
    expect(openings).toEqual([{ actor_username: 'admin' }]);

    const other = await app.user('ikm.jt', 'KANWIL-JT', ['KABID']);
    await app
      .http()
      .get('/api/indicators/ikm?unitCode=KANWIL-SS&year=2026')
      .set('Authorization', `Bearer ${other}`)
      .expect(404);
  });
});
