/**
 * Stopping the reminders to an institution is a decision: a unit head stops them with a reason
 * (on the dispatch, in the case's history, in the audit log; the reminders still queued are
 * cancelled), and closing a case whose institutions have not all answered asks what to do with
 * them instead of writing to them forever unnoticed.
 */
import { Client } from 'pg';
import { ReminderService } from '../src/reminders/reminder.service';
import { eventSender } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('stopping the reminders to an institution', () => {
  let t: TestApp;
  let db: Client;
  const tokens: Record<string, string> = {};
  let otherKabid: string;
  const inst: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    for (const [name, role] of [
      ['petugas', 'PETUGAS'],
      ['kabid', 'KABID'],
      ['kadiv', 'KADIV'],
      ['kakanwil', 'KAKANWIL'],
    ] as const)
      tokens[name] = await t.user(`stop.${name}`, 'KANWIL-SS', [role]);
    otherKabid = await t.user('stop.kabid.jb', 'KANWIL-JB', ['KABID']);
    for (const [key, name] of [
      ['oi', 'Pemerintah Kabupaten Ogan Ilir'],
      ['plg', 'Pemerintah Kota Palembang'],
      ['mura', 'Pemerintah Kabupaten Musi Rawas'],
    ])
      inst[key] = (
        await t
          .http()
          .post('/api/institutions')
          .set('Authorization', `Bearer ${tokens.petugas}`)
          .send({ name, email: `setda@${key}.example.id`, type: 'PEMERINTAH_DAERAH', provinceCode: 'ID-SS' })
          .expect(201)
      ).body.id;
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const send = () => eventSender(t);
  async function toInstitutions(ids: string[]) {
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${tokens.petugas}`)
        .send(complaint())
        .expect(201)
    ).body as { id: string; registerNumber: string };
    for (const [token, type] of [
      [tokens.petugas, 'DISPOSISI'],
      [tokens.kakanwil, 'DISPOSISI'],
      [tokens.kadiv, 'DISPOSISI'],
      [tokens.kabid, 'REKOMENDASI_SEGERA'],
      [tokens.petugas, 'AJUKAN_SURAT'],
      [tokens.kakanwil, 'SETUJUI_SURAT'],
    ] as const)
      await send()(token, c.id, { type });
    await send()(tokens.petugas, c.id, {
      type: 'KIRIM_SURAT',
      institutionIds: ids,
      letterNumber: 'W6.HAM.04-555',
    });
    return c;
  }
  const view = async (id: string) =>
    (await t.http().get(`/api/cases/${id}`).set('Authorization', `Bearer ${tokens.kabid}`).expect(200)).body;
  const dispatchOf = async (caseId: string, institutionId: string) =>
    ((await view(caseId)).dispatches as { id: string; institutionId: string }[]).find(
      (d) => d.institutionId === institutionId,
    ) as Record<string, unknown> & { id: string };
  const stop = (caseId: string, dispatchId: string, token: string, body: object) =>
    t
      .http()
      .post(`/api/cases/${caseId}/dispatches/${dispatchId}/stop`)
      .set('Authorization', `Bearer ${token}`)
      .send(body);

  it('lets a unit head stop one institution, with a reason, cancelling its queued reminders', async () => {
    const c = await toInstitutions([inst.oi, inst.plg]);
    const oi = await dispatchOf(c.id, inst.oi);
    // Both overdue: the first reminder to each is decided and queued (no mail server here).
    await db.query(
      `UPDATE dispatches SET due_at = now() - interval '1 day', next_reminder_check_at = now() WHERE case_id = $1`,
      [c.id],
    );
    t.clock.set(new Date());
    expect(await t.app.get(ReminderService).sweep()).toMatchObject({ decided: 2 });

    await stop(c.id, oi.id, tokens.petugas, { reason: 'instansi sudah bubar' }).expect(403);
    await stop(c.id, oi.id, otherKabid, { reason: 'instansi sudah bubar' }).expect(404);
    const short = await stop(c.id, oi.id, tokens.kabid, { reason: 'x' }).expect(400);
    expect(short.body.details).toEqual([expect.objectContaining({ field: 'reason' })]);
    await stop(c.id, '00000000-0000-4000-8000-000000000000', tokens.kabid, {
      reason: 'instansi sudah bubar',
    }).expect(404);

    const before = await view(c.id);
    const stopped = await stop(c.id, oi.id, tokens.kabid, {
      reason: 'Instansi digabung ke Pemerintah Kota Palembang',
    }).expect(200);
    expect(stopped.body.version).toBe(before.version + 1);
    expect(await dispatchOf(c.id, inst.oi)).toMatchObject({
      status: 'DIHENTIKAN',
      stoppedBy: 'stop.kabid',
      stopReason: 'Instansi digabung ke Pemerintah Kota Palembang',
    });
    expect((await dispatchOf(c.id, inst.plg)).status).toBe('MENUNGGU');
    const history = (
      await t
        .http()
        .get(`/api/cases/${c.id}/history`)
        .set('Authorization', `Bearer ${tokens.kabid}`)
        .expect(200)
    ).body as { type: string; actorUsername: string; payload: Record<string, unknown> }[];
    expect(history.at(-1)).toMatchObject({
      type: 'PENGINGAT_DIHENTIKAN',
      payload: { institutionId: inst.oi, reason: 'Instansi digabung ke Pemerintah Kota Palembang' },
    });
    const mails = (
      await db.query<{ key: string; status: string }>(
        `SELECT dedupe_key AS key, status FROM outbox_messages WHERE case_id = $1 AND kind LIKE 'PENGINGAT_%'`,
        [c.id],
      )
    ).rows;
    expect(mails.find((m) => m.key.includes(oi.id))?.status).toBe('CANCELLED');
    expect(mails.filter((m) => m.status === 'PENDING')).toHaveLength(1);
    const audit = (
      await t
        .http()
        .get(`/api/audit?entityId=${c.id}&action=PENGINGAT_DIHENTIKAN`)
        .set('Authorization', `Bearer ${t.adminToken}`)
        .expect(200)
    ).body;
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorUsername: 'stop.kabid' });
    // Once stopped, again is a conflict; a late answer still counts as the answer.
    await stop(c.id, oi.id, tokens.kabid, { reason: 'sekali lagi saja' }).expect(409);
    await db.query(`UPDATE dispatches SET next_reminder_check_at = now() WHERE id = $1`, [oi.id]);
    expect(await t.app.get(ReminderService).sweep()).toMatchObject({ decided: 0 });
    await send()(tokens.petugas, c.id, {
      type: 'TANGGAPAN',
      institutionId: inst.oi,
      summary: 'Tanggapan terlambat',
    });
    expect(await dispatchOf(c.id, inst.oi)).toMatchObject({ status: 'DITANGGAPI' });
  });

  it('asks what to do with the institutions that never answered when the case is closed', async () => {
    const c = await toInstitutions([inst.oi, inst.mura]);
    await send()(tokens.petugas, c.id, {
      type: 'TANGGAPAN',
      institutionId: inst.oi,
      summary: 'Sudah ditindaklanjuti',
    });
    const asked = await t
      .http()
      .post(`/api/cases/${c.id}/events`)
      .set('Authorization', `Bearer ${tokens.kabid}`)
      .send({ type: 'SELESAI' })
      .expect(400);
    expect(asked.body.details).toEqual([
      {
        field: 'pengingatTerbuka',
        reason: expect.stringContaining('1 instansi belum menanggapi (Pemerintah Kabupaten Musi Rawas)'),
      },
    ]);
    await send()(tokens.kabid, c.id, { type: 'SELESAI', pengingatTerbuka: 'HENTIKAN' });
    expect(await dispatchOf(c.id, inst.mura)).toMatchObject({
      status: 'DIHENTIKAN',
      stopReason: 'kasus ditutup (SELESAI) sebelum instansi menanggapi',
    });

    const kept = await toInstitutions([inst.oi, inst.mura]);
    await send()(tokens.petugas, kept.id, {
      type: 'TANGGAPAN',
      institutionId: inst.oi,
      summary: 'Sudah ditindaklanjuti',
    });
    await send()(tokens.kabid, kept.id, { type: 'SELESAI', pengingatTerbuka: 'LANJUTKAN' });
    expect((await view(kept.id)).state).toBe('selesai');
    expect(await dispatchOf(kept.id, inst.mura)).toMatchObject({ status: 'MENUNGGU', stoppedAt: null });
    const bad = await t
      .http()
      .post(`/api/cases/${kept.id}/events`)
      .set('Authorization', `Bearer ${tokens.petugas}`)
      .send({ type: 'TANGGAPAN', institutionId: inst.mura, summary: 'x', pengingatTerbuka: 'NANTI' })
      .expect(400);
    expect(bad.body.details).toEqual([
      { field: 'pengingatTerbuka', reason: 'harus HENTIKAN atau LANJUTKAN' },
    ]);
  });
});
