import { WorkflowRegistry } from '../workflows';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { pengaduanV2Fixture } from './support/pengaduan-v2.fixture';
import { complaint, createTestApp, type TestApp } from './support/test-app';

describe('workflow versions', () => {
  let t: TestApp;
  let ss: UnitActors;

  beforeAll(async () => {
    t = await createTestApp();
    ss = await unitActors(t, 'KANWIL-SS', 'ss');
  });
  afterAll(() => t.close());

  it('starts new cases on a newly published version and leaves running cases on theirs', async () => {
    const send = eventSender(t);
    const register = async () =>
      (
        await t
          .http()
          .post('/api/cases')
          .set('Authorization', `Bearer ${ss.petugas}`)
          .send(complaint())
          .expect(201)
      ).body;
    const old = await register();
    expect(old.workflow).toEqual({ id: 'pengaduan', version: 1 });

    t.app.get(WorkflowRegistry).register(pengaduanV2Fixture);

    const fresh = await register();
    expect(fresh.workflow).toEqual({ id: 'pengaduan', version: 2 });
    expect(fresh.allowedEvents).toContain('FILE');
    const stillV1 = (
      await t.http().get(`/api/cases/${old.id}`).set('Authorization', `Bearer ${ss.petugas}`).expect(200)
    ).body;
    expect(stillV1.workflow).toEqual({ id: 'pengaduan', version: 1 });
    expect(stillV1.allowedEvents).not.toContain('FILE');
    await send(ss.petugas, old.id, { type: 'FILE', reason: 'x' }, 409);
    expect((await send(ss.petugas, fresh.id, { type: 'FILE', reason: 'bukan masalah HAM' })).state).toBe(
      'file',
    );
    expect((await send(ss.petugas, old.id, { type: 'DISPOSISI' })).workflow.version).toBe(1);
    const history = (
      await t.http().get(`/api/cases/${fresh.id}/history`).set('Authorization', `Bearer ${ss.petugas}`)
    ).body;
    expect(history.map((h: { workflowVersion: number }) => h.workflowVersion)).toEqual([2, 2]);
  });
});
