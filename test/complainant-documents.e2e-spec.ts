import { DataSource } from 'typeorm';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

/**
 * The written side of an incomplete file: the complainant sends the missing documents from the
 * status page, the desk sees them on the case, and a complainant without email gets a printable
 * letter saying when the case withdraws itself. A paused step says what is left and who resumes it.
 */
describe('the missing documents, the written notice and the paused clock', () => {
  let app: TestApp;
  let ss: UnitActors;
  let send: ReturnType<typeof eventSender>;

  beforeAll(async () => {
    app = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    ss = await unitActors(app, 'KANWIL-SS', 'ss');
    send = eventSender(app);
  });
  afterAll(() => app.close());

  const register = async (overrides: Record<string, unknown> = {}) =>
    (
      await app
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint(overrides))
        .expect(201)
    ).body as { id: string; registerNumber: string; receipt: { trackingCode: string } };
  const pdf = Buffer.from('%PDF-1.4\n% fotokopi KTP\n%%EOF\n');
  const upload = (
    fields: { registerNumber: string; trackingCode: string; description?: string },
    file: { content: Buffer; filename: string; contentType: string } | null,
    address = '198.51.100.20',
  ) => {
    let req = app.http().post('/api/public/documents').set('X-Forwarded-For', address);
    for (const [key, value] of Object.entries(fields)) req = req.field(key, value);
    if (file)
      req = req.attach('file', file.content, { filename: file.filename, contentType: file.contentType });
    return req;
  };

  it("takes the complainant's documents only while the file waits for them, bounded and typed by content", async () => {
    const c = await register({
      complainant: { name: 'Rahmat Hidayat', address: 'Jl. Kenanga 7, Prabumulih' },
    });
    const mine = { registerNumber: c.registerNumber.toLowerCase(), trackingCode: c.receipt.trackingCode };
    const asPdf = { content: pdf, filename: 'ktp.pdf', contentType: 'application/pdf' };

    // Not waiting for documents yet: refused, nothing stored.
    const early = await upload(mine, asPdf).expect(409);
    expect(early.body.message).toContain('tidak sedang menunggu kelengkapan');

    await send(ss.petugas, c.id, {
      type: 'BERKAS_TIDAK_LENGKAP',
      kekurangan: 'Fotokopi KTP dan surat kuasa',
    });
    const status = await app
      .http()
      .get('/api/public/status')
      .set('X-Forwarded-For', '198.51.100.20')
      .query(mine)
      .expect(200);
    expect(status.body).toMatchObject({ acceptsDocuments: true, stage: { code: 'MENUNGGU_KELENGKAPAN' } });

    // A wrong code spends a try and answers as an unknown number does.
    await upload({ ...mine, trackingCode: 'AAAA-BBBB-CCCC-DDDD-EEEE' }, asPdf).expect(404);
    // Missing fields are named.
    const bare = await upload({ registerNumber: c.registerNumber } as never, asPdf).expect(400);
    expect(bare.body.details).toEqual([expect.objectContaining({ field: 'trackingCode' })]);
    const none = await upload(mine, null).expect(400);
    expect(none.body.details).toEqual([expect.objectContaining({ field: 'file' })]);
    // A page or a program declared as a PDF is refused by its content.
    const html = await upload(mine, {
      content: Buffer.from('<html><script>alert(1)</script></html>'),
      filename: 'ktp.pdf',
      contentType: 'application/pdf',
    }).expect(400);
    expect(html.body.details).toEqual([
      { field: 'file', reason: 'hanya berkas PDF, JPG atau PNG yang dapat diterima' },
    ]);
    const big = await upload(mine, {
      content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5 * 1024 * 1024)]),
      filename: 'besar.pdf',
      contentType: 'application/pdf',
    }).expect(413);
    expect(big.body.message).toBe('Berkas terlalu besar untuk diunggah');

    const sent = await upload({ ...mine, description: 'KTP dan surat kuasa' }, asPdf).expect(201);
    expect(sent.body).toMatchObject({
      registerNumber: c.registerNumber,
      fileName: 'ktp.pdf',
      contentType: 'application/pdf',
    });
    expect(JSON.stringify(sent.body)).not.toContain('Rahmat');
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('gambar'),
    ]);
    // Declared as anything, stored as what it is.
    await upload(mine, {
      content: png,
      filename: 'kuasa.png',
      contentType: 'application/octet-stream',
    }).expect(201);

    // The desk sees both on the case, marked as the complainant's, and is told.
    const attachments = (
      await app
        .http()
        .get(`/api/cases/${c.id}/attachments`)
        .set('Authorization', `Bearer ${ss.petugas}`)
        .expect(200)
    ).body;
    expect(attachments).toEqual([
      expect.objectContaining({
        fileName: 'ktp.pdf',
        source: 'PENGADU',
        description: 'KTP dan surat kuasa',
        uploadedBy: { id: null, username: 'pengadu' },
      }),
      expect.objectContaining({ fileName: 'kuasa.png', source: 'PENGADU', contentType: 'image/png' }),
    ]);
    const download = await app
      .http()
      .get(`/api/cases/${c.id}/attachments/${attachments[0].id}`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .expect(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.headers['content-security-policy']).toContain('sandbox');
    const notes = (await app.http().get('/api/notifications').set('Authorization', `Bearer ${ss.petugas}`))
      .body;
    expect(
      notes.filter(
        (n: { caseId: string; kind: string }) => n.caseId === c.id && n.kind === 'KELENGKAPAN_BERKAS',
      ),
    ).toHaveLength(2);

    // At most ten from the complainant per case.
    for (let i = 2; i < 10; i += 1) await upload(mine, asPdf).expect(201);
    const eleventh = await upload(mine, asPdf).expect(400);
    expect(eleventh.body.details[0]).toMatchObject({
      field: 'file',
      reason: expect.stringContaining('paling banyak 10'),
    });

    // Once the desk records the file complete, uploads stop.
    await send(ss.petugas, c.id, { type: 'BERKAS_DILENGKAPI' });
    await upload(mine, asPdf).expect(409);
  });

  it('prints the notice for a complainant without email, says when the case withdraws itself, and audits it', async () => {
    const c = await register({ complainant: { name: 'Wati Susanti', address: 'Dusun II, Ogan Ilir' } });
    const view = (
      await app.http().get(`/api/cases/${c.id}`).set('Authorization', `Bearer ${ss.petugas}`).expect(200)
    ).body;
    expect(view.complainant).toEqual({ hidden: true, confidential: false, hasEmail: false });
    await app
      .http()
      .get(`/api/cases/${c.id}/complainant-letter`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .expect(404);

    await send(ss.petugas, c.id, { type: 'BERKAS_TIDAK_LENGKAP', kekurangan: 'Surat keterangan domisili' });
    const deadline = (
      await app
        .http()
        .get(`/api/cases/${c.id}/deadline`)
        .set('Authorization', `Bearer ${ss.petugas}`)
        .expect(200)
    ).body.deadline;
    expect(deadline).toMatchObject({ clock: 'PENGADU', limit: { hari: 10 } });
    const letter = (
      await app
        .http()
        .get(`/api/cases/${c.id}/complainant-letter`)
        .set('Authorization', `Bearer ${ss.petugas}`)
        .expect(200)
    ).body;
    expect(letter).toMatchObject({
      milestone: 'BERKAS_TIDAK_LENGKAP',
      recipient: { name: 'Wati Susanti', address: 'Dusun II, Ogan Ilir' },
      subject: `Berkas pengaduan belum lengkap: ${c.registerNumber}`,
    });
    expect(letter.text).toContain('Surat keterangan domisili');
    expect(letter.text).toContain('dianggap dicabut');
    // The identity: refused to a monitor, and each read is in the audit log.
    await app
      .http()
      .get(`/api/cases/${c.id}/complainant-letter`)
      .set('Authorization', `Bearer ${ss.pemantau}`)
      .expect(403);
    const audit = await app.app
      .get(DataSource)
      .query(
        `SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'COMPLAINANT_READ%' ORDER BY at`,
        [c.id],
      );
    expect(audit.map((r: { action: string }) => r.action)).toEqual([
      'COMPLAINANT_READ',
      'COMPLAINANT_READ_REFUSED',
    ]);
  });

  it('shows a paused step with the working days left and who may resume it', async () => {
    const c = await register();
    await send(ss.petugas, c.id, { type: 'DISPOSISI' });
    await send(ss.kakanwil, c.id, { type: 'DISPOSISI' });
    await send(ss.kadiv, c.id, { type: 'DISPOSISI' });
    await send(ss.kabid, c.id, { type: 'TELAAH' });
    const before = (
      await app
        .http()
        .get(`/api/cases/${c.id}/deadline`)
        .set('Authorization', `Bearer ${ss.kasubbid}`)
        .expect(200)
    ).body.deadline;
    expect(before.paused).toBeNull();
    await send(ss.kasubbid, c.id, { type: 'TUNDA', reason: 'menunggu dokumen dari pengadu' });
    const paused = (
      await app
        .http()
        .get(`/api/cases/${c.id}/deadline`)
        .set('Authorization', `Bearer ${ss.kasubbid}`)
        .expect(200)
    ).body.deadline;
    expect(paused.paused).toEqual({
      left: { hari: expect.any(Number) },
      resumedBy: [{ type: 'LANJUTKAN', roles: expect.arrayContaining(['KABID']) }],
    });
    expect(paused.paused.left.hari).toBeGreaterThanOrEqual(29);
    expect(paused.paused.left.hari).toBeLessThanOrEqual(30);
  });
});
