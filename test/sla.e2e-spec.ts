import { Client } from 'pg';
import { SchedulerService } from '../src/sla/scheduler.service';
import { eventSender } from './support/actors';
import { TestSmtpServer } from './support/smtp';
import { complaint, createTestApp, TestClock, type TestApp } from './support/test-app';

/** Monday 1 April 2024, 09:00 WIB: a week before Lebaran (8-15 April off). */
const START = '2024-04-01T09:00:00+07:00';

describe('SLA clocks, the sweep and escalations', () => {
  let smtp: TestSmtpServer;
  let clock: TestClock;
  let a: TestApp;
  let b: TestApp;
  let db: Client;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    clock = new TestClock();
    clock.set(START);
    const env = {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'yankomas@kemenkumham.example.id',
      SCHEDULER_INTERVAL_MS: '1000',
    };
    a = await createTestApp({ clock, env });
    // A second instance on the same database: what two replicas behind a proxy are.
    b = await createTestApp({ clock, env, databaseUrl: a.databaseUrl });
    for (const [name, roles] of [
      ['petugas', 'PETUGAS'],
      ['petugas2', 'PETUGAS'],
      ['kasubbid', 'KASUBBID'],
      ['kabid', 'KABID'],
      ['kadiv', 'KADIV'],
      ['kakanwil', 'KAKANWIL'],
    ] as const) {
      tokens[name] = await a.user(`ss.${name}`, 'KANWIL-SS', [roles], `${name}@sumsel.example.id`);
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

  // A walk-in without an email: the mails here are the escalations alone, with no receipt.
  const register = async (receivedAt = clock.now().toISOString()) =>
    (
      await a
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${tokens.petugas}`)
        .send(complaint({ receivedAt, complainant: { name: 'Siti Aminah' } }))
        .expect(201)
    ).body;
  const get = async (id: string) =>
    (await a.http().get(`/api/cases/${id}`).set('Authorization', `Bearer ${tokens.kabid}`).expect(200)).body;
  const tickBoth = () =>
    Promise.all([a.app.get(SchedulerService).tick(), b.app.get(SchedulerService).tick()]);
  const notificationsOf = async (token: string, caseId?: string) =>
    (
      await a.http().get('/api/notifications').set('Authorization', `Bearer ${token}`).expect(200)
    ).body.filter((n: { caseId: string }) => !caseId || n.caseId === caseId);

  it("counts a correction made on one instance in the other's very next deadline", async () => {
    clock.set(START);
    const onB = async () =>
      (
        await b
          .http()
          .post('/api/cases')
          .set('Authorization', `Bearer ${tokens.petugas}`)
          .send(complaint({ receivedAt: START, complainant: { name: 'Siti Aminah' } }))
          .expect(201)
      ).body;
    // B has just counted with its calendar: 16 April.
    expect((await onB()).deadline.dueAt).toBe('2024-04-16T16:59:59.999Z');
    await a
      .http()
      .put('/api/calendars/2024/days/2024-04-16')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({ kind: 'CUTI_BERSAMA', name: 'Koreksi SKB' })
      .expect(200);
    // At once, not after any cache expires: B counts the corrected day off.
    expect((await onB()).deadline.dueAt).toBe('2024-04-17T16:59:59.999Z');
    await a
      .http()
      .delete('/api/calendars/2024/days/2024-04-16')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .expect(200);
    expect((await onB()).deadline.dueAt).toBe('2024-04-16T16:59:59.999Z');
  });

  it('counts the intake deadline across Lebaran and moves it when an admin corrects the calendar', async () => {
    const created = await register();
    // 5 working days after Monday 1 April: 2, 3, 4, 5 April, then 16 April (8-15 April off).
    expect(created.deadline).toMatchObject({
      step: 'terima.pemeriksaan',
      dueAt: '2024-04-16T16:59:59.999Z',
      status: 'ON_TIME',
      provisional: false,
    });
    const put = await a
      .http()
      .put('/api/calendars/2024/days/2024-04-16')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({ kind: 'CUTI_BERSAMA', name: 'Koreksi SKB' })
      .expect(200);
    expect(put.body.recomputedCases).toBeGreaterThanOrEqual(1);
    expect((await get(created.id)).deadline.dueAt).toBe('2024-04-17T16:59:59.999Z');
    const calendar = (
      await a.http().get('/api/calendars/2024').set('Authorization', `Bearer ${tokens.kabid}`).expect(200)
    ).body;
    expect(calendar.daysOff).toContainEqual({
      date: '2024-04-16',
      kind: 'CUTI_BERSAMA',
      name: 'Koreksi SKB',
    });
    await a
      .http()
      .delete('/api/calendars/2024/days/2024-04-16')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .expect(200);
    expect((await get(created.id)).deadline.dueAt).toBe('2024-04-16T16:59:59.999Z');
    await a
      .http()
      .delete('/api/calendars/2024/days/2024-04-16')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .expect(404);
    const bad = await a
      .http()
      .put('/api/calendars/2024/days/2025-01-01')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({ kind: 'LIBUR', name: 'x' })
      .expect(400);
    expect(bad.body.details[0].field).toBe('date');
    const provisional = (
      await a.http().get('/api/calendars/2031').set('Authorization', `Bearer ${tokens.kabid}`).expect(200)
    ).body;
    expect(provisional).toMatchObject({
      year: 2031,
      daysOff: [],
      provisional: true,
      warning: expect.any(String),
    });
  });

  it("withdraws an incomplete complaint by itself after the complainant's 10 days, once, with the legal reason", async () => {
    clock.set(START);
    const send = eventSender(a);
    const created = await register();
    const waiting = await send(tokens.petugas, created.id, {
      type: 'BERKAS_TIDAK_LENGKAP',
      kekurangan: 'KTP dan kronologi',
    });
    // 10 working days after 1 April: 2-5 April (4), 16-19 April (8), 22 and 23 April.
    expect(waiting.deadline).toMatchObject({
      step: 'terima.menunggu_kelengkapan',
      clock: 'PENGADU',
      dueAt: '2024-04-23T16:59:59.999Z',
    });
    clock.set('2024-04-23T23:00:00+07:00');
    await tickBoth();
    expect((await get(created.id)).state).toBe('terima.menunggu_kelengkapan');
    clock.set('2024-04-29T08:00:00+07:00');
    await tickBoth();
    await tickBoth();
    const withdrawn = await get(created.id);
    expect(withdrawn).toMatchObject({
      state: 'file',
      category: 'FILE',
      fileReason: expect.stringContaining('DICABUT'),
      allowedEvents: [],
    });
    const history = (
      await a.http().get(`/api/cases/${created.id}/history`).set('Authorization', `Bearer ${tokens.kabid}`)
    ).body;
    expect(history.filter((h: { type: string }) => h.type === 'DICABUT')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ username: 'sistem', roles: ['SISTEM'], id: null }),
        occurredAt: '2024-04-23T16:59:59.999Z',
        to: 'file',
      }),
    ]);
  });

  it('escalates an overdue step once per level, with two instances sweeping, by notification and mail', async () => {
    clock.set(START);
    const send = eventSender(a);
    const created = await register();
    await send(tokens.petugas, created.id, { type: 'DISPOSISI' });
    await send(tokens.kakanwil, created.id, { type: 'DISPOSISI' });
    await send(tokens.kadiv, created.id, { type: 'DISPOSISI' });
    // The Kabid names the analyst: the first escalation goes to them, not to every officer.
    const analyst = (
      await a.http().get('/api/users/me').set('Authorization', `Bearer ${tokens.petugas}`).expect(200)
    ).body.id as string;
    const review = await send(tokens.kabid, created.id, { type: 'TELAAH', assigneeId: analyst });
    // 30 working days from 1 April 2024, skipping Lebaran (8-15 April), 1 May, 9-10 May, 23-24 May: 28 May.
    expect(review.deadline.dueAt).toBe('2024-05-28T16:59:59.999Z');
    // Due soon over the last 6 working days (20% of 30): from Friday 17 May.
    expect(review.deadline.dueSoonAt).toBe('2024-05-16T17:00:00.000Z');
    const before = smtp.received.length;

    clock.set('2024-05-16T09:00:00+07:00');
    expect((await get(created.id)).deadline.status).toBe('ON_TIME');
    clock.set('2024-05-20T09:00:00+07:00');
    expect((await get(created.id)).deadline.status).toBe('DUE_SOON');
    const dueSoon = (
      await a.http().get('/api/cases?dueSoon=true').set('Authorization', `Bearer ${tokens.kabid}`)
    ).body.items.map((c: { id: string }) => c.id);
    expect(dueSoon).toContain(created.id);
    await tickBoth();
    expect(await notificationsOf(tokens.kabid, created.id)).toEqual([]);

    clock.set('2024-05-29T09:00:00+07:00');
    expect((await get(created.id)).deadline.status).toBe('OVERDUE');
    await Promise.all([tickBoth(), tickBoth()]);
    await tickBoth();
    // Level 1: the holders (the case's officer, the Kasubbid) and the next level up (Kabid).
    for (const holder of ['petugas', 'kasubbid', 'kabid']) {
      const mine = await notificationsOf(tokens[holder], created.id);
      expect(mine).toEqual([
        expect.objectContaining({
          caseId: created.id,
          kind: 'SLA_TERLAMBAT',
          title: `Tenggat terlewati: ${created.registerNumber}`,
        }),
      ]);
    }
    expect(await notificationsOf(tokens.petugas2, created.id)).toEqual([]);
    expect(await notificationsOf(tokens.kadiv, created.id)).toEqual([]);
    const level1 = smtp.received.slice(before).filter((m) => m.subject.includes(created.registerNumber));
    expect(level1).toHaveLength(1);
    expect(level1[0].to.sort()).toEqual([
      'kabid@sumsel.example.id',
      'kasubbid@sumsel.example.id',
      'petugas@sumsel.example.id',
    ]);
    expect(level1[0].subject).toBe(`[Yankomas] Tenggat terlewati: ${created.registerNumber}`);
    expect(level1[0].raw).toContain('28 Mei 2024 23.59 WIB');
    expect(level1[0].raw).not.toContain('Siti Aminah');

    // Still overdue past the grace (2 working days, to the end of 30 May): the level above that, the Kadiv, once.
    clock.set('2024-05-30T20:00:00+07:00');
    await tickBoth();
    expect(await notificationsOf(tokens.kadiv, created.id)).toEqual([]);
    clock.set('2024-05-31T09:00:00+07:00');
    await Promise.all([tickBoth(), tickBoth()]);
    const kadiv = await notificationsOf(tokens.kadiv, created.id);
    expect(kadiv).toEqual([
      expect.objectContaining({
        caseId: created.id,
        title: `Eskalasi: ${created.registerNumber} masih melewati tenggat`,
      }),
    ]);
    expect(
      smtp.received.slice(before).filter((m) => m.subject.includes(created.registerNumber)),
    ).toHaveLength(2);
    const { rows } = await db.query('SELECT level FROM sla_escalations WHERE case_id = $1 ORDER BY level', [
      created.id,
    ]);
    expect(rows).toEqual([{ level: 1 }, { level: 2 }]);

    const overdue = (
      await a.http().get('/api/cases?overdue=true').set('Authorization', `Bearer ${tokens.kabid}`)
    ).body.items.map((c: { id: string }) => c.id);
    expect(overdue).toContain(created.id);
    const read = await a
      .http()
      .post(`/api/notifications/${kadiv[0].id}/read`)
      .set('Authorization', `Bearer ${tokens.kadiv}`)
      .expect(201);
    expect(read.body.readAt).toBeTruthy();
    const unread = (
      await a.http().get('/api/notifications?unread=true').set('Authorization', `Bearer ${tokens.kadiv}`)
    ).body;
    expect(unread.map((n: { id: string }) => n.id)).not.toContain(kadiv[0].id);
    await a
      .http()
      .post(`/api/notifications/${kadiv[0].id}/read`)
      .set('Authorization', `Bearer ${tokens.kabid}`)
      .expect(404);
  });

  it('catches up after downtime once: a restart raises each missed level a single time', async () => {
    clock.set(START);
    const send = eventSender(a);
    const created = await register();
    await send(tokens.petugas, created.id, { type: 'DISPOSISI' });
    // Down for weeks: both the due time and the grace have passed when the service comes back.
    clock.set('2024-06-20T09:00:00+07:00');
    await b.close();
    b = await createTestApp({
      clock,
      databaseUrl: a.databaseUrl,
      env: { SMTP_URL: smtp.url, SCHEDULER_INTERVAL_MS: '1000' },
    });
    await b.app.get(SchedulerService).tick();
    await b.app.get(SchedulerService).tick();
    const { rows } = await db.query(
      'SELECT level, notified_user_ids FROM sla_escalations WHERE case_id = $1 ORDER BY level',
      [created.id],
    );
    expect(rows.map((r) => r.level)).toEqual([1, 2]);
    // disposisi.kakanwil: the Kakanwil holds it; no one is above him in the unit, so he hears of it again.
    const kakanwil = await notificationsOf(tokens.kakanwil, created.id);
    expect(kakanwil).toHaveLength(2);
  });

  it('retries a refusing mail server with backoff, keeps every attempt, delivers once', async () => {
    clock.set(START);
    const send = eventSender(a);
    const created = await register();
    await send(tokens.petugas, created.id, { type: 'DISPOSISI' });
    await send(tokens.kakanwil, created.id, { type: 'DISPOSISI' });
    smtp.refuseNext(2);
    const before = smtp.received.length;
    clock.set('2024-04-03T09:00:00+07:00');
    await tickBoth();
    const outbox = (
      await a
        .http()
        .get(`/api/outbox?caseId=${created.id}`)
        .set('Authorization', `Bearer ${tokens.kabid}`)
        .expect(200)
    ).body.items;
    expect(outbox).toEqual([
      expect.objectContaining({ status: 'PENDING', attempts: 1, lastError: expect.stringContaining('451') }),
    ]);
    // The next attempt waits one interval (1 s here), then two.
    await tickBoth();
    expect(smtp.received.length).toBe(before);
    clock.advance(1_100);
    await tickBoth();
    clock.advance(2_100);
    await tickBoth();
    clock.advance(10_000);
    await tickBoth();
    const message = (
      await a
        .http()
        .get(`/api/outbox/${outbox[0].id}`)
        .set('Authorization', `Bearer ${tokens.kabid}`)
        .expect(200)
    ).body;
    expect(message).toMatchObject({ status: 'SENT', attempts: 3 });
    expect(
      message.deliveries.map((d: { attempt: number; outcome: string }) => [d.attempt, d.outcome]),
    ).toEqual([
      [1, 'FAILED'],
      [2, 'FAILED'],
      [3, 'SENT'],
    ]);
    expect(message.deliveries[0].error).toContain('451');
    // The same Message-ID on every attempt, so a receiving server can drop a duplicate.
    expect(smtp.received.filter((m) => m.messageId === message.messageId)).toHaveLength(1);
  });

  it('gives supervisors the summary: by unit, by person, compliance per step, the slowest cases', async () => {
    // A day that does not exist is refused by name, not rolled over into March.
    const refused = await a
      .http()
      .get('/api/sla/summary?from=2026-02-31')
      .set('Authorization', `Bearer ${tokens.kabid}`)
      .expect(400);
    expect(refused.body.details).toEqual([{ field: 'from', reason: expect.stringMatching(/ISO 8601/) }]);
    const summary = (
      await a
        .http()
        .get('/api/sla/summary?from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z')
        .set('Authorization', `Bearer ${tokens.kabid}`)
        .expect(200)
    ).body;
    const ss = summary.byUnit.find((u: { unitCode: string }) => u.unitCode === 'KANWIL-SS');
    expect(ss.open).toBe(ss.paused + ss.overdue + ss.dueSoon + ss.onTime);
    expect(ss.overdue).toBeGreaterThan(0);
    // The Kakanwil holds the cases left in his disposition step.
    expect(summary.byPerson).toEqual(
      expect.arrayContaining([expect.objectContaining({ username: 'ss.kakanwil', unitCode: 'KANWIL-SS' })]),
    );
    const disposisi = summary.compliance.find((c: { step: string }) => c.step === 'disposisi.kakanwil');
    expect(disposisi).toMatchObject({ finished: expect.any(Number), onTime: expect.any(Number) });
    expect(disposisi.onTimePercent).toBeLessThanOrEqual(100);
    expect(summary.slowest.length).toBeGreaterThan(0);
    // A unit's user sees only its unit, whatever it asks.
    const other = await a.user('jb.kabid', 'KANWIL-JB', ['KABID']);
    const theirs = (
      await a
        .http()
        .get('/api/sla/summary?unitCode=KANWIL-SS')
        .set('Authorization', `Bearer ${other}`)
        .expect(200)
    ).body;
    expect(theirs.byUnit).toEqual([]);
  });

  it('warns the admins once when deadlines run into a year without a calendar', async () => {
    clock.set('2026-11-23T09:00:00+07:00');
    await tickBoth();
    await tickBoth();
    const adminNotes = (
      await a.http().get('/api/notifications').set('Authorization', `Bearer ${a.adminToken}`).expect(200)
    ).body;
    expect(adminNotes.filter((n: { kind: string }) => n.kind === 'KALENDER')).toEqual([
      expect.objectContaining({ title: 'Kalender hari libur 2027 belum diisi' }),
    ]);
    clock.set('2026-12-28T10:00:00+07:00');
    const created = await register('2026-12-28T09:00:00+07:00');
    expect(created.deadline.provisional).toBe(true);
  });

  it("lets an admin set a unit's office hours and due-soon share, validated", async () => {
    const bad = await a
      .http()
      .put('/api/units/KANWIL-SS/settings')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({
        officeOpen: 900,
        officeClose: 480,
        officeCloseFriday: 990,
        dueSoonPercent: 20,
        escalationGraceDays: 2,
      })
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'officeClose', reason: 'harus setelah jam buka' }]);
    await a
      .http()
      .put('/api/units/KANWIL-SS/settings')
      .set('Authorization', `Bearer ${tokens.kabid}`)
      .send({
        officeOpen: 450,
        officeClose: 960,
        officeCloseFriday: 990,
        dueSoonPercent: 50,
        escalationGraceDays: 3,
      })
      .expect(403);
    const ok = await a
      .http()
      .put('/api/units/KANWIL-SS/settings')
      .set('Authorization', `Bearer ${a.adminToken}`)
      .send({
        officeOpen: 450,
        officeClose: 960,
        officeCloseFriday: 990,
        dueSoonPercent: 50,
        escalationGraceDays: 3,
      })
      .expect(200);
    expect(ok.body).toMatchObject({ unitCode: 'KANWIL-SS', officeOpen: 450, dueSoonPercent: 50 });
    clock.set(START);
    const created = await register();
    // Half of 5 working days, rounded up to 3: due soon from the start of 4 April (16, 5, 4 April).
    expect(created.deadline.dueSoonAt).toBe('2024-04-03T17:00:00.000Z');
  });
});
