/**
 * No unit can write another unit's numbers, no import blocks registration, and no spreadsheet can
 * stall the service: each attack as a Kanwil's KABID or a stranger would try it, refused.
 */
import { deflateRawSync } from 'node:zlib';
import { createTestApp, complaint, type TestApp } from './support/test-app';

const HEADER =
  'nomor_register;unit;tanggal_diterima;provinsi;kabupaten_kota;hak;tema;pihak_teradu;saluran;jenis;ringkasan;hasil;tanggal_hasil;nomor_surat;tanggal_surat;institusi;tanggal_tanggapan';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const row = (number: string, unit: string, date = '2026-02-02') =>
  `${number};${unit};${date};ID-SS;;RASA_AMAN;PIDANA;KEPOLISIAN;SURAT;LANGSUNG;Impor;PROSES;;;;;`;

/** A ZIP archive with one entry, written by hand: what an attacker would send as a spreadsheet. */
function zipOf(name: string, content: Buffer): Buffer {
  const data = deflateRawSync(content, { level: 9 });
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + nameBytes.length, 12);
  end.writeUInt32LE(30 + nameBytes.length + data.length, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}

describe('imports that cannot harm another unit or the service', () => {
  let t: TestApp;
  let ssKabid: string;
  let jkPetugas: string;
  let ssPetugas: string;
  let pemantau: string;

  beforeAll(async () => {
    t = await createTestApp();
    [ssKabid, jkPetugas, ssPetugas, pemantau] = await Promise.all([
      t.user('imp.ss.kabid', 'KANWIL-SS', ['KABID']),
      t.user('imp.jk.petugas', 'KANWIL-JK', ['PETUGAS']),
      t.user('imp.ss.petugas', 'KANWIL-SS', ['PETUGAS']),
      t.user('imp.ss.pemantau', 'KANWIL-SS', ['PEMANTAU']),
    ]);
  });
  afterAll(() => t?.close());

  const post = (body: string | Buffer, type = 'text/csv', token = ssKabid, query = '') =>
    t
      .http()
      .post(`/api/imports/cases${query}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', type)
      .send(body);
  const register = (token: string, unitCode: string) =>
    t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${token}`)
      .send(
        complaint({ unitCode, receivedAt: '2026-02-03T09:00:00+07:00', locus: { provinceCode: 'ID-SS' } }),
      );

  it("refuses another unit's register numbers, so that unit keeps registering", async () => {
    const res = await post(
      [HEADER, row('KANWIL-JK/2026/00002', 'KANWIL-SS'), row('KANWIL-JK/2026/00003', 'KANWIL-JK')].join('\n'),
    ).expect(200);
    expect(res.body.summary).toMatchObject({ created: 0, refused: 2 });
    expect(res.body.rows[0].problems).toEqual([
      {
        field: 'nomor_register',
        reason: 'nomor register berformat sistem harus milik unit baris ini (KANWIL-SS/TAHUN/NOMOR)',
      },
    ]);
    expect(res.body.rows[1].problems).toEqual(
      expect.arrayContaining([{ field: 'unit', reason: 'hanya unit Anda sendiri' }]),
    );
    for (const expected of ['KANWIL-JK/2026/00001', 'KANWIL-JK/2026/00002', 'KANWIL-JK/2026/00003']) {
      expect((await register(jkPetugas, 'KANWIL-JK').expect(201)).body.registerNumber).toBe(expected);
    }
    // A trial run tells nothing of the other unit's cases: its existing number is refused alike.
    const probe = await post(
      [HEADER, row('KANWIL-JK/2026/00002', 'KANWIL-SS'), row('KANWIL-JK/2026/00099', 'KANWIL-SS')].join('\n'),
      'text/csv',
      ssKabid,
      '?dryRun=true',
    ).expect(200);
    expect(
      probe.body.rows.map((r: { status: string; problems: unknown[] }) => [r.status, r.problems]),
    ).toEqual([
      ['DITOLAK', res.body.rows[0].problems],
      ['DITOLAK', res.body.rows[0].problems],
    ]);
  });

  it("moves the unit's counter past its own imported numbers: registration never collides", async () => {
    const res = await post(
      [HEADER, row('KANWIL-SS/2026/00001', 'KANWIL-SS'), row('KANWIL-SS/2026/00007', 'KANWIL-SS')].join('\n'),
    ).expect(200);
    expect(res.body.summary).toMatchObject({ created: 2 });
    expect((await register(ssPetugas, 'KANWIL-SS').expect(201)).body.registerNumber).toBe(
      'KANWIL-SS/2026/00008',
    );
    // A number of the format for another year than the row's is refused, not silently misfiled.
    const wrongYear = await post(
      [HEADER, row('KANWIL-SS/2025/00001', 'KANWIL-SS')].join('\n'),
      'text/csv',
      ssKabid,
      '?dryRun=true',
    ).expect(200);
    expect(wrongYear.body.rows[0].problems).toEqual([
      {
        field: 'nomor_register',
        reason: 'tahun pada nomor register berformat sistem harus tahun tanggal_diterima',
      },
    ]);
  });

  it('checks the caller before reading the body: a 30 MB body of a monitor or a stranger is refused unread', async () => {
    const huge = Buffer.alloc(30 * 1024 * 1024, 0x61);
    await t.http().post('/api/imports/cases').set('Content-Type', 'text/csv').send(huge).expect(401);
    await post(huge, 'text/csv', pemantau).expect(403);
    const tooLarge = await post(huge).expect(413);
    expect(tooLarge.body).toMatchObject({ statusCode: 413, message: expect.stringContaining('25 MB') });
  });

  it('refuses more than 50,000 rows, and a zip bomb before unzipping it, while the service keeps answering', async () => {
    const rows = Array.from({ length: 50_001 }, (_, i) => row(`BOM/${i}`, 'KANWIL-SS'));
    const many = await post([HEADER, ...rows].join('\n')).expect(413);
    expect(many.body.message).toContain('50.000 baris');

    const bomb = zipOf('xl/sharedStrings.xml', Buffer.alloc(200 * 1024 * 1024, 0x41));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    const [refused, health] = await Promise.all([post(bomb, XLSX), t.http().get('/api/health')]);
    expect(refused.status).toBe(413);
    expect(health.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);

    const garbage = await post(Buffer.from('PK\u0003\u0004 ini bukan xlsx'), XLSX).expect(400);
    expect(garbage.body.details).toEqual([{ field: 'body', reason: 'bukan berkas XLSX yang dapat dibaca' }]);
  });
});
