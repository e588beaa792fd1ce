/**
 * Late records are visible, not silent: an event dated more than a working day before it is
 * entered needs a reason, is marked in the history, and counts in the compliance figures by when
 * it was really recorded. Registrations dated before 2000 or in the future are refused.
 */
import { unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('late records', () => {
  let t: TestApp;
  let ss: UnitActors;

  beforeAll(async () => {
    t = await createTestApp();
    ss = await unitActors(t, 'KANWIL-SS', 'lr');
  });
  afterAll(() => t?.close());

  const event = (token: string, id: string, body: object) =>
    t.http().post(`/api/cases/${id}/events`).set('Authorization', `Bearer ${token}`).send(body);

  it('asks a reason for a back-dated event, marks it in the history, and counts the step by its recording time', async () => {
    // Registered on Monday 2 March; the check (5 working days) was due on 9 March; recorded on 12
    // March, dated 2 March: by its date it would be on time, by its recording it was not.
    t.clock.set('2026-03-02T09:00:00+07:00');
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ receivedAt: '2026-03-02T09:00:00+07:00' }))
        .expect(201)
    ).body;
    t.clock.set('2026-03-12T10:00:00+07:00');
    const refused = await event(ss.petugas, c.id, {
      type: 'DISPOSISI',
      occurredAt: '2026-03-02T10:00:00+07:00',
    }).expect(400);
    expect(refused.body.details).toEqual([
      {
        field: 'alasanTerlambat',
        reason: 'wajib diisi: kejadian ini dicatat lebih dari satu hari kerja setelah terjadi',
      },
    ]);
    await event(ss.petugas, c.id, {
      type: 'DISPOSISI',
      occurredAt: '2026-03-02T10:00:00+07:00',
      alasanTerlambat: 'sistem tidak dapat diakses saat itu',
    }).expect(200);

    const history = (
      await t.http().get(`/api/cases/${c.id}/history`).set('Authorization', `Bearer ${ss.kabid}`).expect(200)
    ).body;
    expect(history[1].payload.dicatatTerlambat).toEqual({
      dicatatPada: '2026-03-12T03:00:00.000Z',
      alasan: 'sistem tidak dapat diakses saat itu',
    });

    const summary = (
      await t
        .http()
        .get('/api/sla/summary?from=2026-03-01T00:00:00%2B07:00&to=2026-03-31T00:00:00%2B07:00')
        .set('Authorization', `Bearer ${ss.kabid}`)
        .expect(200)
    ).body;
    const step = summary.compliance.find((s: { step: string }) => s.step === 'terima.pemeriksaan');
    expect(step).toMatchObject({ finished: 1, onTime: 0, recordedLate: 1 });

    // Within a working day, no reason is asked and nothing is marked.
    t.clock.set('2026-03-13T11:00:00+07:00');
    const d = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ receivedAt: '2026-03-13T08:00:00+07:00' }))
        .expect(201)
    ).body;
    const onTime = (
      await event(ss.petugas, d.id, { type: 'DISPOSISI', occurredAt: '2026-03-13T10:30:00+07:00' }).expect(
        200,
      )
    ).body;
    const dh = (
      await t
        .http()
        .get(`/api/cases/${onTime.id}/history`)
        .set('Authorization', `Bearer ${ss.kabid}`)
        .expect(200)
    ).body;
    expect(dh[1].payload.dicatatTerlambat).toBeUndefined();
  });

  it('refuses a complaint received before 2000 or in the future outside the legacy import', async () => {
    t.clock.set('2026-03-06T11:00:00+07:00');
    const old = await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${ss.petugas}`)
      .send(complaint({ receivedAt: '1999-12-31T09:00:00+07:00' }))
      .expect(400);
    expect(old.body.details).toEqual([
      {
        field: 'receivedAt',
        reason: 'tidak boleh sebelum tahun 2000; pengaduan lama dicatat melalui impor data lama',
      },
    ]);
    const future = await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${ss.petugas}`)
      .send(complaint({ receivedAt: '2026-03-07T09:00:00+07:00' }))
      .expect(400);
    expect(future.body.details).toEqual([{ field: 'receivedAt', reason: 'tidak boleh di masa depan' }]);
  });
});
