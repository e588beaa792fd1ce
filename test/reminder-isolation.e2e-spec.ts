/**
 * One dispatch the reminder sweep cannot handle holds up no other: it is rolled back alone,
 * retried later and parked after a few failures, with the administrators told, while the other
 * institutions get their reminders.
 */
import { Client } from 'pg';
import { ReminderService, REMINDER_CHECK_TRIES } from '../src/reminders/reminder.service';
import { eventSender } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('the reminder sweep, dispatch by dispatch', () => {
  let t: TestApp;
  let db: Client;
  let owner: Client;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    owner = new Client({ connectionString: t.ownerUrl });
    await owner.connect();
    for (const [name, role] of [
      ['petugas', 'PETUGAS'],
      ['kabid', 'KABID'],
      ['kadiv', 'KADIV'],
      ['kakanwil', 'KAKANWIL'],
    ] as const)
      tokens[name] = await t.user(`rem.${name}`, 'KANWIL-SS', [role]);
  });
  afterAll(async () => {
    await owner?.query('DROP TRIGGER IF EXISTS reminders_fault ON reminders').catch(() => undefined);
    await owner?.end();
    await db?.end();
    await t?.close();
  });

  const institution = async (name: string, email: string) =>
    (
      await t
        .http()
        .post('/api/institutions')
        .set('Authorization', `Bearer ${tokens.petugas}`)
        .send({ name, email, type: 'PEMERINTAH_DAERAH', provinceCode: 'ID-SS' })
        .expect(201)
    ).body.id as string;

  const dispatchRow = async (id: string) =>
    (
      await db.query<{ failures: number; next: Date | null; reminders: number }>(
        `SELECT reminder_check_failures AS failures, next_reminder_check_at AS next,
                (SELECT count(*)::int FROM reminders r WHERE r.dispatch_id = d.id) AS reminders
           FROM dispatches d WHERE id = $1`,
        [id],
      )
    ).rows[0];

  it('reminds the healthy institutions beside a failing one, retries that one alone and parks it', async () => {
    const healthyInst = await institution('Pemerintah Kabupaten Ogan Ilir', 'setda@oganilir.example.id');
    const brokenInst = await institution('Pemerintah Kota Palembang', 'setda@palembang.example.id');
    const send = eventSender(t);
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${tokens.petugas}`)
        .send(complaint())
        .expect(201)
    ).body as { id: string };
    for (const [token, type] of [
      [tokens.petugas, 'DISPOSISI'],
      [tokens.kakanwil, 'DISPOSISI'],
      [tokens.kadiv, 'DISPOSISI'],
      [tokens.kabid, 'REKOMENDASI_SEGERA'],
      [tokens.petugas, 'AJUKAN_SURAT'],
      [tokens.kakanwil, 'SETUJUI_SURAT'],
    ] as const)
      await send(token, c.id, { type });
    await send(tokens.petugas, c.id, {
      type: 'KIRIM_SURAT',
      institutionIds: [healthyInst, brokenInst],
      letterNumber: 'W6.HAM.04-901',
    });
    const ids = async (inst: string) =>
      (
        await db.query<{ id: string }>(
          'SELECT id FROM dispatches WHERE case_id = $1 AND institution_id = $2',
          [c.id, inst],
        )
      ).rows[0].id;
    const healthy = await ids(healthyInst);
    const broken = await ids(brokenInst);
    // Both overdue: the first reminder is due to each institution now.
    await db.query(
      `UPDATE dispatches SET due_at = now() - interval '1 day', next_reminder_check_at = now() - interval '1 hour'
        WHERE case_id = $1`,
      [c.id],
    );
    // A real database fault for one dispatch only: every decision for it fails.
    await owner.query(`CREATE OR REPLACE FUNCTION reminders_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.dispatch_id = '${broken}' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$`);
    await owner.query(
      'CREATE TRIGGER reminders_fault BEFORE INSERT ON reminders FOR EACH ROW EXECUTE FUNCTION reminders_fault()',
    );

    t.clock.set(new Date());
    const sweep = () => t.app.get(ReminderService).sweep();
    expect(await sweep()).toMatchObject({ decided: 1, failed: 1, parked: 0 });
    expect(await dispatchRow(healthy)).toMatchObject({ failures: 0, reminders: 1 });
    const retried = await dispatchRow(broken);
    expect(retried).toMatchObject({ failures: 1, reminders: 0 });
    expect(retried.next!.getTime()).toBeGreaterThan(Date.now() + 60_000);

    for (let i = 1; i < REMINDER_CHECK_TRIES; i++) {
      t.clock.advance(24 * 3600_000);
      await sweep();
    }
    expect(await dispatchRow(broken)).toMatchObject({
      failures: REMINDER_CHECK_TRIES,
      next: null,
      reminders: 0,
    });
    const notices = (
      await t.http().get('/api/notifications').set('Authorization', `Bearer ${t.adminToken}`).expect(200)
    ).body as { kind: string; caseId: string }[];
    expect(notices).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'PENGINGAT_TERHENTI', caseId: c.id })]),
    );
    const parkedNow = async () =>
      (
        (await t.http().get('/api/health/jobs').set('Authorization', `Bearer ${t.adminToken}`).expect(200))
          .body.jobs as { name: string; parked?: { count: number; items: { what: string }[] } }[]
      ).find((j) => j.name === 'reminders')!.parked!;
    expect(await parkedNow()).toEqual({
      count: 1,
      items: [expect.objectContaining({ caseId: c.id, what: 'pengingat kepada Pemerintah Kota Palembang' })],
    });
    // Parked means quiet; once the fault is gone and the dispatch is looked at again, it recovers.
    await owner.query('DROP TRIGGER reminders_fault ON reminders');
    expect(await sweep()).toMatchObject({ failed: 0 });
    await db.query('UPDATE dispatches SET next_reminder_check_at = now() WHERE id = $1', [broken]);
    expect(await sweep()).toMatchObject({ decided: 1, failed: 0 });
    expect(await dispatchRow(broken)).toMatchObject({ failures: 0, reminders: 1 });
    expect((await parkedNow()).count).toBe(0);
  });
});
