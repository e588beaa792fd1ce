/**
 * The desk's daily work through the API: giving a case to an officer and the queue that follows,
 * internal notes, search, one registration per complaint, and filing a repeated complaint.
 */
import { Client } from 'pg';
import { CasesService, RANKED_AT_MOST } from '../src/cases/cases.service';
import { CALENDAR_DATE_REASON } from '../src/common/query-fields';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('the desk: assignment, notes, search, one registration per complaint', () => {
  let t: TestApp;
  let ss: UnitActors;
  let jb: UnitActors;
  let send: ReturnType<typeof eventSender>;
  let petugas2: string;
  let owner: Client;
  const officerIds: Record<string, string> = {};

  const as = (token: string) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string) => t.http().post(path).set('Authorization', `Bearer ${token}`),
    put: (path: string) => t.http().put(path).set('Authorization', `Bearer ${token}`),
  });
  const register = async (token: string, overrides: Record<string, unknown> = {}) =>
    (await as(token).post('/api/cases').send(complaint(overrides)).expect(201)).body as {
      id: string;
      registerNumber: string;
      version: number;
    };
  /** A case at the Kabid's order to review (disposisi.kabid). */
  const atKabid = async (overrides: Record<string, unknown> = {}) => {
    const c = await register(ss.petugas, overrides);
    await send(ss.petugas, c.id, { type: 'DISPOSISI' });
    await send(ss.kakanwil, c.id, { type: 'DISPOSISI' });
    await send(ss.kadiv, c.id, { type: 'DISPOSISI' });
    return c;
  };
  const ids = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-03-03T10:00:00+07:00');
    ss = await unitActors(t, 'KANWIL-SS', 'dw');
    jb = await unitActors(t, 'KANWIL-JB', 'dwjb');
    petugas2 = await t.user('dw.petugas2', 'KANWIL-SS', ['PETUGAS']);
    send = eventSender(t);
    const officers = (await as(ss.kabid).get('/api/units/KANWIL-SS/officers').expect(200)).body as {
      id: string;
      username: string;
    }[];
    for (const o of officers) officerIds[o.username] = o.id;
    const jbOfficers = (await as(jb.kabid).get('/api/units/KANWIL-JB/officers').expect(200)).body;
    officerIds['dwjb.petugas'] = jbOfficers.find(
      (o: { username: string }) => o.username === 'dwjb.petugas',
    ).id;
    owner = new Client({ connectionString: t.ownerUrl });
    await owner.connect();
  });

  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  describe('assignment', () => {
    it("names the officer with the Kabid's order, and the queues follow the assignee", async () => {
      const given = await atKabid();
      const shared = await atKabid();
      const view = await send(ss.kabid, given.id, { type: 'TELAAH', assigneeId: officerIds['dw.petugas2'] });
      expect(view.assignee).toEqual({
        id: officerIds['dw.petugas2'],
        username: 'dw.petugas2',
        fullName: 'dw.petugas2',
      });
      await send(ss.kabid, shared.id, { type: 'TELAAH' });

      const mine2 = ids((await as(petugas2).get('/api/cases?mine=true').expect(200)).body);
      const mine1 = ids((await as(ss.petugas).get('/api/cases?mine=true').expect(200)).body);
      // Given to petugas2: in their queue, not in the other officer's; unassigned: in both.
      expect(mine2).toEqual(expect.arrayContaining([given.id, shared.id]));
      expect(mine1).toContain(shared.id);
      expect(mine1).not.toContain(given.id);
      expect(
        ids((await as(ss.kabid).get(`/api/cases?assignee=${officerIds['dw.petugas2']}`).expect(200)).body),
      ).toEqual([given.id]);
      await as(ss.kabid).get('/api/cases?assignee=dw.petugas2').expect(400);
    });

    it("is changed by the unit's KASUBBID or KABID only, with who gave it from whom to whom", async () => {
      const c = await atKabid();
      await send(ss.kabid, c.id, { type: 'TELAAH', assigneeId: officerIds['dw.petugas'] });
      const path = `/api/cases/${c.id}/assignee`;
      const refused = await as(ss.petugas).put(path).send({ userId: officerIds['dw.petugas2'] }).expect(403);
      expect(refused.body.details.requiredRoles).toEqual(['KASUBBID', 'KABID']);
      await as(jb.kabid).put(path).send({ userId: officerIds['dw.petugas2'] }).expect(404);
      const noField = await as(ss.kasubbid).put(path).send({}).expect(400);
      expect(JSON.stringify(noField.body)).toContain('userId');
      const otherUnit = await as(ss.kasubbid)
        .put(path)
        .send({ userId: officerIds['dwjb.petugas'] })
        .expect(400);
      expect(otherUnit.body.details[0]).toEqual({
        field: 'userId',
        reason: 'harus petugas aktif (PETUGAS atau KASUBBID) dari KANWIL-SS',
      });
      const kabidId = (await as(ss.kabid).get('/api/users/me').expect(200)).body.id;
      await as(ss.kasubbid).put(path).send({ userId: kabidId }).expect(400);

      const before = (await as(ss.kasubbid).get(`/api/cases/${c.id}`).expect(200)).body.version;
      await as(ss.kasubbid)
        .put(path)
        .set('If-Match', `"${before - 1}"`)
        .send({ userId: null })
        .expect(409);
      const moved = await as(ss.kasubbid).put(path).send({ userId: officerIds['dw.petugas2'] }).expect(200);
      expect(moved.body.assignee.username).toBe('dw.petugas2');
      expect(moved.body.version).toBe(before + 1);
      // The same again changes nothing.
      const same = await as(ss.kasubbid).put(path).send({ userId: officerIds['dw.petugas2'] }).expect(200);
      expect(same.body.version).toBe(before + 1);
      const back = await as(ss.kabid).put(path).send({ userId: null }).expect(200);
      expect(back.body.assignee).toBeNull();

      const history = (await as(ss.kabid).get(`/api/cases/${c.id}/history`).expect(200)).body;
      const changes = history.filter((e: { type: string }) => ['TELAAH', 'PENUGASAN'].includes(e.type));
      expect(
        changes.map((e: { type: string; actor: { username: string }; payload: object }) => [
          e.type,
          e.actor.username,
          e.payload,
        ]),
      ).toEqual([
        ['TELAAH', 'dw.kabid', { assigneeId: officerIds['dw.petugas'], fromAssigneeId: null }],
        [
          'PENUGASAN',
          'dw.kasubbid',
          { assigneeId: officerIds['dw.petugas2'], fromAssigneeId: officerIds['dw.petugas'] },
        ],
        ['PENUGASAN', 'dw.kabid', { assigneeId: null, fromAssigneeId: officerIds['dw.petugas2'] }],
      ]);
      const audit = await owner.query(
        `SELECT action, method, status_code FROM audit_log WHERE entity_id = $1 AND action = 'PENUGASAN'`,
        [c.id],
      );
      expect(audit.rows).toEqual([
        { action: 'PENUGASAN', method: 'PUT', status_code: 200 },
        { action: 'PENUGASAN', method: 'PUT', status_code: 200 },
      ]);
    });

    it('counts an overdue officer step for its assignee on the dashboard, and an unassigned one for the unit', async () => {
      t.clock.set('2026-01-05T10:00:00+07:00');
      const late = await atKabid({ receivedAt: '2026-01-05T09:00:00+07:00' });
      await send(ss.kabid, late.id, { type: 'TELAAH', assigneeId: officerIds['dw.petugas2'] });
      t.clock.set('2026-03-03T10:00:00+07:00');
      const summary = (await as(ss.kabid).get('/api/sla/summary').expect(200)).body;
      const person = (name: string) =>
        summary.byPerson.find((p: { username: string }) => p.username === name);
      expect(person('dw.petugas2')?.overdue).toBeGreaterThanOrEqual(1);
      expect(person('dw.petugas')?.overdue ?? 0).toBe(0);
      const unit = summary.byUnit.find((u: { unitCode: string }) => u.unitCode === 'KANWIL-SS');
      expect(unit.unassigned).toBeGreaterThanOrEqual(1);
      // The overdue review is missed already: the step's compliance is below 100% before it ends.
      const review = summary.compliance.find((c: { step: string }) => c.step === 'telaah.penyusunan');
      expect(review.openOverdue).toBe(1);
      expect(review.onTimePercent).toBe(0);
    });
  });

  describe('dates of the unit', () => {
    it("dates the dashboard's period and an export's cut-off in the unit's zone", async () => {
      // 20.00 UTC on 2 March is already 3 March in Palembang (WIB).
      t.clock.set('2026-03-02T20:00:00Z');
      const summary = (await as(ss.kabid).get('/api/sla/summary').expect(200)).body;
      expect(summary.period.from).toBe('2025-12-31T17:00:00.000Z');
      const local = (await as(ss.kabid).get('/api/sla/summary?from=2026-02-01&to=2026-02-28').expect(200))
        .body;
      expect(local.period).toEqual({ from: '2026-01-31T17:00:00.000Z', to: '2026-02-28T17:00:00.000Z' });
      // A date that is none is refused in Indonesian, naming the field.
      const wrong = (await as(ss.kabid).get('/api/sla/summary?from=2026-13-40').expect(400)).body;
      expect(wrong.details).toEqual([
        {
          field: 'from',
          reason: 'harus tanggal-waktu ISO 8601 dengan zona waktu, mis. 2026-01-05T09:00:00+07:00',
        },
      ]);
      const csv = await as(ss.kabid)
        .get('/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2026&format=csv')
        .expect(200);
      expect(csv.text).toContain('Data per: 3 Maret 2026');
      t.clock.set('2026-03-03T10:00:00+07:00');
    });
  });

  describe('internal notes', () => {
    it('are added and read by the handling staff of the unit, and can never be changed', async () => {
      const c = await register(ss.petugas);
      const path = `/api/cases/${c.id}/notes`;
      const note = await as(ss.petugas)
        .post(path)
        .send({ text: '  Pengadu akan datang lagi Senin.  ' })
        .expect(201);
      expect(note.body).toEqual({
        id: expect.any(String),
        text: 'Pengadu akan datang lagi Senin.',
        author: { id: officerIds['dw.petugas'], username: 'dw.petugas', fullName: 'dw.petugas' },
        createdAt: expect.any(String),
      });
      await as(ss.kabid).post(path).send({ text: 'Mohon dipercepat.' }).expect(201);
      const empty = await as(ss.petugas).post(path).send({ text: '' }).expect(400);
      expect(empty.body.details[0].field).toBe('text');
      await as(ss.petugas)
        .post(path)
        .send({ text: 'x'.repeat(5001) })
        .expect(400);
      await as(ss.pemantau).post(path).send({ text: 'boleh?' }).expect(403);
      await as(ss.pemantau).get(path).expect(403);
      await as(jb.petugas).get(path).expect(404);
      const notes = (await as(ss.kasubbid).get(path).expect(200)).body;
      expect(notes.map((n: { text: string }) => n.text)).toEqual([
        'Pengadu akan datang lagi Senin.',
        'Mohon dipercepat.',
      ]);
      await expect(
        owner.query(`UPDATE case_notes SET text = 'diubah' WHERE case_id = $1`, [c.id]),
      ).rejects.toThrow(/append-only/);
      await expect(owner.query('DELETE FROM case_notes WHERE case_id = $1', [c.id])).rejects.toThrow(
        /append-only/,
      );
      // Never in a mail.
      const mails = await owner.query(
        `SELECT count(*)::int AS n FROM outbox_messages WHERE subject LIKE '%Senin%'`,
      );
      expect(mails.rows[0].n).toBe(0);
    });
  });

  describe('search', () => {
    let sawah: { id: string; registerNumber: string };
    let kopi: { id: string; registerNumber: string };

    beforeAll(async () => {
      sawah = await register(ss.petugas, {
        summary: 'Sengketa sawah warga dengan perusahaan perkebunan di Desa Sukamaju',
        locus: { provinceCode: 'ID-SS', regency: 'Kabupaten Ogan Komering Ilir' },
        complainant: { name: 'Ahmad Fauzi Réndra', email: 'fauzi@example.id' },
      });
      kopi = await register(ss.petugas, {
        summary: 'Pemutusan hubungan kerja buruh kebun kopi tanpa pesangon',
        locus: { provinceCode: 'ID-SS', regency: 'Kota Pagar Alam' },
        complainant: { name: 'Maria Ulfa' },
      });
      await register(jb.petugas, {
        unitCode: 'KANWIL-JB',
        locus: { provinceCode: 'ID-JB', regency: 'Kota Bandung' },
        summary: 'Sengketa sawah di Bandung',
      });
    });

    const search = async (token: string, q: string) =>
      (
        await as(token)
          .get(`/api/cases?q=${encodeURIComponent(q)}`)
          .expect(200)
      ).body;

    it('finds a case by words of its summary, its regency and part of its number, in any case and accent', async () => {
      expect(ids(await search(ss.petugas, 'SAWAH'))).toEqual([sawah.id]);
      expect(ids(await search(ss.petugas, 'perkébunan sukamaju'))).toEqual([sawah.id]);
      expect(ids(await search(ss.petugas, 'pagar alam'))).toEqual([kopi.id]);
      expect(ids(await search(ss.petugas, kopi.registerNumber.slice(-9).toLowerCase()))).toEqual([kopi.id]);
      // A typo still finds the word.
      expect(ids(await search(ss.petugas, 'pesangom'))).toEqual([kopi.id]);
      // Another unit's case is not found.
      expect(ids(await search(jb.petugas, 'sukamaju'))).toEqual([]);
      await as(ss.petugas)
        .get(`/api/cases?q=${'a'.repeat(201)}`)
        .expect(400);
    });

    it('ranks the closest match first', async () => {
      const found = ids(await search(ss.petugas, 'kebun'));
      expect(found.slice(0, 2).sort()).toEqual([sawah.id, kopi.id].sort());
      expect(found[0]).toBe(kopi.id);
    });

    it('finds a case by the institution it was sent to', async () => {
      const inst = (
        await as(ss.petugas)
          .post('/api/institutions')
          .send({
            name: 'Dinas Perkebunan Provinsi Sumatera Selatan',
            email: 'disbun@example.id',
            type: 'PEMERINTAH_DAERAH',
            provinceCode: 'ID-SS',
          })
          .expect(201)
      ).body.id;
      const c = await atKabid({ summary: 'Izin usaha dicabut sepihak' });
      await send(ss.kabid, c.id, { type: 'REKOMENDASI_SEGERA' });
      await send(ss.petugas, c.id, { type: 'AJUKAN_SURAT' });
      await send(ss.kakanwil, c.id, { type: 'SETUJUI_SURAT' });
      await send(ss.petugas, c.id, { type: 'KIRIM_SURAT', institutionIds: [inst], letterNumber: 'W6-001' });
      expect(ids(await search(ss.petugas, 'dinas perkebunan'))).toEqual([c.id]);
    });

    it('finds a returning complainant by name for the handling staff only, audited without the name', async () => {
      const found = (await as(ss.petugas).get('/api/cases?complainant=rendra').expect(200)).body;
      expect(ids(found)).toEqual([sawah.id]);
      expect(JSON.stringify(found)).not.toContain('Fauzi');
      await as(ss.pemantau).get('/api/cases?complainant=rendra').expect(403);
      await as(t.adminToken).get('/api/cases?complainant=rendra').expect(403);
      await as(ss.petugas).get('/api/cases?complainant=ab').expect(400);
      expect(ids((await as(jb.petugas).get('/api/cases?complainant=rendra').expect(200)).body)).toEqual([]);
      const audit = await owner.query(
        `SELECT actor_username, details FROM audit_log WHERE action = 'COMPLAINANT_SEARCH' ORDER BY id`,
      );
      expect(audit.rows[0]).toEqual({
        actor_username: 'dw.petugas',
        details: { found: 1, caseIds: [sawah.id] },
      });
      expect(JSON.stringify(audit.rows)).not.toMatch(/rendra/i);
    });
  });

  describe('one registration per complaint', () => {
    it('answers a repeated Idempotency-Key with the case and receipt it first registered', async () => {
      const body = complaint({ summary: 'Didaftarkan dua kali karena klik ganda' });
      const post = (token: string, key: string) =>
        as(token).post('/api/cases').set('Idempotency-Key', key).send(body);
      const [first, second] = await Promise.all([post(ss.petugas, 'form-123'), post(ss.petugas, 'form-123')]);
      expect([first.status, second.status].sort()).toEqual([200, 201]);
      expect(second.body.id).toBe(first.body.id);
      expect(second.body.receipt.trackingCode).toBe(first.body.receipt.trackingCode);
      const auditRows = () =>
        owner.query(
          `SELECT status_code, entity_id FROM audit_log WHERE action = 'POST /api/cases' AND actor_username = 'dw.petugas' ORDER BY id`,
        );
      const before = (await auditRows()).rows.length;
      const third = await post(ss.petugas, 'form-123').expect(200);
      // The repeated request has its own audit row, with the status answered and the case it named.
      expect((await auditRows()).rows.slice(before)).toEqual([
        { status_code: 200, entity_id: first.body.id },
      ]);
      expect(third.body.registerNumber).toBe(first.body.registerNumber);
      const count = await owner.query(`SELECT count(*)::int AS n FROM cases WHERE summary = $1`, [
        body.summary,
      ]);
      expect(count.rows[0].n).toBe(1);
      // The same key of another officer is another registration.
      const other = await post(petugas2, 'form-123').expect(201);
      expect(other.body.id).not.toBe(first.body.id);
      // The status page takes the number as a person types it, without spending a try on the case.
      const typed = ` ${first.body.registerNumber.toLowerCase().replace(/\//g, ' / ')} `;
      await t
        .http()
        .get('/api/public/status')
        .query({ registerNumber: typed, trackingCode: first.body.receipt.trackingCode.toLowerCase() })
        .expect(200);
      const failures = await owner.query('SELECT count(*)::int AS n FROM public_lookup_failures');
      expect(failures.rows[0].n).toBe(0);
      const bad = await post(ss.petugas, 'kunci dengan spasi').expect(400);
      expect(bad.body.details[0].field).toBe('Idempotency-Key');
      // After 24 hours the key and its sealed code are forgotten; the key would register anew.
      await owner.query(`UPDATE case_registrations SET created_at = now() - interval '25 hours'`);
      expect(await t.app.get(CasesService).pruneRegistrations()).toBeGreaterThanOrEqual(2);
      const kept = await owner.query('SELECT count(*)::int AS n FROM case_registrations');
      expect(kept.rows[0].n).toBe(0);
      // The register numbers have no gap from the repeated request's rollback.
      const seqs = [first.body.registerNumber, other.body.registerNumber].map((n: string) =>
        Number(n.slice(-5)),
      );
      expect(seqs[1] - seqs[0]).toBe(1);
    });

    it('files a repeated complaint as DUPLIKAT of the earlier one', async () => {
      const earlier = await register(ss.petugas);
      const repeat = await register(ss.petugas);
      const other = await register(jb.petugas, { unitCode: 'KANWIL-JB', locus: { provinceCode: 'ID-JB' } });
      await send(ss.petugas, repeat.id, { type: 'DISPOSISI' });
      await send(ss.kakanwil, repeat.id, { type: 'DISPOSISI' });
      await send(ss.kadiv, repeat.id, { type: 'DISPOSISI' });
      const missing = await send(ss.kabid, repeat.id, { type: 'FILE', reason: 'DUPLIKAT' }, 400);
      expect(missing.details[0]).toEqual({
        field: 'duplicateOf',
        reason: 'wajib diisi untuk alasan DUPLIKAT',
      });
      const wrongReason = await send(
        ss.kabid,
        repeat.id,
        { type: 'FILE', reason: 'lain', duplicateOf: earlier.id },
        400,
      );
      expect(wrongReason.details[0].field).toBe('duplicateOf');
      await send(ss.kabid, repeat.id, { type: 'FILE', reason: 'DUPLIKAT', duplicateOf: other.id }, 400);
      await send(ss.kabid, repeat.id, { type: 'FILE', reason: 'DUPLIKAT', duplicateOf: repeat.id }, 400);
      const filed = await send(ss.kabid, repeat.id, {
        type: 'FILE',
        reason: 'DUPLIKAT',
        duplicateOf: earlier.id,
      });
      expect(filed.state).toBe('file');
      expect(filed.fileReason).toBe('DUPLIKAT');
      expect(filed.duplicateOf).toEqual({ id: earlier.id, registerNumber: earlier.registerNumber });
    });
  });

  it("keeps each user's named views of the case list, checked like the list, never a name search", async () => {
    const mine = as(ss.kabid);
    const saved = await mine
      .post('/api/case-views')
      .send({ name: 'Lewat tenggat', filters: { overdue: 'true', year: '2026', sort: '-dueAt' } })
      .expect(201);
    expect(saved.body).toMatchObject({
      name: 'Lewat tenggat',
      filters: { overdue: 'true', year: '2026', sort: '-dueAt' },
    });
    // The same name in another case replaces the filters; the list is by name.
    await mine
      .post('/api/case-views')
      .send({ name: 'lewat TENGGAT', filters: { overdue: 'true' } })
      .expect(201);
    await mine
      .post('/api/case-views')
      .send({ name: 'Antrean Palembang', filters: { q: 'palembang' } })
      .expect(201);
    const listed = (await mine.get('/api/case-views').expect(200)).body as {
      id: string;
      name: string;
      filters: object;
    }[];
    expect(listed.map((v) => [v.name, v.filters])).toEqual([
      ['Antrean Palembang', { q: 'palembang' }],
      ['lewat TENGGAT', { overdue: 'true' }],
    ]);

    for (const [body, field, reason] of [
      [{ name: 'Nama', filters: { complainant: 'Siti' } }, 'filters.complainant', 'tidak dapat disimpan'],
      [{ name: 'Tahun', filters: { year: 'dua ribu' } }, 'filters.year', ''],
      [{ name: 'Urut', filters: { sort: 'name' } }, 'filters.sort', ''],
      [{ name: 'Halaman', filters: { page: '2' } }, 'filters.page', 'tidak dikenal'],
      [{ name: '', filters: {} }, 'name', 'wajib diisi'],
      [{ name: 'Tanpa saringan' }, 'filters', 'harus objek'],
    ] as const) {
      const refused = await mine.post('/api/case-views').send(body).expect(400);
      expect(refused.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, reason: expect.stringContaining(reason) })]),
      );
    }

    // Another user sees none of them and cannot delete them.
    expect((await as(ss.kasubbid).get('/api/case-views').expect(200)).body).toEqual([]);
    await t
      .http()
      .delete(`/api/case-views/${listed[0].id}`)
      .set('Authorization', `Bearer ${ss.kasubbid}`)
      .expect(404);
    await t
      .http()
      .delete(`/api/case-views/${listed[0].id}`)
      .set('Authorization', `Bearer ${ss.kabid}`)
      .expect(204);
    expect((await mine.get('/api/case-views').expect(200)).body).toHaveLength(1);
  });

  it('lists earlier complaints of the same locus and theme, for the check at registration', async () => {
    // The test clock: 3 March 2026.
    const recent = '2026-03-02T09:00:00+07:00';
    const same = await register(ss.petugas, {
      receivedAt: recent,
      theme: 'KETENAGAKERJAAN',
      locus: { provinceCode: 'ID-SS', regency: 'Kabupaten Muara Enim' },
      summary: 'Upah buruh kebun tidak dibayar',
    });
    await register(ss.petugas, {
      receivedAt: recent,
      theme: 'PIDANA',
      locus: { provinceCode: 'ID-SS', regency: 'Kabupaten Muara Enim' },
    });
    await register(ss.petugas, {
      receivedAt: '2024-03-04T09:00:00+07:00',
      theme: 'KETENAGAKERJAAN',
      locus: { provinceCode: 'ID-SS', regency: 'Kabupaten Muara Enim' },
    });
    const since = '2025-03-03';
    const found = (
      await as(ss.petugas)
        .get('/api/cases')
        .query({
          provinceCode: 'ID-SS',
          regency: 'kabupaten MUARA enim',
          theme: 'KETENAGAKERJAAN',
          receivedFrom: since,
        })
        .expect(200)
    ).body;
    expect(ids(found)).toEqual([same.id]);
    const wrong = await as(ss.petugas).get('/api/cases').query({ receivedFrom: '2026-02-31' }).expect(400);
    expect(wrong.body.details).toEqual([{ field: 'receivedFrom', reason: CALENDAR_DATE_REASON }]);
    // Another unit sees none of them.
    const other = (
      await as(jb.petugas)
        .get('/api/cases')
        .query({ provinceCode: 'ID-SS', theme: 'KETENAGAKERJAAN' })
        .expect(200)
    ).body;
    expect(other.items).toEqual([]);
  });

  it('lists a word found in thousands of cases newest first, typo included', async () => {
    // Past RANKED_AT_MOST matches a search reads the cases newest first and tests each one's own
    // text (cases.service.ts). The bench measures its speed; this test, that it finds the right cases.
    const jt = await unitActors(t, 'KANWIL-JT', 'dwjt');
    const model = await register(jt.petugas, {
      unitCode: 'KANWIL-JT',
      locus: { provinceCode: 'ID-JT', regency: 'Kota Semarang' },
      summary: 'Penggusuran paksa rumah warga bantaran sungai',
    });
    const copied = (
      await owner.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = 'cases' AND is_generated = 'NEVER'
            AND column_name NOT IN ('id', 'register_number', 'register_seq', 'summary', 'received_at', 'tracking_code_hash')`,
      )
    ).rows.map((r) => `"${r.column_name}"`);
    const many = RANKED_AT_MOST + 50;
    await owner.query(
      `INSERT INTO cases (id, register_number, register_seq, summary, received_at, ${copied.join(', ')})
       SELECT gen_random_uuid(), 'LUAS/' || g, 100000 + g, 'Penggusuran rumah warga nomor ' || g,
              c.received_at - g * interval '1 minute', ${copied.map((col) => `c.${col}`).join(', ')}
         FROM cases c, generate_series(1, $2::int) g WHERE c.id = $1`,
      [model.id, many],
    );
    const found = (await as(jt.petugas).get('/api/cases?q=penggusran&pageSize=50').expect(200)).body as {
      items: { id: string; registerNumber: string; receivedAt: string }[];
      total: number;
      totalExact: boolean;
    };
    expect(found).toMatchObject({ total: RANKED_AT_MOST, totalExact: false });
    // The registered case is the newest; the copies follow, each a minute older.
    expect(found.items[0].id).toBe(model.id);
    expect(found.items.slice(1).map((c) => c.registerNumber)).toEqual(
      Array.from({ length: 49 }, (_, i) => `LUAS/${i + 1}`),
    );
    const exact = (await as(jt.petugas).get('/api/cases?q=penggusuran&total=exact').expect(200)).body;
    expect(exact).toMatchObject({ total: many + 1, totalExact: true });

    // The text the scan tests (on the case row) and the one the indexes hold (case_search) are one
    // text, from yk_case_search_row(), for cases inserted in bulk and after an edit alike.
    const differing = async () =>
      (
        await owner.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM cases c JOIN case_search s ON s.case_id = c.id
            WHERE c.search_text IS DISTINCT FROM s.search_text`,
        )
      ).rows[0].n;
    expect(await differing()).toBe(0);
    // Which columns the text is folded from is said by one function in the database.
    const foldingSummary = await owner.query<{ proname: string }>(
      `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prosrc LIKE '%summary%'`,
    );
    expect(foldingSummary.rows.map((r) => r.proname)).toEqual(['yk_case_search_text']);
    // The triggers that keep both texts watch every column it folds.
    const folding = await owner.query<{ src: string }>(
      `SELECT prosrc AS src FROM pg_proc WHERE proname = 'yk_case_search_text'`,
    );
    const folded = [...new Set([...folding.rows[0].src.matchAll(/\bc\.(\w+)/g)].map((m) => m[1]))].sort();
    expect(folded).toEqual(['locus_regency', 'register_number', 'summary']);
    const watched = await owner.query<{ tgname: string; columns: string[] }>(
      `SELECT t.tgname, array_agg(a.attname::text ORDER BY a.attname) AS columns
         FROM pg_trigger t JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr::int2[])
        WHERE t.tgname IN ('trg_cases_scan_text', 'trg_cases_search') GROUP BY t.tgname ORDER BY t.tgname`,
    );
    expect(watched.rows).toEqual([
      { tgname: 'trg_cases_scan_text', columns: folded },
      { tgname: 'trg_cases_search', columns: ['complainant', ...folded].sort() },
    ]);
    // A word an edit brings joins the vocabulary, and a typo of it finds the case, by either path.
    await owner.query(`UPDATE cases SET summary = 'Tambak udang warga tercemar limbah' WHERE id = $1`, [
      model.id,
    ]);
    expect(await differing()).toBe(0);
    const vocabulary = await owner.query(`SELECT word FROM case_search_words WHERE word = ANY($1)`, [
      ['tambak', 'udang', 'warga', 'tercemar', 'limbah', 'penggusuran', 'luas'],
    ]);
    expect(vocabulary.rows.map((r: { word: string }) => r.word).sort()).toEqual(
      ['limbah', 'luas', 'penggusuran', 'tambak', 'tercemar', 'udang', 'warga'].sort(),
    );
    const typo = (await as(jt.petugas).get('/api/cases?q=tercemr').expect(200)).body;
    expect(typo.items.map((c: { id: string }) => c.id)).toEqual([model.id]);
    const broadTypo = (await as(jt.petugas).get('/api/cases?q=warrga&pageSize=5').expect(200)).body;
    expect(broadTypo).toMatchObject({ total: RANKED_AT_MOST, totalExact: false });
    expect(broadTypo.items[0].id).toBe(model.id);
  });

  it('compresses pages and JSON for clients that accept it, and lets browsers keep the assets for a year', async () => {
    const json = await as(ss.kabid).get('/api/cases?pageSize=50').set('Accept-Encoding', 'gzip').expect(200);
    expect(json.headers['content-encoding']).toBe('gzip');
    expect(json.body).toMatchObject({ totalExact: true, page: 1 });
    // A client that takes no encoding gets the same answer plain, marked as varying with the header.
    for (const accepted of [undefined, 'identity']) {
      const request = as(ss.kabid).get('/api/cases?pageSize=50');
      if (accepted) request.set('Accept-Encoding', accepted);
      else request.unset('Accept-Encoding');
      const plain = await request.expect(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
      expect(plain.body).toEqual(json.body);
    }
    const exact = (await as(ss.kabid).get('/api/cases?total=exact').expect(200)).body;
    expect(exact.totalExact).toBe(true);
    await as(ss.kabid).get('/api/cases?total=semua').expect(400);
    const login = await t.http().get('/masuk').set('Accept-Encoding', 'gzip').expect(200);
    expect(login.headers['content-encoding']).toBe('gzip');
    const asset = /href="(\/assets\/console\.css\?v=[0-9a-f]{12})"/.exec(login.text)?.[1];
    expect(asset).toBeDefined();
    const css = await t.http().get(asset!).expect(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});
