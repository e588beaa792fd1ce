/**
 * What an operator watches: the metrics a Prometheus scrape reads, and readiness that goes red
 * when a job stops and green when it recovers.
 */
import { Client } from 'pg';
import { RUNTIME_ROLE } from '../src/database/roles';
import { SchedulerService } from '../src/sla/scheduler.service';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

const TOKEN = 'token-pengumpul-metrik-uji-0123';
/** One line of the Prometheus text exposition format: a comment, or a sample `name{labels} value`. */
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?([0-9.e+-]+|NaN|\+Inf|-Inf)$/;

describe('metrics', () => {
  let t: TestApp;
  let ss: UnitActors;

  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
    ss = await unitActors(t, 'KANWIL-SS', 'op');
  });
  afterAll(() => t?.close());

  it('serves the families in the Prometheus text format to the scraper only, labelled by route template', async () => {
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ receivedAt: new Date(Date.now() - 3600_000).toISOString() }))
        .expect(201)
    ).body;
    await eventSender(t)(ss.petugas, c.id, { type: 'DISPOSISI' });
    await t
      .http()
      .post(`/api/cases/${c.id}/events`)
      .set('Authorization', `Bearer ${ss.petugas}`)
      .send({ type: 'SELESAI' })
      .expect(409);
    await t.app.get(SchedulerService).tick();

    await t.http().get('/metrics').expect(401);
    await t.http().get('/metrics').set('Authorization', 'Bearer salah-salah-salah-salah').expect(401);
    const res = await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const lines = res.text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.filter((l) => !SAMPLE.test(l))).toEqual([]);
    for (const family of [
      'yankomas_http_request_duration_seconds_bucket',
      'yankomas_workflow_events_total',
      'yankomas_job_duration_seconds_count',
      'yankomas_job_last_success_timestamp_seconds',
      'yankomas_job_consecutive_failures',
      'yankomas_outbox_pending_messages',
      'yankomas_outbox_oldest_pending_age_seconds',
      'yankomas_db_pool_connections',
      'yankomas_sla_steps',
      'yankomas_process_resident_memory_bytes',
    ]) {
      expect(lines.some((l) => l.startsWith(family))).toBe(true);
    }
    expect(res.text).toContain('yankomas_workflow_events_total{type="DISPOSISI",outcome="applied"} 1');
    expect(res.text).toContain('yankomas_workflow_events_total{type="SELESAI",outcome="409"} 1');
    expect(res.text).toMatch(
      /yankomas_http_request_duration_seconds_count\{method="POST",route="\/api\/cases\/:id\/events",status="200"\} 1/,
    );
    expect(res.text).toMatch(/yankomas_sla_steps\{unit="KANWIL-SS",status="open"\} 1/);
    expect(res.text).toMatch(/yankomas_job_last_success_timestamp_seconds\{job="sla_sweep"\} [1-9]/);
    // Route templates only: no id, register number or token ever becomes a label.
    expect(res.text).not.toContain(c.id);
    expect(res.text).not.toContain(c.registerNumber);
  });

  it('has no metrics endpoint without METRICS_TOKEN', async () => {
    const plain = await createTestApp({ databaseUrl: t.databaseUrl });
    await plain.http().get('/metrics').expect(404);
    await plain.close();
  });
});

describe('readiness', () => {
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    // The scheduler on, with an interval long enough that only the test's own ticks run.
    t = await createTestApp({ env: { SCHEDULER_ENABLED: 'true', SCHEDULER_INTERVAL_MS: '600000' } });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('goes red when a job stops succeeding and green when it recovers, and shows ADMIN why', async () => {
    const officer = await t.user('rd.petugas', 'KANWIL-SS', ['PETUGAS']);
    await t.app.get(SchedulerService).tick();
    expect((await t.http().get('/api/health/ready').expect(200)).body.status).toBe('ready');

    // A sweep that cannot claim its work fails as a whole: the runtime role lost its rights on cases.
    await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send(complaint({ receivedAt: new Date(Date.now() - 3600_000).toISOString() }))
      .expect(201);
    const owner = new Client({ connectionString: t.ownerUrl });
    await owner.connect();
    await owner.query(`REVOKE UPDATE ON cases FROM ${RUNTIME_ROLE}`);
    t.clock.set(new Date());
    await t.app.get(SchedulerService).tick();
    t.clock.advance(3 * 600_000 + 120_000);
    await t.app.get(SchedulerService).tick();
    const red = await t.http().get('/api/health/ready').expect(503);
    expect(red.body.message).toBe('Belum siap: job:sla_sweep');
    expect(red.body.details.checks).toEqual(
      expect.arrayContaining([
        { name: 'database', ok: true },
        { name: 'job:reminders', ok: true },
        { name: 'job:sla_sweep', ok: false, reason: expect.stringMatching(/^gagal: database error 42501/) },
      ]),
    );
    // Liveness stays green: the process answers.
    await t.http().get('/api/health').expect(200);
    const jobs = (
      await t.http().get('/api/health/jobs').set('Authorization', `Bearer ${t.adminToken}`).expect(200)
    ).body;
    expect(jobs.jobs.find((j: { name: string }) => j.name === 'sla_sweep')).toMatchObject({
      consecutiveFailures: 2,
      lastError: expect.any(String),
    });
    await t.http().get('/api/health/jobs').set('Authorization', `Bearer ${officer}`).expect(403);

    await owner.query(`GRANT UPDATE ON cases TO ${RUNTIME_ROLE}`);
    await owner.end();
    await t.app.get(SchedulerService).tick();
    expect((await t.http().get('/api/health/ready').expect(200)).body.status).toBe('ready');
  });
});

describe('logs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('writes one JSON line per request with its id, user, route template, status and duration, never the query', async () => {
    const { readFileSync } = await import('node:fs');
    const token = await t.user('lg.petugas', 'KANWIL-SS', ['PETUGAS']);
    const me = (await t.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200)).body;
    const given = await t
      .http()
      .get('/api/cases?q=RAHASIA-KUERI')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Request-Id', 'uji-permintaan-42')
      .expect(200);
    expect(given.headers['x-request-id']).toBe('uji-permintaan-42');
    const generated = await t.http().get('/api/health').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // A page of the console and the API calls it makes share the page's id.
    await t.http().get('/masuk').set('X-Request-Id', 'uji-halaman-7').expect(200);

    const lines = readFileSync(process.env.YANKOMAS_TEST_LOG!, 'utf8').split('\n').filter(Boolean);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const mine = parsed.find((l) => l.requestId === 'uji-permintaan-42')!;
    expect(mine).toMatchObject({
      msg: 'request',
      context: 'HTTP',
      method: 'GET',
      route: '/api/cases',
      status: 200,
      userId: me.id,
      durationMs: expect.any(Number),
      service: 'yankomas',
    });
    expect(parsed.find((l) => l.requestId === generated.headers['x-request-id'])).toMatchObject({
      route: '/api/health',
      status: 200,
    });
    expect(lines.join('\n')).not.toContain('RAHASIA-KUERI');
    // Each key once per line: a log pipeline that keeps the first of two would read "unmatched".
    const raw = lines.find((l) => l.includes('uji-permintaan-42') && l.includes('"msg":"request"'))!;
    expect(raw.match(/"route":/g)).toHaveLength(1);
    expect(lines.join('\n')).not.toMatch(/authorization|cookie/i);
  });
});
