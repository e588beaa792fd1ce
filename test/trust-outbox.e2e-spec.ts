/**
 * No reader of the outbox learns a complainant's address, tracking code or survey link: not a
 * monitor, not PUSAT, not the handler, not ADMIN, not a dump of the table. The address is read
 * only through the audited reveal; the mails as delivered still carry what the complainant needs.
 */
import { Client } from 'pg';
import { SchedulerService } from '../src/sla/scheduler.service';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { TestSmtpServer } from './support/smtp';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('the outbox keeps complainants’ secrets', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let ss: UnitActors;
  let jb: UnitActors;
  let pusat: UnitActors;
  let db: Client;
  const EMAIL = 'korban.rahasia@contoh.id';

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://pengaduan.example.id' } });
    [ss, jb, pusat] = await Promise.all([
      unitActors(t, 'KANWIL-SS', 'ob'),
      unitActors(t, 'KANWIL-JB', 'objb'),
      unitActors(t, 'PUSAT', 'obp'),
    ]);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
    await smtp?.stop();
  });

  const get = (token: string, path: string) => t.http().get(path).set('Authorization', `Bearer ${token}`);

  it('shows every reader the recipient and the code masked, and keeps neither readable in the table', async () => {
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ complainant: { name: 'Saksi Kunci', email: EMAIL, confidential: true } }))
        .expect(201)
    ).body;
    const code: string = c.receipt.trackingCode;
    // Closing as not competent queues the mail with the survey link.
    await eventSender(t)(ss.petugas, c.id, { type: 'TIDAK_BERWENANG', referral: 'Ombudsman RI' });

    for (const reader of [ss.petugas, ss.kabid, t.adminToken]) {
      const list = (await get(reader, `/api/outbox?caseId=${c.id}`).expect(200)).body;
      expect(list.items).toHaveLength(2);
      for (const item of list.items) {
        const one = (await get(reader, `/api/outbox/${item.id}`).expect(200)).body;
        const shown = JSON.stringify(one);
        expect(shown).not.toContain(EMAIL);
        expect(shown).not.toContain(code);
        expect(shown).not.toMatch(/\/survei\/[A-Za-z0-9_-]{16,}/);
        expect(one.to).toEqual(['k•••@c•••.id']);
        expect(one.audience).toBe('PENGADU');
      }
    }
    // A dump of the table holds them nowhere (the deliverable parts are sealed with a key outside it).
    const { rows } = await db.query(
      `SELECT m.*, encode(m.sealed, 'escape') AS sealed_text FROM outbox_messages m WHERE case_id = $1`,
      [c.id],
    );
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(EMAIL);
    expect(dump).not.toContain(code);
    expect(dump).not.toMatch(/\/survei\/[A-Za-z0-9_-]{16,}/);

    // The mails as delivered carry what the complainant needs.
    await t.app.get(SchedulerService).tick();
    const delivered = smtp.received.filter((m) => m.raw.includes(c.registerNumber));
    expect(delivered.map((m) => m.to)).toEqual([[EMAIL], [EMAIL]]);
    expect(delivered.some((m) => m.raw.includes(code))).toBe(true);
    expect(
      delivered.some((m) =>
        /https:\/\/pengaduan\.example\.id\/survei\/[A-Za-z0-9_-]{16,}/.test(m.raw.replace(/=\r?\n/g, '')),
      ),
    ).toBe(true);
  });

  it('lists only the own unit’s mails, none of a complainant to a monitor, and lets PUSAT act on no Kanwil mail', async () => {
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint())
        .expect(201)
    ).body;
    const [{ id }] = (await get(ss.petugas, `/api/outbox?caseId=${c.id}`).expect(200)).body.items;
    // The unit's monitor: no complainant mail, listed or opened.
    expect((await get(ss.pemantau, `/api/outbox?caseId=${c.id}`).expect(200)).body.items).toEqual([]);
    await get(ss.pemantau, `/api/outbox/${id}`).expect(404);
    // PUSAT and another Kanwil: not theirs.
    for (const other of [pusat.petugas, pusat.kabid, jb.petugas]) {
      expect((await get(other, `/api/outbox?caseId=${c.id}`).expect(200)).body.items).toEqual([]);
      await get(other, `/api/outbox/${id}`).expect(404);
      await t.http().post(`/api/outbox/${id}/resend`).set('Authorization', `Bearer ${other}`).expect(404);
      await get(other, `/api/outbox/${id}/recipient`).expect(404);
    }
  });

  it('seals a mail that an instance of the previous release queued unsealed, and delivers it', async () => {
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint())
        .expect(201)
    ).body;
    const owner = new Client({ connectionString: t.ownerUrl });
    await owner.connect();
    // The previous release's insert: no audience, no seal, the code readable.
    await owner.query(
      `INSERT INTO outbox_messages (id, kind, dedupe_key, message_id, to_addresses, subject, body_text, body_html, case_id, unit_code, status, next_attempt_at)
       VALUES (gen_random_uuid(), 'TANDA_TERIMA', 'lama:' || $1::text, '<lama@x>', ARRAY['lama.pengadu@contoh.id'], 'Tanda terima lama', $2, $2, $1::uuid, 'KANWIL-SS', 'PENDING', now())`,
      [c.id, 'Kode pelacakan: ABCD-EFGH-JKMN-PQRS-TVWX'],
    );
    await owner.end();
    await t.app.get(SchedulerService).tick();
    expect(smtp.received.find((m) => m.subject === 'Tanda terima lama')!.raw).toContain(
      'ABCD-EFGH-JKMN-PQRS-TVWX',
    );
    const mail = (await get(ss.petugas, `/api/outbox?caseId=${c.id}`).expect(200)).body.items.find(
      (m: { subject: string }) => m.subject === 'Tanda terima lama',
    );
    const shown = (await get(ss.petugas, `/api/outbox/${mail.id}`).expect(200)).body;
    expect(shown).toMatchObject({
      status: 'SENT',
      audience: 'PENGADU',
      to: ['l•••@c•••.id'],
      text: 'Kode pelacakan: ••••••',
    });
  });

  it('reveals the recipient only through the audited reveal, and a resend still delivers a working code', async () => {
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ complainant: { name: 'Pengadu Kedua', email: 'kedua@contoh.id' } }))
        .expect(201)
    ).body;
    const [{ id }] = (await get(ss.petugas, `/api/outbox?caseId=${c.id}`).expect(200)).body.items;
    expect((await get(ss.petugas, `/api/outbox/${id}/recipient`).expect(200)).body).toEqual({
      to: ['kedua@contoh.id'],
    });
    const { rows } = await db.query(
      `SELECT action, actor_username, entity_id FROM audit_log WHERE action LIKE 'MAIL_RECIPIENT%' AND entity_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ action: 'MAIL_RECIPIENT_READ', actor_username: 'ob.petugas', entity_id: id }]);

    await t.app.get(SchedulerService).tick();
    await t.http().post(`/api/outbox/${id}/resend`).set('Authorization', `Bearer ${ss.petugas}`).expect(201);
    await t.app.get(SchedulerService).tick();
    const delivered = smtp.received.filter((m) => m.raw.includes(c.registerNumber));
    expect(delivered).toHaveLength(2);
    expect(delivered[1].raw).toContain(c.receipt.trackingCode);
    await t
      .http()
      .get('/api/public/status')
      .query({ registerNumber: c.registerNumber, trackingCode: c.receipt.trackingCode })
      .expect(200);
  });
});
