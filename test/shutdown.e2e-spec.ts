/**
 * SIGTERM's ordered stop (src/graceful-shutdown.ts, wired to the signal in src/main.ts), on a real
 * listening server with kept-alive clients: it stops accepting, drops idle kept-alive
 * connections, answers the request in flight (closing its connection), turns readiness red while
 * it drains, cuts what outlives the grace period, and then closes.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { GracefulShutdown } from '../src/graceful-shutdown';
import { HealthController } from '../src/health/health.controller';
import { holdCaseRow, waitingOnLock } from './support/locks';
import { complaint, createTestApp, type TestApp } from './support/test-app';

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

function call(port: number, agent: http.Agent, method: string, path: string, token?: string, body?: object) {
  return new Promise<Answer>((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = http.request(
      {
        port,
        method,
        path,
        agent,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('stopping an instance', () => {
  let t: TestApp;
  let db: Client;
  let officer: string;

  beforeEach(async () => {
    t = await createTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    officer = await t.user(`stop.${Date.now()}`, 'KANWIL-SS', ['PETUGAS']);
  });
  afterEach(async () => {
    await db.end();
  });

  async function listening() {
    await t.app.listen(0, '127.0.0.1');
    return (t.app.getHttpServer() as http.Server).address() as AddressInfo;
  }

  it('finishes the request in flight, closes kept-alive connections, refuses new ones, then closes', async () => {
    const shutdown = new GracefulShutdown(t.app, 10_000);
    const { port } = await listening();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    expect((await call(port, agent, 'GET', '/api/health/ready')).status).toBe(200);
    const idle = Object.values(agent.freeSockets).flat()[0]!;
    const idleClosed = once(idle, 'close');

    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${officer}`)
        .send(complaint())
        .expect(201)
    ).body as { id: string };
    // An event whose write waits on a row lock: in flight when the stop begins.
    const hold = await holdCaseRow(t.databaseUrl, c.id);
    const busy = new http.Agent({ keepAlive: true });
    const inFlight = call(port, busy, 'POST', `/api/cases/${c.id}/events`, officer, { type: 'DISPOSISI' });
    await waitingOnLock(db, '%WITH upd AS%');

    const started = Date.now();
    const stopped = shutdown.stop();
    // Idle kept-alive connections are closed at once; no new connection is accepted.
    await idleClosed;
    await expect(call(port, new http.Agent(), 'GET', '/api/health')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await hold.release();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.connection).toBe('close');
    expect(await stopped).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    agent.destroy();
    busy.destroy();
  });

  it('turns readiness red while draining and cuts a request that outlives the grace period', async () => {
    const shutdown = new GracefulShutdown(t.app, 1_000);
    const { port } = await listening();
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${officer}`)
        .send(complaint())
        .expect(201)
    ).body as { id: string };
    const hold = await holdCaseRow(t.databaseUrl, c.id);
    const agent = new http.Agent({ keepAlive: true });
    let cutAt = 0;
    const inFlight = call(port, agent, 'POST', `/api/cases/${c.id}/events`, officer, {
      type: 'DISPOSISI',
    }).catch((error: NodeJS.ErrnoException) => {
      cutAt = Date.now();
      return error.code;
    });
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    const stopped = shutdown.stop();
    // While it drains, readiness is red with its reason (the listener is already closed).
    await expect(t.app.get(HealthController).ready()).rejects.toMatchObject({
      response: {
        details: {
          checks: expect.arrayContaining([
            { name: 'shutdown', ok: false, reason: 'layanan sedang berhenti' },
          ]),
        },
      },
    });
    expect(await stopped).toBe(false);
    // Cut at the grace period, not left hanging; the close then waits at most for the database's
    // lock timeout that bounds the statement the cut request left behind.
    expect(await inFlight).toBe('ECONNRESET');
    expect(cutAt - started).toBeGreaterThanOrEqual(1_000);
    expect(cutAt - started).toBeLessThan(2_500);
    await hold.release();
    agent.destroy();
  });
});
