/**
 * A backup restores into the same figures: a database with cases of every kind is dumped with
 * pg_dump, restored with pg_restore into a fresh database, and the service started on it gives
 * the same recap, indicator, histories and documents (docs/operations.md describes the steps).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { OWNER_ROLE, RUNTIME_ROLE } from '../src/database/roles';
import { asRole, withDatabase } from './support/global-setup';
import { eventSender, unitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

/** PostgreSQL's client tools: PG_BIN when set, else the machine's (Debian's postgresql-client). */
function tool(name: 'pg_dump' | 'pg_restore'): string {
  const candidates = [
    process.env.PG_BIN && join(process.env.PG_BIN, name),
    `/usr/lib/postgresql/15/bin/${name}`,
    `/usr/bin/${name}`,
  ].filter(Boolean) as string[];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error(`${name} not found (set PG_BIN to the directory of PostgreSQL 15's client tools)`);
  return found;
}

describe('backup and restore', () => {
  let t: TestApp;
  let restored: TestApp | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'yankomas-backup-'));

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await restored?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives back the same recap, indicator, histories and documents', async () => {
    const ss = await unitActors(t, 'KANWIL-SS', 'bk');
    const send = eventSender(t);
    const day = (offset: number) => new Date(Date.now() - offset * 3_600_000).toISOString();
    const register = async () =>
      (
        await t
          .http()
          .post('/api/cases')
          .set('Authorization', `Bearer ${ss.petugas}`)
          .send(complaint({ receivedAt: day(30) }))
          .expect(201)
      ).body;
    const institution = (
      await t
        .http()
        .post('/api/institutions')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send({ name: 'Polres Uji Cadangan', email: 'polres@contoh.id' })
        .expect(201)
    ).body.id;

    const open = await register();
    const notCompetent = await register();
    await send(ss.petugas, notCompetent.id, { type: 'TIDAK_BERWENANG', referral: 'Ombudsman RI' });
    const answered = await register();
    await send(ss.petugas, answered.id, { type: 'DISPOSISI' });
    await send(ss.kakanwil, answered.id, { type: 'DISPOSISI' });
    await send(ss.kadiv, answered.id, { type: 'DISPOSISI' });
    await send(ss.kabid, answered.id, { type: 'REKOMENDASI_SEGERA' });
    await send(ss.petugas, answered.id, { type: 'AJUKAN_SURAT' });
    await send(ss.kakanwil, answered.id, { type: 'SETUJUI_SURAT' });
    await send(ss.petugas, answered.id, {
      type: 'KIRIM_SURAT',
      institutionIds: [institution],
      letterNumber: 'W6-99',
    });
    await send(ss.petugas, answered.id, {
      type: 'TANGGAPAN',
      institutionId: institution,
      summary: 'ditindaklanjuti',
    });
    await t
      .http()
      .post(`/api/cases/${open.id}/attachments`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .attach('file', Buffer.from('%PDF-1.4 surat'), {
        filename: 'surat.pdf',
        contentType: 'application/pdf',
      })
      .expect(201);
    const year = new Date().getFullYear();
    await t
      .http()
      .put(`/api/indicators/ditindaklanjuti/targets/KANWIL-SS/${year}`)
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ targetPercent: 60, denominator: 'DITERIMA' })
      .expect(200);

    const figures = async (app: TestApp) => {
      const get = (path: string) =>
        app
          .http()
          .get(path)
          .set('Authorization', `Bearer ${app.adminToken}`)
          .expect(200)
          .then((r) => r.body);
      const histories = await Promise.all(
        [open, notCompetent, answered].map((c) => get(`/api/cases/${c.id}/history`)),
      );
      const [attachment] = await get(`/api/cases/${open.id}/attachments`);
      const file = await app
        .http()
        .get(`/api/cases/${open.id}/attachments/${attachment.id}`)
        .set('Authorization', `Bearer ${app.adminToken}`)
        .buffer(true)
        .expect(200);
      // Both figures as of the moment they are asked for: that moment is all that may differ.
      const { asOf: _r, ...recap } = await get(`/api/reports/rekapitulasi?unitCode=KANWIL-SS&year=${year}`);
      const { asOf: _i, ...indicator } = await get(
        `/api/indicators/ditindaklanjuti?unitCode=KANWIL-SS&year=${year}`,
      );
      return {
        recap,
        indicator,
        cases: (await get(`/api/cases?unitCode=KANWIL-SS`)).items.map(
          (c: { id: string; state: string; version: number; category: string }) => [
            c.id,
            c.state,
            c.version,
            c.category,
          ],
        ),
        histories,
        attachment: { sha256: attachment.sha256, bytes: Buffer.from(file.body as Buffer).toString('utf8') },
      };
    };
    const before = await figures(t);
    expect(before.recap.totals).toMatchObject({
      jumlah: 3,
      proses: 1,
      file: 1,
      rekomendasi: 1,
      tanggapan: 1,
      kasusDitanggapi: 1,
    });

    // The dump is taken as the schema owner; it restores as the owner into a database of its own.
    const dump = join(dir, 'yankomas.dump');
    execFileSync(tool('pg_dump'), ['--format=custom', `--file=${dump}`, `--dbname=${t.ownerUrl}`]);
    const name = `${new URL(t.databaseUrl).pathname.slice(1)}_pulih`;
    const server = process.env.YANKOMAS_TEST_SERVER_URL!;
    const admin = new Client({ connectionString: withDatabase(server, 'postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} OWNER ${OWNER_ROLE}`);
    await admin.end();
    execFileSync(tool('pg_restore'), [
      '--exit-on-error',
      '--no-owner',
      `--dbname=${asRole(withDatabase(server, name), OWNER_ROLE)}`,
      dump,
    ]);

    restored = await createTestApp({ databaseUrl: asRole(withDatabase(server, name), RUNTIME_ROLE) });
    expect(await figures(restored)).toEqual(before);
  });
});
