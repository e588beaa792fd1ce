import { Client } from 'pg';
import { SchedulerService } from '../src/sla/scheduler.service';
import { eventSender } from './support/actors';
import { holdCaseRow, waitingOnLock } from './support/locks';
import { TestSmtpServer } from './support/smtp';
import { complaint, createTestApp, TestClock, type TestApp } from './support/test-app';

/** Monday 1 April 2024, 09:00 WIB: a week before Lebaran (8-15 April off). */
const START = '2024-04-01T09:00:00+07:00';

const DEFAULT_SETTINGS = {
  officeOpen: 480,
  officeClose: 960,
  officeCloseFriday: 990,
  dueSoonPercent: 20,
  escalationGraceDays: 2,
};

/**
 * What a change of configuration moves, with two instances on one database: it is honoured by
 * the other instance's very next computation, it moves every deadline computed from it (the
 * cases', the dispatches', the letters'), and a write computed from the old configuration never
 * lands, whichever of the two commits first.
 */
describe('derived state after a configuration change, on two instances', () => {
  let smtp: TestSmtpServer;
  let clock: TestClock;
  let a: TestApp;
  let b: TestApp;
  let db: Client;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    clock = new TestClock();
    clock.set(START);
    const env = { SMTP_URL: smtp.url, MAIL_FROM: 'yankomas@kemenkumham.example.id' };
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
    db = new Client({ connectionString: a.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await b.close();
    await a.close();
    await smtp.stop();
  });

  const register = async (on: TestApp, receivedAt: string) =>
    (
      await on
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${t.petugas}`)
        .send(complaint({ receivedAt, complainant: { name: 'Siti Aminah' } }))
        .expect(201)
    ).body as { id: string; registerNumber: string; version: number; deadline: { dueAt: string } };
  const get = async (on: TestApp, id: string) =>
    (await on.http().get(`/api/cases/${id}`).set('Authorization', `Bearer ${t.kabid}`).expect(200)).body;
  const history = async (id: string) =>
    (await a.http().get(`/api/cases/${id}/history`).set('Authorization', `Bearer ${t.kabid}`).expect(200))
      .body as { seq: number; type: string; payload: Record<string, unknown> }[];
  const putSettings = (settings: object) =>
    a
      .http()
      .put('/api/units/KANWIL-SS/settings')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send(settings)
      .expect(200);
  const dayOff = (date: string) =>
    a
      .http()
      .put(`/api/calendars/${date.slice(0, 4)}/days/${date}`)
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({ kind: 'CUTI_BERSAMA', name: 'Koreksi SKB' });
  it("moves a unit's open deadlines when its settings change on A, and B counts the new settings at once", async () => {
    clock.set(START);
    const before = await register(b, START);
    // 20% of 5 working days is one day: due soon from the start of the due day, 16 April.
    expect((await get(b, before.id)).deadline.dueSoonAt).toBe('2024-04-15T17:00:00.000Z');
    await putSettings({ ...DEFAULT_SETTINGS, dueSoonPercent: 50 });
    // The open case moved with the settings, as a new version with its reason in the history.
    const moved = await get(b, before.id);
    expect(moved.deadline.dueSoonAt).toBe('2024-04-03T17:00:00.000Z');
    expect(moved.version).toBe(before.version + 1);
    expect((await history(before.id)).at(-1)).toMatchObject({
      seq: before.version + 1,
      type: 'TENGGAT_DIHITUNG_ULANG',
      payload: { sebab: 'UNIT', unit: 'KANWIL-SS' },
    });
    // B's very next registration counts the new share: no cache outlives the change.
    expect((await register(b, START)).deadline).toMatchObject({ dueSoonAt: '2024-04-03T17:00:00.000Z' });
    await putSettings(DEFAULT_SETTINGS);
    expect((await get(a, before.id)).deadline.dueSoonAt).toBe('2024-04-15T17:00:00.000Z');
  });

  it("moves an open dispatch's reply deadline with a calendar correction, and the reminder letter quotes the new date", async () => {
    clock.set(START);
    const send = eventSender(a);
    const institution = (
      await a
        .http()
        .post('/api/institutions')
        .set('Authorization', `Bearer ${t.petugas}`)
        .send({
          name: 'Pemerintah Kabupaten Ogan Ilir',
          email: 'setda@oganilir.example.id',
          type: 'PEMERINTAH_DAERAH',
          provinceCode: 'ID-SS',
        })
        .expect(201)
    ).body.id as string;
    const c = await register(a, START);
    for (const [token, type] of [
      [t.petugas, 'DISPOSISI'],
      [t.kakanwil, 'DISPOSISI'],
      [t.kadiv, 'DISPOSISI'],
      [t.kabid, 'REKOMENDASI_SEGERA'],
      [t.petugas, 'AJUKAN_SURAT'],
      [t.kakanwil, 'SETUJUI_SURAT'],
    ] as const)
      await send(token, c.id, { type });
    await send(t.petugas, c.id, {
      type: 'KIRIM_SURAT',
      institutionIds: [institution],
      letterNumber: 'W6.HAM.04-777',
    });
    expect((await get(b, c.id)).dispatches[0].dueAt).toBe('2024-05-28T16:59:59.999Z');
    // Thursday 2 May becomes a day off: the 30 working days end a day later, on every instance.
    await dayOff('2024-05-02').expect(200);
    expect((await get(b, c.id)).dispatches[0].dueAt).toBe('2024-05-29T16:59:59.999Z');
    // On the new due day the first reminder goes out, quoting the new deadline.
    clock.set('2024-05-29T09:00:00+07:00');
    await b.app.get(SchedulerService).tick();
    await b.app.get(SchedulerService).mail();
    const letter = smtp.received.find(
      (m) => m.raw.includes(c.registerNumber) && m.to.includes('setda@oganilir.example.id'),
    );
    expect(letter?.raw).toContain('29 Mei 2024');
    expect(letter?.raw).not.toContain('28 Mei 2024');
  });

  it('never writes an event computed from the old calendar when the correction commits first', async () => {
    // Received 25 March: its intake deadline (2 April) is far from 18 April, so the correction
    // itself does not touch the case; only the event's revision check can catch the race.
    clock.set('2024-04-17T09:00:00+07:00');
    const raced = await register(a, '2024-03-25T09:00:00+07:00');
    const control = await register(a, '2024-03-25T09:00:00+07:00');
    // The correction holds the cases' writes while it works; the test holds it half-way.
    const hold = new Client({ connectionString: a.databaseUrl });
    await hold.connect();
    await hold.query('BEGIN');
    await hold.query('LOCK TABLE dispatches IN EXCLUSIVE MODE');
    const correction = dayOff('2024-04-18').then((r) => r);
    await waitingOnLock(db, '%FROM dispatches%FOR UPDATE%');
    // B reads the case and the calendar now, before the correction commits, and writes after it.
    const event = eventSender(b)(t.petugas, raced.id, { type: 'DISPOSISI' });
    await waitingOnLock(db, '%WITH upd AS%');
    await hold.query('COMMIT');
    await hold.end();
    expect((await correction).status).toBe(200);
    await event;
    await eventSender(a)(t.petugas, control.id, { type: 'DISPOSISI' });
    const expected = (await get(a, control.id)).deadline.dueAt;
    // One working day from 17 April, 18 April now off: the end of 19 April.
    expect(expected).toBe('2024-04-19T16:59:59.999Z');
    expect((await get(a, raced.id)).deadline.dueAt).toBe(expected);
  });

  it('recomputes an event that committed first, when the correction commits after it', async () => {
    clock.set('2024-04-22T09:00:00+07:00');
    const raced = await register(a, '2024-04-01T09:00:00+07:00');
    const control = await register(a, '2024-04-01T09:00:00+07:00');
    // The event's write waits on the case's row; the correction then queues behind the event.
    const hold = await holdCaseRow(a.databaseUrl, raced.id);
    const event = eventSender(b)(t.petugas, raced.id, { type: 'DISPOSISI' });
    await waitingOnLock(db, '%WITH upd AS%');
    const correction = dayOff('2024-04-23').then((r) => r);
    await waitingOnLock(db, 'LOCK TABLE cases IN EXCLUSIVE MODE%');
    await hold.release();
    await event;
    expect((await correction).status).toBe(200);
    await eventSender(a)(t.petugas, control.id, { type: 'DISPOSISI' });
    const expected = (await get(a, control.id)).deadline.dueAt;
    expect(expected).toBe('2024-04-24T16:59:59.999Z');
    expect((await get(a, raced.id)).deadline.dueAt).toBe(expected);
    // The event stands as it was decided, and the recompute after it says why the date moved.
    expect((await history(raced.id)).slice(-2).map((e) => e.type)).toEqual([
      'DISPOSISI',
      'TENGGAT_DIHITUNG_ULANG',
    ]);
  });
});
