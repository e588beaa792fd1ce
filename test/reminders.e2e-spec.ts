import { SchedulerService } from '../src/sla/scheduler.service';
import { eventSender } from './support/actors';
import { TestSmtpServer } from './support/smtp';
import { complaint, createTestApp, TestClock, type TestApp } from './support/test-app';

/** Monday 1 April 2024, 09:00 WIB. A letter sent then is due at the end of 28 May (30 working days). */
const START = '2024-04-01T09:00:00+07:00';

describe('reminders to institutions that owe a response', () => {
  let smtp: TestSmtpServer;
  let clock: TestClock;
  let a: TestApp;
  let b: TestApp;
  const t: Record<string, string> = {};
  let mabes: string;
  let polda: string;
  let pemkab: string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    clock = new TestClock();
    clock.set(START);
    const env = {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'kanwil-sumsel@kemenkumham.example.id',
      SCHEDULER_INTERVAL_MS: '1000',
    };
    a = await createTestApp({ clock, env });
    b = await createTestApp({ clock, env, databaseUrl: a.databaseUrl });
    for (const [name, role] of [
      ['petugas', 'PETUGAS'],
      ['kabid', 'KABID'],
      ['kadiv', 'KADIV'],
      ['kakanwil', 'KAKANWIL'],
    ] as const) {
      t[name] = await a.user(`ss.${name}`, 'KANWIL-SS', [role], `${name}@sumsel.example.id`);
    }
    const inst = async (body: object) =>
      (
        await a
          .http()
          .post('/api/institutions')
          .set('Authorization', `Bearer ${t.petugas}`)
          .send(body)
          .expect(201)
      ).body.id;
    mabes = await inst({
      name: 'Kepolisian Negara Republik Indonesia',
      email: 'humas@polri.example.id',
      type: 'KEPOLISIAN',
    });
    polda = await inst({
      name: 'Kepolisian Daerah Sumatera Selatan',
      email: 'humas@polda-sumsel.example.id',
      extraEmails: ['bidkum@polda-sumsel.example.id'],
      parentId: mabes,
      type: 'KEPOLISIAN',
      provinceCode: 'ID-SS',
    });
    pemkab = await inst({
      name: 'Pemerintah Kabupaten Ogan Ilir',
      email: 'setda@oganilir.example.id',
      type: 'PEMERINTAH_DAERAH',
      provinceCode: 'ID-SS',
    });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await smtp.stop();
  });

  const tickBoth = () =>
    Promise.all([a.app.get(SchedulerService).tick(), b.app.get(SchedulerService).tick()]);
  const mailsFor = (registerNumber: string) => smtp.received.filter((m) => m.raw.includes(registerNumber));

  /** A confidential complaint taken to the institutions' step, the letter sent at `sentAt`. */
  async function toInstitutions(institutionIds: string[], sentAt?: string) {
    const send = eventSender(a);
    const created = (
      await a
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${t.petugas}`)
        .send(
          complaint({
            receivedAt: START,
            complainant: { name: 'Pelapor Rahasia Sekali', confidential: true },
          }),
        )
        .expect(201)
    ).body;
    await send(t.petugas, created.id, { type: 'DISPOSISI', occurredAt: START });
    await send(t.kakanwil, created.id, { type: 'DISPOSISI', occurredAt: START });
    await send(t.kadiv, created.id, { type: 'DISPOSISI', occurredAt: START });
    await send(t.kabid, created.id, { type: 'REKOMENDASI_SEGERA', occurredAt: START });
    await send(t.petugas, created.id, { type: 'AJUKAN_SURAT', occurredAt: START });
    await send(t.kakanwil, created.id, { type: 'SETUJUI_SURAT', occurredAt: START });
    await send(t.petugas, created.id, {
      type: 'KIRIM_SURAT',
      institutionIds,
      letterNumber: `W6.HAM.04-${created.registerNumber.slice(-3)}`,
      occurredAt: sentAt ?? START,
    });
    return created as { id: string; registerNumber: string };
  }

  it('opens a dispatch per institution, sends nothing to a fresh one, and reminds on schedule until it answers', async () => {
    clock.set(START);
    const c = await toInstitutions([polda, pemkab]);
    const view = (
      await a.http().get(`/api/cases/${c.id}`).set('Authorization', `Bearer ${t.kabid}`).expect(200)
    ).body;
    expect(view.dispatches).toHaveLength(2);
    expect(view.dispatches[0]).toMatchObject({
      status: 'MENUNGGU',
      dueAt: '2024-05-28T16:59:59.999Z',
      reminders: [],
    });

    clock.set('2024-04-02T09:00:00+07:00');
    await tickBoth();
    expect(mailsFor(c.registerNumber)).toEqual([]);

    // Notice, 5 working days before the due date: Friday 17 May, office opening.
    clock.set('2024-05-17T07:59:00+07:00');
    await tickBoth();
    expect(mailsFor(c.registerNumber)).toEqual([]);
    clock.set('2024-05-17T09:00:00+07:00');
    smtp.refuseNext(1);
    await Promise.all([tickBoth(), tickBoth()]);
    clock.advance(5_000);
    await tickBoth();
    let mails = mailsFor(c.registerNumber);
    expect(mails.map((m) => m.to.sort().join(','))).toEqual(
      expect.arrayContaining([
        'bidkum@polda-sumsel.example.id,humas@polda-sumsel.example.id',
        'setda@oganilir.example.id',
      ]),
    );
    expect(mails).toHaveLength(2);
    const notice = mails.find((m) => m.to.includes('humas@polda-sumsel.example.id'))!;
    expect(notice.subject).toContain('Pemberitahuan batas waktu tanggapan atas surat W6.HAM.04-');
    expect(notice.raw).toContain(c.registerNumber);
    expect(notice.raw).toContain('28 Mei 2024');
    expect(notice.raw).toContain('1 April 2024');
    expect(notice.raw).not.toContain('Pelapor Rahasia');

    // The regency answers; from now on nothing goes to it.
    clock.set('2024-05-20T10:00:00+07:00');
    await eventSender(a)(t.petugas, c.id, {
      type: 'TANGGAPAN',
      institutionId: pemkab,
      summary: 'sudah dimediasi',
    });

    clock.set('2024-05-28T09:00:00+07:00');
    await tickBoth();
    clock.set('2024-06-11T09:00:00+07:00');
    await tickBoth();
    await tickBoth();
    mails = mailsFor(c.registerNumber);
    const stage = (subject: string) =>
      subject.split(/[: ]/)[0] + (subject.startsWith('Pengingat') ? ` ${subject.split(/[ :]/)[1]}` : '');
    expect(mails.map((m) => stage(m.subject))).toEqual([
      'Pemberitahuan',
      'Pemberitahuan',
      'Pengingat I',
      'Pengingat II',
    ]);
    expect(mails.filter((m) => m.to.includes('setda@oganilir.example.id'))).toHaveLength(1);

    // Escalation, 20 working days after the due date (Idul Adha on 17-18 June): Thursday 11 July.
    clock.set('2024-07-11T09:00:00+07:00');
    await Promise.all([tickBoth(), tickBoth()]);
    mails = mailsFor(c.registerNumber);
    const escalations = mails.filter((m) => m.subject.startsWith('Eskalasi'));
    expect(escalations.map((m) => m.to.sort().join(',')).sort()).toEqual([
      'humas@polri.example.id',
      'kabid@sumsel.example.id,kadiv@sumsel.example.id,kakanwil@sumsel.example.id',
    ]);
    expect(mails.filter((m) => m.to.includes('humas@polda-sumsel.example.id'))).toHaveLength(3);
    const notes = (
      await a.http().get('/api/notifications').set('Authorization', `Bearer ${t.kadiv}`)
    ).body.filter((n: { caseId: string }) => n.caseId === c.id);
    expect(notes).toEqual([expect.objectContaining({ kind: 'TANGGAPAN_TERLAMBAT' })]);

    const after = (
      await a.http().get(`/api/cases/${c.id}`).set('Authorization', `Bearer ${t.kabid}`).expect(200)
    ).body;
    const byInstitution = Object.fromEntries(
      after.dispatches.map((d: { institutionId: string }) => [d.institutionId, d]),
    );
    expect(byInstitution[pemkab]).toMatchObject({
      status: 'DITANGGAPI',
      reminders: [{ stage: 'PEMBERITAHUAN', addressee: 'INSTITUSI', mailStatus: 'SENT' }],
    });
    expect(
      byInstitution[polda].reminders.map(
        (r: { stage: string; addressee: string }) => `${r.stage}/${r.addressee}`,
      ),
    ).toEqual([
      'PEMBERITAHUAN/INSTITUSI',
      'PENGINGAT_I/INSTITUSI',
      'PENGINGAT_II/INSTITUSI',
      'ESKALASI/INDUK',
      'ESKALASI/PIMPINAN',
    ]);
    // The refused first attempt is kept beside the successful one.
    const outbox = (
      await a.http().get(`/api/outbox?caseId=${c.id}&pageSize=50`).set('Authorization', `Bearer ${t.kabid}`)
    ).body.items;
    expect(outbox.every((m: { status: string }) => m.status === 'SENT')).toBe(true);
    expect(outbox.some((m: { attempts: number }) => m.attempts === 2)).toBe(true);
  });

  it('gives a back-dated dispatch only the latest stage per addressee, once, not a burst', async () => {
    clock.set(START);
    const send = eventSender(a);
    const c = await toInstitutions([pemkab]);
    // The same case, a second letter to the police recorded only in mid-July: everything is overdue.
    await send(t.petugas, c.id, {
      type: 'TANGGAPAN',
      institutionId: pemkab,
      summary: 'belum memadai',
      occurredAt: START,
    });
    await send(t.kabid, c.id, { type: 'TINDAK_LANJUT_ULANG', occurredAt: START });
    await send(t.petugas, c.id, { type: 'AJUKAN_SURAT', occurredAt: START });
    await send(t.kakanwil, c.id, { type: 'SETUJUI_SURAT', occurredAt: START });
    clock.set('2024-07-15T09:00:00+07:00');
    await send(t.petugas, c.id, {
      type: 'KIRIM_SURAT',
      institutionIds: [polda],
      letterNumber: 'W6.HAM.04-777',
      occurredAt: '2024-04-01T10:00:00+07:00',
    });
    const before = mailsFor('W6.HAM.04-777').length;
    await Promise.all([tickBoth(), tickBoth()]);
    await tickBoth();
    const mails = mailsFor('W6.HAM.04-777').slice(before);
    expect(mails.map((m) => `${m.subject.split(':')[0]} -> ${m.to.sort().join(',')}`).sort()).toEqual([
      'Eskalasi -> humas@polri.example.id',
      'Eskalasi -> kabid@sumsel.example.id,kadiv@sumsel.example.id,kakanwil@sumsel.example.id',
      'Pengingat II -> bidkum@polda-sumsel.example.id,humas@polda-sumsel.example.id',
    ]);
  });

  it('mails the signed letter to each institution under a cover text, and again with its reminders', async () => {
    clock.set(START);
    const send = eventSender(a);
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
    const created = (
      await a
        .http()
        .post('/api/cases')
        .set(auth(t.petugas))
        .send(
          complaint({
            receivedAt: START,
            complainant: { name: 'Pelapor Surat Rahasia', confidential: true },
          }),
        )
        .expect(201)
    ).body as { id: string; registerNumber: string };
    for (const [who, type] of [
      ['petugas', 'DISPOSISI'],
      ['kakanwil', 'DISPOSISI'],
      ['kadiv', 'DISPOSISI'],
      ['kabid', 'REKOMENDASI_SEGERA'],
      ['petugas', 'AJUKAN_SURAT'],
      ['kakanwil', 'SETUJUI_SURAT'],
    ] as const)
      await send(t[who], created.id, { type });
    const pdf = Buffer.from('%PDF-1.4\n% surat rekomendasi bertanda tangan\n%%EOF\n');
    const upload = async (content: Buffer, filename: string, contentType: string, caseId = created.id) =>
      (
        await a
          .http()
          .post(`/api/cases/${caseId}/attachments`)
          .set(auth(t.petugas))
          .attach('file', content, { filename, contentType })
          .expect(201)
      ).body.id as string;
    const letter = await upload(pdf, 'surat-rekomendasi.pdf', 'application/pdf');
    const note = await upload(Buffer.from('bukan surat'), 'catatan.txt', 'text/plain');
    const other = (
      await a
        .http()
        .post('/api/cases')
        .set(auth(t.petugas))
        .send(complaint({ receivedAt: START }))
        .expect(201)
    ).body.id as string;
    const foreign = await upload(pdf, 'surat-lain.pdf', 'application/pdf', other);
    const kirim = { type: 'KIRIM_SURAT', institutionIds: [polda, pemkab], letterNumber: 'W6.HAM.04-777' };
    for (const [letterAttachmentId, reason] of [
      [note, 'surat bertanda tangan harus berkas PDF'],
      [foreign, 'bukan lampiran kasus ini'],
      ['bukan-id', 'UUID'],
    ]) {
      const refused = await a
        .http()
        .post(`/api/cases/${created.id}/events`)
        .set(auth(t.petugas))
        .send({ ...kirim, letterAttachmentId })
        .expect(400);
      expect(refused.body.details).toEqual([
        expect.objectContaining({ field: 'letterAttachmentId', reason: expect.stringContaining(reason) }),
      ]);
    }
    await send(t.petugas, created.id, { ...kirim, letterAttachmentId: letter });

    await tickBoth();
    const letters = smtp.received.filter((m) => m.subject.startsWith('Surat rekomendasi W6.HAM.04-777'));
    expect(letters.map((m) => m.to.sort().join(',')).sort()).toEqual([
      'bidkum@polda-sumsel.example.id,humas@polda-sumsel.example.id',
      'setda@oganilir.example.id',
    ]);
    for (const mail of letters) {
      expect(mail.raw).toContain('application/pdf');
      expect(mail.raw).toContain('surat-rekomendasi.pdf');
      expect(mail.raw.replace(/\r?\n/g, '')).toContain(pdf.toString('base64'));
      expect(mail.raw).toContain(created.registerNumber);
      expect(mail.raw).toContain('28 Mei 2024');
      expect(mail.raw).not.toContain('Pelapor Surat Rahasia');
    }
    const view = (await a.http().get(`/api/cases/${created.id}`).set(auth(t.kabid)).expect(200)).body;
    expect(view.dispatches.map((d: { letterAttachmentId: string; letterMailStatus: string }) => d)).toEqual([
      expect.objectContaining({ letterAttachmentId: letter, letterMailStatus: 'SENT' }),
      expect.objectContaining({ letterAttachmentId: letter, letterMailStatus: 'SENT' }),
    ]);
    const outbox = (await a.http().get(`/api/outbox?caseId=${created.id}`).set(auth(t.kabid)).expect(200))
      .body.items;
    expect(outbox.filter((m: { kind: string }) => m.kind === 'SURAT_REKOMENDASI')).toEqual([
      expect.objectContaining({
        attachment: expect.objectContaining({ id: letter, fileName: 'surat-rekomendasi.pdf' }),
      }),
      expect.objectContaining({
        attachment: expect.objectContaining({ id: letter, fileName: 'surat-rekomendasi.pdf' }),
      }),
    ]);
    // A second sweep sends nothing twice.
    await tickBoth();
    expect(smtp.received.filter((m) => m.subject.startsWith('Surat rekomendasi W6.HAM.04-777'))).toHaveLength(
      2,
    );

    // The notice before the deadline carries the letter again and says so.
    clock.set('2024-05-17T09:00:00+07:00');
    await tickBoth();
    clock.advance(5_000);
    await tickBoth();
    const notices = smtp.received.filter(
      (m) => m.subject.startsWith('Pemberitahuan') && m.subject.includes('W6.HAM.04-777'),
    );
    expect(notices).toHaveLength(2);
    for (const mail of notices) {
      expect(mail.raw.replace(/\r?\n/g, '')).toContain(pdf.toString('base64'));
      expect(mail.raw.replace(/=\r?\n/g, '')).toContain('lampirkan kembali');
    }
  });

  it("lets admins edit and preview the letters and set a unit's schedule, validated", async () => {
    const bad = await a
      .http()
      .put('/api/letter-templates/PENGINGAT_I')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({
        subject: 'Pengingat {{nomorSurat}}',
        bodyText: 'Yth. {{penerima}}, nama pengadu {{namaPengadu}}.',
      })
      .expect(400);
    expect(bad.body.details).toEqual([
      { field: 'bodyText', reason: 'placeholder tidak dikenal: {{namaPengadu}}' },
    ]);
    await a
      .http()
      .put('/api/letter-templates/PENGINGAT_I')
      .set('Authorization', `Bearer ${t.kabid}`)
      .send({ subject: 'x x x', bodyText: 'y y y y y y y y y y' })
      .expect(403);
    await a
      .http()
      .put('/api/letter-templates/PENGINGAT_I')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({
        subject: 'Pengingat pertama atas surat {{nomorSurat}}',
        bodyText: 'Kepada Yth. {{penerima}}\n\nBatas waktu tanggapan: {{tenggat}}.\n\n{{unit}}',
      })
      .expect(200);
    const preview = await a
      .http()
      .post('/api/letter-templates/PENGINGAT_I/preview')
      .set('Authorization', `Bearer ${t.petugas}`)
      .send({})
      .expect(200);
    expect(preview.body.subject).toBe('Pengingat pertama atas surat W.HAM.01-123');
    expect(preview.body.html).toContain('<p>Kepada Yth. Pimpinan Kepolisian Daerah Contoh</p>');
    const templates = (
      await a.http().get('/api/letter-templates').set('Authorization', `Bearer ${t.petugas}`)
    ).body;
    expect(templates.map((x: { stage: string }) => x.stage)).toEqual([
      'ESKALASI',
      'PEMBERITAHUAN',
      'PENGANTAR_SURAT',
      'PENGINGAT_I',
      'PENGINGAT_II',
    ]);

    const wrong = await a
      .http()
      .put('/api/units/KANWIL-SS/reminder-schedule')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({
        stages: [
          { code: 'PENGINGAT_I', offsetDays: 0, addressees: ['INSTITUSI'] },
          { code: 'SURAT_CINTA', offsetDays: 0, addressees: ['TETANGGA'] },
        ],
      })
      .expect(400);
    expect(wrong.body.details.map((d: { field: string }) => d.field)).toEqual(['stages[1].addressees']);
    const unordered = await a
      .http()
      .put('/api/units/KANWIL-SS/reminder-schedule')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({
        stages: [
          { code: 'PENGINGAT_I', offsetDays: 0, addressees: ['INSTITUSI'] },
          { code: 'ESKALASI', offsetDays: 0, addressees: ['PIMPINAN'] },
        ],
      })
      .expect(400);
    expect(unordered.body.details).toEqual([
      { field: 'stages[1].offsetDays', reason: 'harus lebih besar dari tahap sebelumnya' },
    ]);
    const ok = await a
      .http()
      .put('/api/units/KANWIL-JB/reminder-schedule')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({
        stages: [
          { code: 'PENGINGAT_I', offsetDays: 0, addressees: ['INSTITUSI'] },
          { code: 'ESKALASI', offsetDays: 5, addressees: ['INDUK', 'PIMPINAN'] },
        ],
      })
      .expect(200);
    expect(ok.body.stages).toHaveLength(2);
    expect(
      (
        await a
          .http()
          .get('/api/units/KANWIL-JB/reminder-schedule')
          .set('Authorization', `Bearer ${a.adminToken}`)
      ).body.stages[1],
    ).toEqual({ code: 'ESKALASI', offsetDays: 5, addressees: ['INDUK', 'PIMPINAN'] });
  });

  it('keeps one registry of institutions: duplicates refused, searchable, editable', async () => {
    const dup = await a
      .http()
      .post('/api/institutions')
      .set('Authorization', `Bearer ${t.petugas}`)
      .send({ name: 'KEPOLISIAN DAERAH  Sumatera-Selatan.', email: 'x@example.id' })
      .expect(409);
    expect(dup.body.details).toEqual({ existingId: polda });
    const found = (
      await a.http().get('/api/institutions?q=sumatera%20selatan').set('Authorization', `Bearer ${t.petugas}`)
    ).body;
    expect(found.map((i: { id: string }) => i.id)).toEqual([polda]);
    // Addresses decide where letters go: the registering unit's supervisors change them, not any officer.
    await a
      .http()
      .patch(`/api/institutions/${pemkab}`)
      .set('Authorization', `Bearer ${t.petugas}`)
      .send({ extraEmails: ['bupati@oganilir.example.id'] })
      .expect(403);
    const patched = await a
      .http()
      .patch(`/api/institutions/${pemkab}`)
      .set('Authorization', `Bearer ${t.kabid}`)
      .send({ extraEmails: ['bupati@oganilir.example.id'] })
      .expect(200);
    expect(patched.body).toMatchObject({
      id: pemkab,
      extraEmails: ['bupati@oganilir.example.id'],
      email: 'setda@oganilir.example.id',
    });
    const badType = await a
      .http()
      .patch(`/api/institutions/${pemkab}`)
      .set('Authorization', `Bearer ${t.kabid}`)
      .send({ type: 'ALIEN', parentId: pemkab })
      .expect(400);
    expect(badType.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['parentId', 'type']);
  });

  it('survives a sender killed mid-send and a mail server that is down for a while', async () => {
    const { Client } = await import('pg');
    const db = new Client({ connectionString: a.databaseUrl });
    await db.connect();
    clock.set(START);
    const c = await toInstitutions([pemkab]);
    // The mail server goes down before the notice is due.
    const port = smtp.port;
    await smtp.stop();
    clock.set('2024-05-17T09:00:00+07:00');
    await tickBoth();
    const [queued] = (
      await db.query(`SELECT id, status, attempts, last_error FROM outbox_messages WHERE case_id = $1`, [
        c.id,
      ])
    ).rows;
    expect(queued).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(queued.last_error).toMatch(/ECONNREFUSED|connect/i);
    await smtp.start(port);

    // A sender took the message and died: its lease (by the database's clock) is still running,
    // so no one else sends it...
    await db.query(
      `UPDATE outbox_messages SET status = 'SENDING', lease_holder = gen_random_uuid(),
              lease_until = clock_timestamp() + interval '1 hour' WHERE id = $1`,
      [queued.id],
    );
    clock.advance(90_000);
    await tickBoth();
    expect(mailsFor(c.registerNumber)).toHaveLength(0);
    // ...until the lease runs out; then exactly one instance sends it, once.
    await db.query(
      `UPDATE outbox_messages SET lease_until = clock_timestamp() - interval '1 second' WHERE id = $1`,
      [queued.id],
    );
    await Promise.all([tickBoth(), tickBoth()]);
    await tickBoth();
    expect(mailsFor(c.registerNumber)).toHaveLength(1);
    const after = (await db.query(`SELECT status, attempts FROM outbox_messages WHERE id = $1`, [queued.id]))
      .rows[0];
    expect(after).toEqual({ status: 'SENT', attempts: 2 });
    const attempts = (
      await db.query(`SELECT outcome FROM outbox_attempts WHERE message_id = $1 ORDER BY started_at`, [
        queued.id,
      ])
    ).rows.map((r) => r.outcome);
    expect(attempts).toEqual(['FAILED', 'SENT']);

    // An officer resends it by hand: the same letter, the same Message-ID, recorded as a new attempt.
    await a
      .http()
      .post(`/api/outbox/${queued.id}/resend`)
      .set('Authorization', `Bearer ${t.kakanwil}`)
      .expect(403);
    const resent = await a
      .http()
      .post(`/api/outbox/${queued.id}/resend`)
      .set('Authorization', `Bearer ${t.petugas}`)
      .expect(201);
    expect(resent.body.status).toBe('PENDING');
    await tickBoth();
    const both = mailsFor(c.registerNumber);
    expect(both).toHaveLength(2);
    expect(both[1].messageId).toBe(both[0].messageId);
    const detail = (
      await a.http().get(`/api/outbox/${queued.id}`).set('Authorization', `Bearer ${t.petugas}`)
    ).body;
    expect(detail).toMatchObject({ status: 'SENT', attempts: 3 });
    await db.end();
  });
});
