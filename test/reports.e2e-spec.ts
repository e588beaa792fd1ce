import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { ReadReplicas, type PlannerSettings } from '../src/database/read-replicas';
import type { SqlRunner } from '../src/database/sql';
import { ReportsService } from '../src/reports/reports.service';
import { UnitsService } from '../src/units/units.service';
import { WorkflowRegistry } from '../workflows';
import { eventSender } from './support/actors';
import { complaint, createTestApp, TestClock, type TestApp } from './support/test-app';

/**
 * One regional office's 2024, counted by hand:
 *   C0 received 2023, answered 15 Jan 2024 (a carry-over response);
 *   C1 filed directly; C2 urgent letter to two institutions, both answered in 2024;
 *   C3 (locus Jawa Barat) reviewed then filed; C4 reviewed, concluded only on 10 Jan 2025;
 *   C5 (locus Nasional) still at intake; C6 transferred to the centre; C7 urgent letter answered in 2025;
 *   plus one case of another Kanwil.
 */
type PlanLoops = { 'Index Name'?: string; 'Actual Loops': number; Plans?: PlanLoops[] };
type PlanNode = { 'Node Type': string; Strategy?: string; 'Sort Key'?: string[]; Plans?: PlanNode[] };

describe('recap table, drill-down and the ditindaklanjuti indicator', () => {
  let app: TestApp;
  const clock = new TestClock();
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let instA: string;
  let instB: string;

  beforeAll(async () => {
    clock.set('2025-01-20T10:00:00+07:00');
    app = await createTestApp({ clock });
    for (const [name, role] of [
      ['petugas', 'PETUGAS'],
      ['kakanwil', 'KAKANWIL'],
      ['kadiv', 'KADIV'],
      ['kabid', 'KABID'],
    ] as const) {
      t[name] = await app.user(`ss.${name}`, 'KANWIL-SS', [role]);
    }
    t.jb = await app.user('jb.petugas', 'KANWIL-JB', ['PETUGAS']);
    t.jbKabid = await app.user('jb.kabid', 'KANWIL-JB', ['KABID']);
    t.pusat = await app.user('pusat.pemantau', 'PUSAT', ['PEMANTAU']);
    const send = eventSender(app);
    const inst = async (name: string) =>
      (
        await app
          .http()
          .post('/api/institutions')
          .set('Authorization', `Bearer ${t.petugas}`)
          .send({ name, email: `${name.length}@example.id` })
          .expect(201)
      ).body.id;
    instA = await inst('Polda Sumatera Selatan');
    instB = await inst('Pemkab Banyuasin');

    const at = (d: string) => `${d}T09:00:00+07:00`;
    const register = async (
      key: string,
      received: string,
      provinceCode = 'ID-SS',
      token = t.petugas,
      unitCode = 'KANWIL-SS',
    ) => {
      ids[key] = (
        await app
          .http()
          .post('/api/cases')
          .set('Authorization', `Bearer ${token}`)
          .send(complaint({ unitCode, receivedAt: at(received), locus: { provinceCode } }))
          .expect(201)
      ).body.id;
      return ids[key];
    };
    const disposition = async (id: string, day: string) => {
      await send(t.petugas, id, { type: 'DISPOSISI', occurredAt: at(day) });
      await send(t.kakanwil, id, { type: 'DISPOSISI', occurredAt: at(day) });
      await send(t.kadiv, id, { type: 'DISPOSISI', occurredAt: at(day) });
    };
    const letter = async (id: string, day: string, institutionIds: string[]) => {
      await send(t.petugas, id, { type: 'AJUKAN_SURAT', occurredAt: at(day) });
      await send(t.kakanwil, id, { type: 'SETUJUI_SURAT', occurredAt: at(day) });
      await send(t.petugas, id, {
        type: 'KIRIM_SURAT',
        institutionIds,
        letterNumber: 'W6-1',
        occurredAt: at(day),
      });
    };

    const c0 = await register('C0', '2023-05-02');
    await disposition(c0, '2023-05-03');
    await send(t.kabid, c0, { type: 'REKOMENDASI_SEGERA', occurredAt: at('2023-05-04') });
    await letter(c0, '2023-06-01', [instA]);
    await send(t.petugas, c0, {
      type: 'TANGGAPAN',
      institutionId: instA,
      summary: 'ok',
      occurredAt: at('2024-01-15'),
    });

    const c1 = await register('C1', '2024-02-05');
    await send(t.petugas, c1, { type: 'DISPOSISI', occurredAt: at('2024-02-06') });
    await send(t.kakanwil, c1, { type: 'FILE', reason: 'tembusan', occurredAt: at('2024-02-06') });

    const c2 = await register('C2', '2024-03-04');
    await disposition(c2, '2024-03-05');
    await send(t.kabid, c2, { type: 'REKOMENDASI_SEGERA', occurredAt: at('2024-03-05') });
    await letter(c2, '2024-03-06', [instA, instB]);
    await send(t.petugas, c2, {
      type: 'TANGGAPAN',
      institutionId: instA,
      summary: 'a',
      occurredAt: at('2024-04-10'),
    });
    await send(t.petugas, c2, {
      type: 'TANGGAPAN',
      institutionId: instB,
      summary: 'b',
      occurredAt: at('2024-05-02'),
    });

    const c3 = await register('C3', '2024-06-03', 'ID-JB');
    await disposition(c3, '2024-06-04');
    await send(t.kabid, c3, { type: 'TELAAH', occurredAt: at('2024-06-04') });
    await send(t.petugas, c3, { type: 'AJUKAN_TELAAH', occurredAt: at('2024-12-19') });
    await send(t.kabid, c3, {
      type: 'SETUJUI_TELAAH',
      kesimpulan: 'FILE',
      audiensi: false,
      occurredAt: at('2024-12-20'),
    });

    const c4 = await register('C4', '2024-11-04');
    await disposition(c4, '2024-11-05');
    await send(t.kabid, c4, { type: 'TELAAH', occurredAt: at('2024-11-05') });
    await send(t.petugas, c4, { type: 'AJUKAN_TELAAH', occurredAt: at('2025-01-09') });
    await send(t.kabid, c4, {
      type: 'SETUJUI_TELAAH',
      kesimpulan: 'REKOMENDASI',
      audiensi: false,
      occurredAt: at('2025-01-10'),
    });

    await register('C5', '2024-12-02', 'NASIONAL');

    const c6 = await register('C6', '2024-07-01');
    await send(t.kakanwil, c6, { type: 'LIMPAHKAN', unitCode: 'PUSAT', occurredAt: at('2024-07-02') });

    const c7 = await register('C7', '2024-08-05');
    await disposition(c7, '2024-08-06');
    await send(t.kabid, c7, { type: 'REKOMENDASI_SEGERA', occurredAt: at('2024-08-06') });
    await letter(c7, '2024-08-07', [instA]);
    await send(t.petugas, c7, {
      type: 'TANGGAPAN',
      institutionId: instA,
      summary: 'late',
      occurredAt: at('2025-01-12'),
    });

    await register('JB1', '2024-04-01', 'ID-JB', t.jb, 'KANWIL-JB');
  });
  afterAll(() => app.close());

  const get = (path: string, token = t.kabid) => app.http().get(path).set('Authorization', `Bearer ${token}`);
  const row = (body: { rows: { provinceCode: string }[] }, code: string) =>
    body.rows.find((r) => r.provinceCode === code);

  it('classifies the year as it stood at the cut-off, with carry-over responses, totals equal to the rows', async () => {
    const res = await get('/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2024&asOf=2025-01-08').expect(
      200,
    );
    expect(res.body.rows).toHaveLength(40);
    expect(row(res.body, 'ID-SS')).toEqual({
      provinceCode: 'ID-SS',
      provinceName: 'Sumatera Selatan',
      proses: 1,
      file: 1,
      telaahFile: 0,
      telaahMediasi: 0,
      telaahRekomendasi: 0,
      rekomendasi: 2,
      jumlah: 4,
      tanggapan: 3,
      kasusDitanggapi: 2,
    });
    expect(row(res.body, 'ID-JB')).toMatchObject({ telaahFile: 1, jumlah: 1, tanggapan: 0 });
    expect(row(res.body, 'NASIONAL')).toMatchObject({ proses: 1, jumlah: 1 });
    expect(res.body.totals).toEqual({
      proses: 2,
      file: 1,
      telaahFile: 1,
      telaahMediasi: 0,
      telaahRekomendasi: 0,
      rekomendasi: 2,
      jumlah: 6,
      tanggapan: 3,
      kasusDitanggapi: 2,
    });
    for (const r of res.body.rows)
      expect(r.proses + r.file + r.telaahFile + r.telaahMediasi + r.telaahRekomendasi + r.rekomendasi).toBe(
        r.jumlah,
      );
    // A later cut-off sees C4's conclusion of 10 January 2025.
    const later = await get('/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2024&asOf=2025-01-15').expect(
      200,
    );
    expect(row(later.body, 'ID-SS')).toMatchObject({ proses: 0, telaahRekomendasi: 1, jumlah: 4 });
    // The transferred case is the centre's; the national view has everyone's.
    const pusat = await get(
      '/api/reports/rekapitulasi?unitCode=PUSAT&year=2024&asOf=2025-01-08',
      t.pusat,
    ).expect(200);
    expect(pusat.body.totals.jumlah).toBe(1);
    // Before its transfer C6 was the regional office's: as of its day of receipt it counts there,
    // though its unit is now the centre's.
    const beforeTransfer = (
      await get(
        '/api/reports/rekapitulasi/cases?unitCode=KANWIL-SS&year=2024&asOf=2024-07-01&column=jumlah',
      ).expect(200)
    ).body.cases.map((c: { id: string; unitCode: string }) => [c.id, c.unitCode]);
    expect(beforeTransfer).toContainEqual([ids.C6, 'KANWIL-SS']);
    const pusatBefore = await get(
      '/api/reports/rekapitulasi?unitCode=PUSAT&year=2024&asOf=2024-07-01',
      t.pusat,
    ).expect(200);
    expect(pusatBefore.body.totals.jumlah).toBe(0);
    const all = await get('/api/reports/rekapitulasi?unitCode=ALL&year=2024&asOf=2025-01-08', t.pusat).expect(
      200,
    );
    expect(all.body.totals).toMatchObject({ jumlah: 8, tanggapan: 3, kasusDitanggapi: 2 });
    // 2025: C7's answer of 12 January; none of the complaints were received in 2025.
    const y2025 = await get('/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2025').expect(200);
    expect(y2025.body.totals).toMatchObject({ jumlah: 0, tanggapan: 1, kasusDitanggapi: 1 });
    const q1 = await get(
      '/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2024&quarter=1&asOf=2025-01-08',
    ).expect(200);
    expect(q1.body.totals).toMatchObject({ jumlah: 2, tanggapan: 1, kasusDitanggapi: 1 });
    expect(q1.body.period.label).toBe('Triwulan I 2024');
  });

  it('opens every figure into the cases behind it', async () => {
    const base = '/api/reports/rekapitulasi/cases?unitCode=KANWIL-SS&year=2024&asOf=2025-01-08';
    const rek = await get(`${base}&column=rekomendasi&provinceCode=ID-SS`).expect(200);
    expect(rek.body.cases.map((c: { id: string }) => c.id)).toEqual([ids.C2, ids.C7]);
    const paged = await get(`${base}&column=rekomendasi&provinceCode=ID-SS&page=2&pageSize=1`).expect(200);
    expect(paged.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(paged.body.cases.map((c: { id: string }) => c.id)).toEqual([ids.C7]);
    const followed = await get(`${base}&column=kasusDitanggapi`).expect(200);
    expect(followed.body.cases.map((c: { id: string }) => c.id)).toEqual([ids.C0, ids.C2]);
    const responses = await get(`${base}&column=tanggapan`).expect(200);
    expect(responses.body.total).toBe(3);
    const all = await get(`${base}&column=jumlah`).expect(200);
    expect(all.body.total).toBe(6);
    expect(new Set(all.body.cases.map((c: { id: string }) => c.id))).toEqual(
      new Set([ids.C1, ids.C2, ids.C3, ids.C4, ids.C5, ids.C7]),
    );
    const bad = await get(`${base}&column=lainnya`).expect(400);
    expect(bad.body.details[0].field).toBe('column');
  });

  it('exports the recap as the report table: title, period, cut-off, rows and a total row', async () => {
    const res = await get(
      '/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2024&asOf=2025-01-08&format=csv',
    ).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines.slice(0, 4)).toEqual([
      'Rekapitulasi Pengaduan Dugaan Pelanggaran HAM',
      'Unit: Kantor Wilayah Sumatera Selatan',
      'Periode: Tahun 2024',
      'Data per: 8 Januari 2025',
    ]);
    expect(lines[4]).toBe(
      'No,Provinsi,PROSES,FILE,TELAAH FILE,TELAAH MEDIASI,TELAAH REKOMENDASI,REKOMENDASI,JUMLAH,TANGGAPAN,KASUS DITANGGAPI',
    );
    const body = lines.slice(5, -1).map((l) => l.split(','));
    expect(body).toHaveLength(40);
    const total = lines[lines.length - 1].split(',');
    expect(total.slice(1)).toEqual(['JUMLAH', '2', '1', '1', '0', '0', '2', '6', '3', '2']);
    for (let col = 2; col < 11; col += 1)
      expect(body.reduce((s, r) => s + Number(r[col]), 0)).toBe(Number(total[col]));
    expect(res.text).not.toContain('Siti Aminah');
  });

  it("computes the indicator from the first responses, with the unit's target", async () => {
    await app
      .http()
      .put('/api/indicators/ditindaklanjuti/targets/KANWIL-SS/2024')
      .set('Authorization', `Bearer ${t.kabid}`)
      .send({ targetPercent: 50, denominator: 'DITERIMA' })
      .expect(403);
    await app
      .http()
      .put('/api/indicators/ditindaklanjuti/targets/KANWIL-SS/2024')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ targetPercent: 50, denominator: 'DITERIMA' })
      .expect(200);
    const res = await get(
      '/api/indicators/ditindaklanjuti?unitCode=KANWIL-SS&year=2024&asOf=2025-01-08',
    ).expect(200);
    expect(res.body).toMatchObject({
      numerator: 2,
      denominator: 6,
      denominatorBasis: 'DITERIMA',
      fraction: '2/6',
      realisasi: 33.33,
      target: 50,
      capaian: 66.67,
    });
    const missing = await app
      .http()
      .put('/api/indicators/ditindaklanjuti/targets/PUSAT/2024')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ targetPercent: 80, denominator: 'TARGET' })
      .expect(400);
    expect(missing.body.details).toEqual([
      { field: 'targetCount', reason: 'wajib diisi untuk penyebut TARGET' },
    ]);
    await app
      .http()
      .put('/api/indicators/ditindaklanjuti/targets/PUSAT/2024')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ targetPercent: 80, denominator: 'TARGET', targetCount: 288 })
      .expect(200);
    const pusat = await get('/api/indicators/ditindaklanjuti?unitCode=PUSAT&year=2024', t.pusat).expect(200);
    expect(pusat.body).toMatchObject({
      numerator: 0,
      denominator: 288,
      denominatorBasis: 'TARGET',
      realisasi: 0,
      capaian: 0,
    });
    const empty = await get('/api/indicators/ditindaklanjuti?unitCode=KANWIL-SS&year=2030').expect(200);
    expect(empty.body).toMatchObject({
      numerator: 0,
      denominator: 0,
      realisasi: null,
      capaian: null,
      display: { realisasi: 'N/A' },
    });
  });

  it('breaks the same year down by month, right and unit, consistently with the recap', async () => {
    const base = '/api/reports/breakdown?year=2024&asOf=2025-01-08';
    const months = (await get(`${base}&unitCode=KANWIL-SS&dimension=month`).expect(200)).body;
    expect(
      Object.fromEntries(months.rows.map((r: { key: string; jumlah: number }) => [r.key, r.jumlah])),
    ).toEqual({ B02: 1, B03: 1, B06: 1, B08: 1, B11: 1, B12: 1 });
    expect(months.totals).toMatchObject({ jumlah: 6, proses: 2, file: 1, telaahFile: 1, rekomendasi: 2 });
    const rights = (await get(`${base}&unitCode=KANWIL-SS&dimension=rights`).expect(200)).body;
    expect(rights.multiValued).toBe(true);
    expect(
      rights.rows.map((r: { key: string; name: string; jumlah: number }) => [r.key, r.name, r.jumlah]).sort(),
    ).toEqual([
      ['KEADILAN', 'Hak memperoleh keadilan', 6],
      ['RASA_AMAN', 'Hak atas rasa aman', 6],
    ]);
    const units = (await get(`${base}&unitCode=ALL&dimension=unit`, t.pusat).expect(200)).body;
    expect(units.rows.map((r: { key: string; jumlah: number }) => [r.key, r.jumlah])).toEqual([
      ['KANWIL-SS', 6],
      ['KANWIL-JB', 1],
      ['PUSAT', 1],
    ]);
    expect(units.totals.jumlah).toBe(8);
    await get(`${base}&unitCode=KANWIL-SS&dimension=zodiac`).expect(400);
  });

  it('gives the indicator as a series to date per quarter', async () => {
    const series = (
      await get(
        '/api/indicators/ditindaklanjuti/series?unitCode=KANWIL-SS&year=2024&by=quarter&asOf=2025-01-08',
      ).expect(200)
    ).body;
    expect(
      series.points.map((p: { period: string; fraction: string; realisasi: number }) => [
        p.period,
        p.fraction,
        p.realisasi,
      ]),
    ).toEqual([
      ['TW1', '1/2', 50],
      ['TW2', '2/3', 66.67],
      ['TW3', '2/4', 50], // C6 (July) was transferred to the centre
      ['TW4', '2/6', 33.33],
    ]);
    // Month ends that close a quarter agree with the quarters; the year's end with the indicator.
    const months = (
      await get(
        '/api/indicators/ditindaklanjuti/series?unitCode=KANWIL-SS&year=2024&by=month&asOf=2025-01-08',
      ).expect(200)
    ).body;
    expect(months.points).toHaveLength(12);
    expect([3, 6, 9, 12].map((m) => months.points[m - 1].fraction)).toEqual(['1/2', '2/3', '2/4', '2/6']);
    const year = (
      await get('/api/indicators/ditindaklanjuti?unitCode=KANWIL-SS&year=2024&asOf=2025-01-08').expect(200)
    ).body;
    expect(months.points[11]).toMatchObject({
      fraction: year.fraction,
      realisasi: year.realisasi,
      capaian: year.capaian,
    });
    await get('/api/indicators/ditindaklanjuti/series?unitCode=KANWIL-SS&year=2024&by=week').expect(400);
  });

  const binary = (
    res: NodeJS.ReadableStream & { setEncoding(e: string): void },
    done: (e: Error | null, b: Buffer) => void,
  ) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  };

  it('exports the recap as XLSX that opens as the report table, totals equal to the rows', async () => {
    const res = await get(
      '/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2024&asOf=2025-01-08&format=xlsx',
    )
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as never);
    const sheet = workbook.getWorksheet('Rekapitulasi')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)[0]).toBe('Rekapitulasi Pengaduan Dugaan Pelanggaran HAM');
    expect(values(3)[0]).toBe('Periode: Tahun 2024');
    expect(values(6)).toEqual([
      'No',
      'Provinsi',
      'PROSES',
      'FILE',
      'TELAAH FILE',
      'TELAAH MEDIASI',
      'TELAAH REKOMENDASI',
      'REKOMENDASI',
      'JUMLAH',
      'TANGGAPAN',
      'KASUS DITANGGAPI',
    ]);
    const rows = Array.from({ length: 40 }, (_, i) => values(7 + i));
    const total = values(47);
    expect(total.slice(1)).toEqual(['JUMLAH', 2, 1, 1, 0, 0, 2, 6, 3, 2]);
    for (let col = 2; col < 11; col += 1)
      expect(rows.reduce((sum, r) => sum + Number(r[col]), 0)).toBe(total[col]);
    const ss = rows.find((r) => r[1] === 'Sumatera Selatan')!;
    expect(ss.slice(2)).toEqual([1, 1, 0, 0, 0, 2, 4, 3, 2]);
  });

  it('exports breakdowns and the indicator series, and the regency examination report', async () => {
    const csv = await get(
      '/api/reports/breakdown?unitCode=KANWIL-SS&year=2024&asOf=2025-01-08&dimension=month&format=csv',
    ).expect(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Pengaduan Dugaan Pelanggaran HAM menurut Bulan');
    expect(lines[lines.length - 1]).toBe(',JUMLAH,2,1,1,0,0,2,6');
    const xlsx = await get(
      '/api/indicators/ditindaklanjuti/series?unitCode=KANWIL-SS&year=2024&by=quarter&asOf=2025-01-08&format=xlsx',
    )
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    const sheet = workbook.getWorksheet('Ditindaklanjuti')!;
    expect((sheet.getRow(6).values as unknown[]).slice(1)).toEqual([
      'Periode',
      'Ditindaklanjuti',
      'Penyebut',
      'Dasar penyebut',
      'Realisasi (%)',
      'Target (%)',
      'Capaian (%)',
    ]);
    expect((sheet.getRow(10).values as unknown[]).slice(1)).toEqual([
      'TW4',
      2,
      6,
      'DITERIMA',
      '33.33%',
      50,
      '66.67%',
    ]);

    const exam = (
      await get('/api/reports/pemeriksaan-kabupaten?unitCode=KANWIL-SS&year=2024&asOf=2025-01-08').expect(200)
    ).body;
    expect(exam.items).toHaveLength(6);
    const c2 = exam.items.find((x: { id: string }) => x.id === ids.C2);
    expect(c2).toMatchObject({
      regency: '(tidak diisi)',
      status: 'Evaluasi tanggapan',
      categoryAsOf: 'REKOMENDASI',
      followUp: '2 tanggapan, terakhir 2024-05-02',
    });
    const c7 = exam.items.find((x: { id: string }) => x.id === ids.C7);
    expect(c7.followUp).toBe('menunggu tanggapan 1 instansi');
    expect(exam.items.find((x: { id: string }) => x.id === ids.C5)).toMatchObject({
      status: 'Penerimaan dan pemeriksaan kelengkapan berkas',
      followUp: '-',
    });
    const examCsv = await get(
      '/api/reports/pemeriksaan-kabupaten?unitCode=KANWIL-SS&year=2024&format=csv',
    ).expect(200);
    expect(examCsv.text).toContain('Nomor Register');
    expect(examCsv.text).not.toContain('Siti Aminah');
    await get('/api/reports/pemeriksaan-kabupaten?unitCode=KANWIL-SS&year=2024', t.jbKabid).expect(404);
  });

  it("keeps each unit's report to itself", async () => {
    await get('/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=2024', t.jbKabid).expect(404);
    await get('/api/reports/rekapitulasi?unitCode=ALL&year=2024', t.jbKabid).expect(404);
    await get('/api/reports/rekapitulasi/cases?unitCode=KANWIL-SS&year=2024&column=jumlah', t.jbKabid).expect(
      404,
    );
    await get('/api/indicators/ditindaklanjuti?unitCode=KANWIL-SS&year=2024', t.jbKabid).expect(404);
    const own = await get('/api/reports/rekapitulasi?unitCode=KANWIL-JB&year=2024', t.jbKabid).expect(200);
    expect(own.body.totals.jumlah).toBe(1);
    const noYear = await get('/api/reports/rekapitulasi?unitCode=KANWIL-SS').expect(400);
    expect(noYear.body.details[0].field).toBe('year');
  });

  /**
   * A case's category_since (CaseStore) is the start of the last run of its history that leaves
   * its unit and category as they are now: computed here from the history alone, for every case
   * the suite wrote, so a writer that moves a case without keeping it (or keeps it wrongly) fails.
   */
  it('keeps since when each case has had its unit and category, as its history says', async () => {
    const db = app.app.get(DataSource);
    const rows = await db.query<{ id: string; kept: Date | null; history: Date }[]>(
      `SELECT c.id, c.category_since AS kept,
              (SELECT min(e.occurred_at) FROM case_events e WHERE e.case_id = c.id
                  AND e.seq > coalesce((SELECT max(d.seq) FROM case_events d WHERE d.case_id = c.id
                                         AND (d.unit_code <> c.unit_code OR d.to_category <> c.category)), -1)) AS history
         FROM cases c ORDER BY c.id`,
    );
    expect(rows.length).toBeGreaterThan(8);
    expect(rows.filter((r) => r.kept?.getTime() !== r.history.getTime())).toEqual([]);
    const since = (key: string) => rows.find((r) => r.id === ids[key])!.kept!.toISOString();
    // Concluded on 10 Jan 2025 (a category); transferred on 2 Jul 2024 (a unit); still at intake.
    expect(since('C4')).toBe('2025-01-10T02:00:00.000Z');
    expect(since('C6')).toBe('2024-07-02T02:00:00.000Z');
    expect(since('C5')).toBe('2024-12-02T02:00:00.000Z');
  });

  /**
   * As of a cut-off, only a case whose unit or category changed after it has its history read
   * (C4, concluded on 10 Jan 2025); a case with only a later response that left its category
   * (C7, answered on 12 Jan) is counted from its row: two lookups for each moved case (its unit and
   * its category as of the cut-off), none for the others. Counted from the plan as executed, with
   * the reads of cases for the follow-ups.
   */
  it('reads the history at the cut-off only for cases whose unit or category changed after it', async () => {
    const db = app.app.get(DataSource);
    let lookups = 0;
    let caseReads = 0;
    const analysing: SqlRunner = {
      query: async (text: string, params?: unknown[]) => {
        const [{ 'QUERY PLAN': plan }] = await db.query<{ 'QUERY PLAN': { Plan: PlanLoops }[] }[]>(
          `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
          params,
        );
        const walk = (node: PlanLoops): void => {
          if (node['Index Name'] === 'idx_case_events_case_occurred') lookups += node['Actual Loops'];
          if (node['Index Name'] === 'pk_cases') caseReads += node['Actual Loops'];
          node.Plans?.forEach(walk);
        };
        walk(plan[0].Plan);
        return [];
      },
    };
    const reports = new ReportsService(db, clock, app.app.get(UnitsService), app.app.get(WorkflowRegistry), {
      runner: () => analysing,
    } as unknown as ReadReplicas);
    const asOf = new Date('2025-01-08T16:59:59.999Z');
    await reports.recap('ALL', { from: '2024-01-01', to: '2025-01-01', label: '2024' }, asOf);
    const [{ changed, later }] = await db.query<{ changed: number; later: number }[]>(
      `SELECT count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM case_events e JOIN case_events p ON p.case_id = e.case_id AND p.seq = e.seq - 1
                 WHERE e.case_id = c.id AND e.occurred_at > $1
                   AND (e.unit_code, e.to_category) IS DISTINCT FROM (p.unit_code, p.to_category)))::int AS changed,
              count(*) FILTER (WHERE c.last_event_at > $1)::int AS later
         FROM cases c WHERE c.received_at >= '2023-12-30' AND c.received_at < '2025-01-03'`,
      [asOf],
    );
    expect(changed).toBeGreaterThanOrEqual(1);
    expect(later).toBeGreaterThan(changed);
    expect(lookups).toBe(2 * changed);
    // Its follow-ups are counted from their history rows (migration 036): no case is read for them.
    expect(caseReads).toBe(0);
  });

  /**
   * The recap's counts per province come from a hash table, not from a sort of the period's cases
   * (reports.service.ts, hashedReads): its runner carries the planner settings, which the plan as
   * run under them shows.
   */
  it("counts the recap's provinces by hashing, under the planner settings its reads ask for", async () => {
    const db = app.app.get(DataSource);
    const asked: unknown[] = [];
    const nodes: string[] = [];
    // The service's own runner with those settings, each statement explained instead of run.
    const explaining = (planner?: PlannerSettings): SqlRunner => {
      const real = app.app.get(ReadReplicas).runner(null, planner);
      return {
        query: async (text: string, params?: unknown[]) => {
          const [{ 'QUERY PLAN': plan }] = (await real.query(`EXPLAIN (FORMAT JSON) ${text}`, params)) as {
            'QUERY PLAN': { Plan: PlanNode }[];
          }[];
          const walk = (node: PlanNode): void => {
            nodes.push(`${node['Node Type']} ${node.Strategy ?? ''} ${(node['Sort Key'] ?? []).join(',')}`);
            node.Plans?.forEach(walk);
          };
          walk(plan[0].Plan);
          return [];
        },
      };
    };
    const reports = new ReportsService(db, clock, app.app.get(UnitsService), app.app.get(WorkflowRegistry), {
      runner: (_user: string | null, planner?: PlannerSettings) => {
        asked.push(planner);
        return explaining(planner);
      },
    } as unknown as ReadReplicas);
    await reports.recap('ALL', { from: '2024-01-01', to: '2025-01-01', label: '2024' }, new Date());
    expect(asked).toContainEqual({ enable_sort: 'off' });
    expect(nodes.filter((n) => n.startsWith('Aggregate Hashed'))).toHaveLength(1);
    expect(nodes.filter((n) => n.startsWith('Sort ') && /\bloc\b/.test(n))).toEqual([]);
  });

  /** What a history row records of its case (CaseStore): its locus, and whether it was the first follow-up. */
  it("records on each history row its case's locus and whether it was its first follow-up", async () => {
    const [counts] = await app.app
      .get(DataSource)
      .query<{ unlike: number; firsts: number; followed: number; misplaced: number }[]>(
        `SELECT count(*) FILTER (WHERE e.locus_province_code IS DISTINCT FROM c.locus_province_code
                                  OR e.first_follow_up IS NULL)::int AS unlike,
              count(*) FILTER (WHERE e.first_follow_up)::int AS firsts,
              count(*) FILTER (WHERE e.first_follow_up AND e.occurred_at <> c.first_response_at)::int AS misplaced,
              (SELECT count(*)::int FROM cases WHERE first_response_at IS NOT NULL) AS followed
         FROM case_events e JOIN cases c ON c.id = e.case_id`,
      );
    expect(counts).toEqual({ unlike: 0, firsts: counts.followed, misplaced: 0, followed: counts.followed });
    expect(counts.followed).toBeGreaterThanOrEqual(3);
  });

  /**
   * At ten million cases a recap was mostly random reads of the table, one page per case of the
   * period (docs/scaling.md): its ranges of receipt and of follow-ups, and the follow-ups' cases,
   * are read from covering indexes (migration 033). Planned with the table scans ruled out, every
   * read of cases or events by such a range must be index-only; what is left to the table is the
   * cut-off's lookup of a case written after it, and the few cases a transfer moved.
   */
  it("reads a period's cases and follow-ups from their indexes alone", async () => {
    const db = app.app.get(DataSource);
    type PlanNode = {
      'Node Type': string;
      'Relation Name'?: string;
      'Index Name'?: string;
      'Index Cond'?: string;
      Plans?: PlanNode[];
    };
    const scans: { statement: string; node: string; index: string | null; cond: string }[] = [];
    const explaining: SqlRunner = {
      query: async (text: string, params?: unknown[]) => {
        const runner = db.createQueryRunner();
        await runner.connect();
        try {
          await runner.startTransaction();
          await runner.query('SET LOCAL enable_seqscan = off');
          await runner.query('SET LOCAL enable_bitmapscan = off');
          const [{ 'QUERY PLAN': plan }] = (await runner.query(`EXPLAIN (FORMAT JSON) ${text}`, params)) as {
            'QUERY PLAN': { Plan: PlanNode }[];
          }[];
          const walk = (node: PlanNode): void => {
            if (node['Relation Name'] === 'cases' || node['Relation Name'] === 'case_events')
              scans.push({
                statement: text.slice(-80),
                node: `${node['Node Type']} on ${node['Relation Name']}`,
                index: node['Index Name'] ?? null,
                cond: node['Index Cond'] ?? '',
              });
            node.Plans?.forEach(walk);
          };
          walk(plan[0].Plan);
          await runner.rollbackTransaction();
        } finally {
          await runner.release();
        }
        // One row of zeros stands for any answer: only the plans are looked at.
        return [{ received: 0, followed: 0 }];
      },
    };
    const reports = new ReportsService(db, clock, app.app.get(UnitsService), app.app.get(WorkflowRegistry), {
      runner: () => explaining,
    } as unknown as ReadReplicas);
    const year = { from: '2024-01-01', to: '2025-01-01', label: '2024' };
    const asOf = new Date('2025-01-20T03:00:00Z');
    for (const unit of ['KANWIL-SS', 'ALL']) {
      await reports.recap(unit, year, asOf);
      await reports.indicator(unit, 2024, asOf);
      await reports.casesPage(unit, year, asOf, 'jumlah', undefined, 1, 50);
      await reports.casesPage(unit, year, asOf, 'tanggapan', undefined, 1, 50);
    }
    // The per-case lookups left to the table: a case written after the cut-off, a transferred one.
    const byCase = (s: (typeof scans)[number]) =>
      s.index === 'idx_case_events_case_occurred' || /^\(?id = ANY/.test(s.cond);
    const ranges = scans.filter((s) => !byCase(s));
    expect(ranges.filter((s) => !s.node.startsWith('Index Only Scan'))).toEqual([]);
    // Which of them the planner picks for a unit depends on the table's size; all of them cover.
    const covering = [
      'cases_unit_received_cover',
      'cases_received_cover',
      'case_events_unit_occurred_cover',
      'case_events_type_occurred_cover',
      'pk_cases',
    ];
    expect(ranges.filter((s) => !covering.includes(s.index ?? ''))).toEqual([]);
    expect(ranges.some((s) => s.node.endsWith('on cases'))).toBe(true);
    expect(ranges.some((s) => s.node.endsWith('on case_events'))).toBe(true);
  });

  /**
   * A complaint is in the year of its unit's local date of receipt, at both ends of the period:
   * one instant can be 1 January in Maluku (WIT, UTC+9) and still 31 December in Jawa Barat (WIB).
   * Last in this file: it adds cases to the national figures the tests above count.
   */
  it("counts a complaint near the period's ends in the year of its unit's local date", async () => {
    const ma = await app.user('ma.petugas', 'KANWIL-MA', ['PETUGAS']);
    const national = async () =>
      (await get('/api/reports/rekapitulasi?unitCode=ALL&year=2024', t.pusat).expect(200)).body.totals.jumlah;
    const before = await national();
    const registered: Record<string, string> = {};
    for (const [key, unitCode, token, receivedAt] of [
      ['inFirstWit', 'KANWIL-MA', ma, '2024-01-01T00:30:00+09:00'],
      ['beforeWit', 'KANWIL-MA', ma, '2023-12-31T23:30:00+09:00'],
      ['inLastWit', 'KANWIL-MA', ma, '2024-12-31T23:30:00+09:00'],
      ['afterWit', 'KANWIL-MA', ma, '2025-01-01T00:30:00+09:00'],
      // An hour after inFirstWit, and still 2023 in its unit's zone.
      ['beforeWib', 'KANWIL-JB', t.jb, '2023-12-31T23:30:00+07:00'],
      // An hour after afterWit, and still 2024 in its unit's zone.
      ['inLastWib', 'KANWIL-JB', t.jb, '2024-12-31T23:30:00+07:00'],
    ] as const) {
      const res = await app
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${token}`)
        .send(complaint({ unitCode, receivedAt, locus: { provinceCode: 'ID-MA' } }))
        .expect(201);
      registered[res.body.id] = key;
    }
    const unit = await get('/api/reports/rekapitulasi?unitCode=KANWIL-MA&year=2024', t.pusat).expect(200);
    expect(unit.body.totals.jumlah).toBe(2);
    const cases = await get(
      '/api/reports/rekapitulasi/cases?unitCode=KANWIL-MA&year=2024&column=jumlah',
      t.pusat,
    ).expect(200);
    const keys = (cases.body.cases as { id: string }[]).map((c) => registered[c.id]).sort();
    expect(keys).toEqual(['inFirstWit', 'inLastWit']);
    expect(await national()).toBe(before + 3);
  });
});
