/**
 * One case the sweep cannot handle holds up no other: it is rolled back alone, retried later and
 * parked after a few failures, with the administrators told; a case on a workflow version this
 * instance does not know is left for an instance that knows it.
 */
import { Client } from 'pg';
import { SlaSweepService, SLA_CHECK_TRIES } from '../src/sla/sla-sweep.service';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('the SLA sweep, case by case', () => {
  let t: TestApp;
  let db: Client;
  let officer: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    officer = await t.user('iso.petugas', 'KANWIL-SS', ['PETUGAS']);
    await t.user('iso.kasubbid', 'KANWIL-SS', ['KASUBBID']);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  async function overdueCase(): Promise<string> {
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${officer}`)
        .send(complaint())
        .expect(201)
    ).body;
    await db.query(
      `UPDATE cases SET deadline_due_at = now() - interval '1 hour', next_sla_check_at = now() - interval '1 hour'
        WHERE id = $1`,
      [c.id],
    );
    return c.id as string;
  }

  const caseRow = async (id: string) =>
    (
      await db.query<{ failures: number; next: Date | null; escalations: number }>(
        `SELECT sla_check_failures AS failures, next_sla_check_at AS next,
                (SELECT count(*)::int FROM sla_escalations e WHERE e.case_id = c.id) AS escalations
           FROM cases c WHERE id = $1`,
        [id],
      )
    ).rows[0];

  it('escalates the healthy cases beside a broken one, retries the broken one alone and parks it', async () => {
    const healthy = await overdueCase();
    const broken = await overdueCase();
    const foreign = await overdueCase();
    const brokenToo = await overdueCase();
    // A state the machine does not have: every check of this case throws.
    await db.query(`UPDATE cases SET state_value = '"tidak_ada"' WHERE id = ANY($1)`, [[broken, brokenToo]]);
    // A version another release registers: not this instance's to handle.
    await db.query(`UPDATE cases SET workflow_version = 99 WHERE id = $1`, [foreign]);
    const foreignBefore = await caseRow(foreign);

    t.clock.set(new Date());
    const first = await t.app.get(SlaSweepService).sweep();
    expect(first).toMatchObject({ failed: 2, parked: 0, escalations: 1 });
    // Each failure is recorded, even with another failing case after it in the batch.
    expect(await caseRow(brokenToo)).toMatchObject({ failures: 1, escalations: 0 });
    expect(await caseRow(healthy)).toMatchObject({ failures: 0, escalations: 1 });
    const retried = await caseRow(broken);
    expect(retried).toMatchObject({ failures: 1, escalations: 0 });
    expect(retried.next!.getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect(await caseRow(foreign)).toEqual(foreignBefore);

    // Retried with back-off; after the last try it is parked, and every administrator is told.
    for (let i = 1; i < SLA_CHECK_TRIES; i++) {
      t.clock.advance(24 * 3600_000);
      await t.app.get(SlaSweepService).sweep();
    }
    expect(await caseRow(broken)).toMatchObject({ failures: SLA_CHECK_TRIES, next: null, escalations: 0 });
    const notices = (
      await t.http().get('/api/notifications').set('Authorization', `Bearer ${t.adminToken}`).expect(200)
    ).body as { kind: string; caseId: string }[];
    expect(notices).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'SLA_TERHENTI', caseId: broken })]),
    );
    // The administrators' page of the jobs lists what is parked.
    const jobs = (
      await t.http().get('/api/health/jobs').set('Authorization', `Bearer ${t.adminToken}`).expect(200)
    ).body as { jobs: { name: string; parked?: { count: number; items: { caseId: string }[] } }[] };
    const sweep = jobs.jobs.find((j) => j.name === 'sla_sweep')!;
    expect(sweep.parked!.count).toBe(2);
    expect(sweep.parked!.items.map((i) => i.caseId).sort()).toEqual([broken, brokenToo].sort());
    // Parked means quiet: no further checks, no further failures.
    t.clock.advance(24 * 3600_000);
    await db.query(`UPDATE cases SET next_sla_check_at = NULL WHERE id = $1`, [brokenToo]);
    expect(await t.app.get(SlaSweepService).sweep()).toMatchObject({ failed: 0 });
  });
});
