import { DataSource } from 'typeorm';
import { recommendationJourney } from '../bench/journey';
import { CaseStore } from '../src/cases/case-store';
import { complaint, createTestApp, overLocalSocket, type TestApp } from './support/test-app';

/**
 * An instance remembers the cases it wrote last and sends their next event without reading them
 * first (cases/case-store.ts, lastWritten). With two instances on one database that memory goes
 * stale whenever the other one writes: every answer must still be the one a fresh read gives.
 */
describe('the event path on two instances, with a remembered case gone stale', () => {
  let a: TestApp;
  let b: TestApp;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    a = await createTestApp();
    // b as `npm start` reaches the embedded server: over its Unix socket.
    b = await createTestApp({ databaseUrl: overLocalSocket(a.databaseUrl) ?? a.databaseUrl });
    for (const [name, role] of [
      ['petugas', 'PETUGAS'],
      ['kakanwil', 'KAKANWIL'],
      ['kadiv', 'KADIV'],
      ['kabid', 'KABID'],
    ] as const) {
      t[name] = await a.user(`ep.${name}`, 'KANWIL-SS', [role]);
    }
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const send = (on: TestApp, id: string, role: string, event: object, ifMatch?: number) => {
    const req = on.http().post(`/api/cases/${id}/events`).set('Authorization', `Bearer ${t[role]}`);
    if (ifMatch !== undefined) req.set('If-Match', `"${ifMatch}"`);
    return req.send(event);
  };

  it('reaches the embedded server over its Unix socket, and another client over TCP', async () => {
    const local = async (on: TestApp) => {
      const [row] = await on.app
        .get(DataSource)
        .query<{ local: boolean }[]>('SELECT inet_server_addr() IS NULL AS local');
      return row.local;
    };
    expect({ a: await local(a), b: await local(b) }).toEqual({
      a: false,
      b: process.env.YANKOMAS_TEST_SOCKET_URL !== undefined,
    });
  });

  it('decides every event on the case as it is, not as the instance last wrote it', async () => {
    const created = await a
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${t.petugas}`)
      .send(complaint({ unitCode: 'KANWIL-SS', locus: { provinceCode: 'ID-SS' } }))
      .expect(201);
    const id = created.body.id as string;
    // a writes the case (and remembers it at version 2, waiting for the KAKANWIL) ...
    await send(a, id, 'petugas', { type: 'DISPOSISI' }).expect(200);
    // ... then b moves it on twice: a's memory is now two versions behind.
    await send(b, id, 'kakanwil', { type: 'DISPOSISI' }).expect(200);
    const atKabid = await send(b, id, 'kadiv', { type: 'DISPOSISI' }).expect(200);
    expect(atKabid.body.version).toBe(4);

    // On a's memory the KABID may not act yet (403); on the case as it is, he may.
    const telaah = await send(a, id, 'kabid', { type: 'TELAAH' }).expect(200);
    expect(telaah.body).toMatchObject({ version: 5, state: 'telaah.penyusunan' });

    // b moves it on again. On a's memory the officer's AJUKAN_TELAAH is allowed; on the case it
    // is not: the 409 names the case's own state and its allowed events.
    await send(b, id, 'petugas', { type: 'AJUKAN_TELAAH' }).expect(200);
    const refused = await send(a, id, 'petugas', { type: 'AJUKAN_TELAAH' }).expect(409);
    expect(refused.body.details.state).toBe('telaah.persetujuan');
    expect(refused.body.details.allowedEvents).toContain('SETUJUI_TELAAH');
    expect(refused.body.details.allowedEvents).not.toContain('AJUKAN_TELAAH');

    // If-Match is compared with the case's version, never with the remembered one.
    const approved = await send(
      a,
      id,
      'kabid',
      { type: 'SETUJUI_TELAAH', kesimpulan: 'REKOMENDASI', audiensi: false },
      6,
    ).expect(200);
    expect(approved.body.version).toBe(7);
    await send(b, id, 'petugas', { type: 'AJUKAN_SURAT' }).expect(200);
    const stale = await send(a, id, 'kakanwil', { type: 'SETUJUI_SURAT' }, 7).expect(409);
    expect(stale.body.details.currentVersion).toBe(8);
    const signed = await send(a, id, 'kakanwil', { type: 'SETUJUI_SURAT' }, 8).expect(200);
    expect(signed.body.version).toBe(9);

    // One history row per version, none twice.
    const history = await a
      .http()
      .get(`/api/cases/${id}/history`)
      .set('Authorization', `Bearer ${t.kabid}`)
      .expect(200);
    expect((history.body as { seq: number }[]).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('remembers each case exactly as a fresh read finds it, after every kind of write', async () => {
    const store = a.app.get(CaseStore);
    const dataSource = a.app.get(DataSource);
    const institution = await a
      .http()
      .post('/api/institutions')
      .set('Authorization', `Bearer ${t.petugas}`)
      .send({ name: 'Polda Sumatera Selatan', email: 'humas@polda-sumsel.example.id' })
      .expect(201);
    const created = await a
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${t.petugas}`)
      .send(
        complaint({
          unitCode: 'KANWIL-SS',
          locus: { provinceCode: 'ID-SS' },
          complainant: { name: 'Pengadu', email: 'pengadu@example.id' },
        }),
      )
      .expect(201);
    const id = created.body.id as string;
    const same = async (step: string) => {
      const { configRevision: _remembered, ...remembered } = store.lastWritten(id)!;
      const { configRevision: _read, ...read } = (await store.find(dataSource, id))!;
      expect({ step, row: remembered }).toEqual({ step, row: read });
    };
    // The case's search row (migration 030) is written with the case and left alone by its events:
    // an event rewrites the case row, and on that row it would pay for every trigram index.
    const searchRow = () =>
      dataSource.query<{ xmin: string; text: string }[]>(
        'SELECT xmin::text AS xmin, search_text AS text FROM case_search WHERE case_id = $1',
        [id],
      );
    const [written] = await searchRow();
    expect(written.text).toContain('kanwil-ss');
    for (const [role, event] of recommendationJourney(institution.body.id, 'W6.HAM-1')) {
      await send(a, id, role, event).expect(200);
      await same(event.type);
    }
    expect(await searchRow()).toEqual([written]);
    const trigramIndexesOnCases = await dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'cases' AND indexdef LIKE '%gin%'`,
    );
    expect(trigramIndexesOnCases).toEqual([]);
  });

  it('answers 404 for a case the caller may not see, whatever the instance remembers', async () => {
    const other = await a.user('ep.jt', 'KANWIL-JT', ['PETUGAS']);
    const created = await a
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${t.petugas}`)
      .send(complaint({ unitCode: 'KANWIL-SS', locus: { provinceCode: 'ID-SS' } }))
      .expect(201);
    await send(a, created.body.id, 'petugas', { type: 'DISPOSISI' }).expect(200);
    await a
      .http()
      .post(`/api/cases/${created.body.id}/events`)
      .set('Authorization', `Bearer ${other}`)
      .send({ type: 'DISPOSISI' })
      .expect(404);
  });
});
