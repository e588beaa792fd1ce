import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { createTestApp, type TestApp } from './support/test-app';

const HEADER =
  'nomor_register;unit;tanggal_diterima;provinsi;kabupaten_kota;hak;tema;pihak_teradu;saluran;jenis;ringkasan;hasil;tanggal_hasil;nomor_surat;tanggal_surat;institusi;tanggal_tanggapan';

describe('legacy import of historical complaints', () => {
  let app: TestApp;
  let kabid: string;

  beforeAll(async () => {
    app = await createTestApp();
    kabid = await app.user('ss.kabid', 'KANWIL-SS', ['KABID']);
    await app
      .http()
      .post('/api/institutions')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ name: 'Polda Sumatera Selatan', email: 'humas@polda.example.id' })
      .expect(201);
  });
  afterAll(() => app.close());

  const csv = [
    HEADER,
    'LAMA/SS/2023/001;KANWIL-SS;2023-03-06;ID-SS;Kota Palembang;"RASA_AMAN;KEADILAN";PERTANAHAN;KEPOLISIAN;SURAT;LANGSUNG;Sengketa lahan;REKOMENDASI;2023-03-20;W6-100;2023-04-03;Polda Sumatera Selatan;2024-02-10',
    'LAMA/SS/2023/002;KANWIL-SS;06/07/2023;ID-SS;;RASA_AMAN;PIDANA;KEPOLISIAN;SURAT;TEMBUSAN;Tembusan;FILE;2023-07-10;;;;',
    'LAMA/SS/2023/003;KANWIL-SS;2023-13-40;ID-SS;;RASA_AMAN;ASTROLOGI;KEPOLISIAN;SURAT;LANGSUNG;Rusak;PROSES;;;;;',
    'LAMA/SS/2023/001;KANWIL-SS;2023-03-06;ID-SS;;RASA_AMAN;PIDANA;KEPOLISIAN;SURAT;LANGSUNG;Ganda;PROSES;;;;;',
    'LAMA/SS/2023/004;KANWIL-SS;2023-05-02;ID-SS;;RASA_AMAN;PIDANA;KEPOLISIAN;SURAT;LANGSUNG;Surat ke institusi tak dikenal;REKOMENDASI;2023-05-03;W6-101;2023-05-04;Dinas Antah Berantah;',
  ].join('\r\n');

  const post = (body: string | Buffer, type: string, query = '', token = kabid) =>
    app
      .http()
      .post(`/api/imports/cases${query}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', type)
      .send(body);

  it('reports per row what it would do in a dry run, and writes nothing', async () => {
    const res = await post(csv, 'text/csv', '?dryRun=true').expect(200);

    expect(res.body.summary).toEqual({ rows: 5, created: 2, skipped: 1, refused: 2 });
    const byRow = Object.fromEntries(res.body.rows.map((r: { row: number }) => [r.row, r]));
    expect(byRow[2]).toMatchObject({ status: 'AKAN_DIBUAT', registerNumber: 'LAMA/SS/2023/001' });
    expect(byRow[4].status).toBe('DITOLAK');
    expect(byRow[4].problems).toEqual(
      expect.arrayContaining([
        { field: 'tanggal_diterima', reason: 'bukan tanggal yang valid (YYYY-MM-DD atau DD/MM/YYYY)' },
        { field: 'tema', reason: 'kode "ASTROLOGI" tidak dikenal' },
      ]),
    );
    expect(byRow[5]).toMatchObject({
      status: 'DILEWATI',
      problems: [{ field: 'nomor_register', reason: 'sudah ada; baris dilewati' }],
    });
    expect(byRow[6].problems).toEqual([
      { field: 'institusi', reason: 'instansi "Dinas Antah Berantah" belum terdaftar' },
    ]);
    const list = await app
      .http()
      .get('/api/cases?year=2023')
      .set('Authorization', `Bearer ${kabid}`)
      .expect(200);
    expect(list.body.total).toBe(0);
  });

  it('creates the valid rows with an imported history, idempotent on the register number', async () => {
    const res = await post(csv, 'text/csv').expect(200);
    expect(res.body.summary).toEqual({ rows: 5, created: 2, skipped: 1, refused: 2 });
    const again = await post(csv, 'text/csv').expect(200);
    expect(again.body.summary).toEqual({ rows: 5, created: 0, skipped: 3, refused: 2 });

    const created = res.body.rows.find(
      (r: { registerNumber: string; status: string }) =>
        r.registerNumber === 'LAMA/SS/2023/001' && r.status === 'DIBUAT',
    );
    const view = (
      await app.http().get(`/api/cases/${created.caseId}`).set('Authorization', `Bearer ${kabid}`).expect(200)
    ).body;
    expect(view).toMatchObject({
      state: 'selesai',
      category: 'REKOMENDASI',
      locus: { provinceCode: 'ID-SS', regency: 'Kota Palembang' },
      rights: ['RASA_AMAN', 'KEADILAN'],
    });
    expect(view.dispatches).toEqual([
      expect.objectContaining({ status: 'DITANGGAPI', letterNumber: 'W6-100' }),
    ]);
    const history = (
      await app.http().get(`/api/cases/${created.caseId}/history`).set('Authorization', `Bearer ${kabid}`)
    ).body;
    // Replayed through the machine: the dispositions, the decision, the letter's approval and
    // dispatch, the response, and the closing that the last response allowed.
    expect(history.map((h: { type: string }) => h.type)).toEqual([
      'REGISTRASI',
      'DISPOSISI',
      'DISPOSISI',
      'DISPOSISI',
      'REKOMENDASI_SEGERA',
      'AJUKAN_SURAT',
      'SETUJUI_SURAT',
      'KIRIM_SURAT',
      'TANGGAPAN',
      'SELESAI',
    ]);
    expect(history.map((h: { to: string }) => h.to)).toEqual([
      'terima.pemeriksaan',
      'disposisi.kakanwil',
      'disposisi.kadiv',
      'disposisi.kabid',
      'rekomendasi.penyusunan',
      'rekomendasi.persetujuan',
      'rekomendasi.pengiriman',
      'menunggu_tanggapan',
      'tanggapan',
      'selesai',
    ]);
    expect(history.every((h: { payload: { imported?: boolean } }) => h.payload.imported === true)).toBe(true);

    // Found by the desk's search like a registered case: each of the batch's cases has its
    // search row (written once for the batch's statement).
    const search = async (q: string) =>
      (
        await app
          .http()
          .get(`/api/cases?q=${encodeURIComponent(q)}`)
          .set('Authorization', `Bearer ${kabid}`)
          .expect(200)
      ).body.items.map((c: { registerNumber: string }) => c.registerNumber);
    expect(await search('sengketa lahan palembang')).toEqual(['LAMA/SS/2023/001']);
    expect(await search('tembusan')).toEqual(['LAMA/SS/2023/002']);
    expect(await search('lama/ss/2023')).toEqual(['LAMA/SS/2023/002', 'LAMA/SS/2023/001']);

    // Counted like any case: received in 2023, its response in 2024.
    const y2023 = (
      await app
        .http()
        .get('/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2023')
        .set('Authorization', `Bearer ${kabid}`)
    ).body;
    expect(y2023.totals).toMatchObject({ jumlah: 2, rekomendasi: 1, file: 1, tanggapan: 0 });
    const y2024 = (
      await app
        .http()
        .get('/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2024')
        .set('Authorization', `Bearer ${kabid}`)
    ).body;
    expect(y2024.totals).toMatchObject({ jumlah: 0, tanggapan: 1, kasusDitanggapi: 1 });
  });

  it('reads XLSX too, and refuses what it cannot read or who may not import', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Data');
    sheet.addRow(HEADER.split(';'));
    sheet.addRow([
      'LAMA/SS/2022/010',
      'KANWIL-SS',
      new Date('2022-08-01T00:00:00Z'),
      'ID-SS',
      '',
      'HIDUP',
      'PIDANA',
      'KEPOLISIAN',
      'SURAT',
      'LANGSUNG',
      'Dari XLSX',
      'PROSES',
      '',
      '',
      '',
      '',
      '',
    ]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await post(
      buffer,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ).expect(200);
    expect(res.body.summary).toMatchObject({ created: 1 });
    // Still open (PROSES): it stands at intake with the deadline the machine gives it, counted
    // from its received date (Monday 1 August 2022 + 5 working days), and it is overdue.
    const open = (
      await app
        .http()
        .get(`/api/cases/${res.body.rows[0].caseId}`)
        .set('Authorization', `Bearer ${kabid}`)
        .expect(200)
    ).body;
    expect(open).toMatchObject({
      state: 'terima.pemeriksaan',
      deadline: { step: 'terima.pemeriksaan', status: 'OVERDUE' },
    });
    expect(open.deadline.dueAt.slice(0, 10)).toBe('2022-08-08');
    const officer = await app.user('ss.petugas', 'KANWIL-SS', ['PETUGAS']);
    await post(csv, 'text/csv', '', officer).expect(403);
    const wrong = await app
      .http()
      .post('/api/imports/cases')
      .set('Authorization', `Bearer ${kabid}`)
      .send({ rows: [] })
      .expect(400);
    expect(wrong.body.details[0].field).toBe('Content-Type');
    const otherUnit = await post(
      [HEADER, 'X/1;KANWIL-JB;2023-01-02;ID-JB;;HIDUP;PIDANA;KEPOLISIAN;SURAT;LANGSUNG;x;PROSES;;;;;'].join(
        '\n',
      ),
      'text/csv',
      '?dryRun=true',
    ).expect(200);
    expect(otherUnit.body.rows[0].problems).toEqual([{ field: 'unit', reason: 'hanya unit Anda sendiri' }]);
  });

  it('writes an import of several batches at once, every counter past its numbers and one audit row', async () => {
    // Six thousand rows in the service's own numbering, two units and two years on every row's
    // turn: each batch of the import moves all four counters, two batches at a time.
    const units = ['KANWIL-SS', 'KANWIL-JT'];
    const provinces = { 'KANWIL-SS': 'ID-SS', 'KANWIL-JT': 'ID-JT' } as Record<string, string>;
    const rows = Array.from({ length: 6000 }, (_, i) => {
      const unit = units[i % 2];
      const year = 2020 + (Math.floor(i / 2) % 2);
      const seq = String(1 + Math.floor(i / 4)).padStart(5, '0');
      return `${unit}/${year}/${seq};${unit};${year}-05-0${1 + (i % 7)};${provinces[unit]};;RASA_AMAN;PIDANA;KEPOLISIAN;SURAT;LANGSUNG;impor besar;FILE;${year}-06-01;;;;`;
    });
    const res = await post([HEADER, ...rows].join('\n'), 'text/csv', '', app.adminToken).expect(200);
    expect(res.body.summary).toEqual({ rows: 6000, created: 6000, skipped: 0, refused: 0 });
    expect(res.body.rows.every((r: { status: string }) => r.status === 'DIBUAT')).toBe(true);

    const owner = new Client({ connectionString: app.ownerUrl });
    await owner.connect();
    try {
      const counters = await owner.query<{ unit: string; year: number; last: number }>(
        `SELECT unit_code AS unit, year, last_value AS last FROM register_counters
          WHERE year IN (2020, 2021) ORDER BY unit_code, year`,
      );
      expect(counters.rows).toEqual([
        { unit: 'KANWIL-JT', year: 2020, last: 1500 },
        { unit: 'KANWIL-JT', year: 2021, last: 1500 },
        { unit: 'KANWIL-SS', year: 2020, last: 1500 },
        { unit: 'KANWIL-SS', year: 2021, last: 1500 },
      ]);
      const histories = await owner.query<{ cases: number; events: number }>(
        `SELECT count(DISTINCT c.id)::int AS cases, count(e.id)::int AS events
           FROM cases c JOIN case_events e ON e.case_id = c.id WHERE c.summary = 'impor besar'`,
      );
      expect(histories.rows[0].cases).toBe(6000);
      expect(histories.rows[0].events).toBeGreaterThan(6000 * 2);
      const audit = await owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'POST /api/imports/cases' AND actor_username = 'admin'`,
      );
      expect(audit.rows[0].n).toBe(1);
    } finally {
      await owner.end();
    }
  });
});
