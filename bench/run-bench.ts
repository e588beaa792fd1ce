/**
 * `npm run bench`: starts the service on a fresh embedded PostgreSQL (or DATABASE_URL), drives
 * complaints through the SOP with concurrent clients over HTTP, and reports events per second,
 * latency percentiles and the service's peak RSS, beside the same writes done straight in SQL
 * (the ceiling of the database on this machine).
 */
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres, freePort } from '../src/database/embedded-postgres';
import {
  call,
  cpuMs,
  machineBusyMs,
  peakRssMiB,
  percentile,
  postgresCpuMs,
  preemptions,
  startService,
  table,
} from './bench-support';
import { consoleBench } from './console-bench';
import { recommendationJourney } from './journey';
import { mixedBench } from './mixed-bench';
import { reportBench } from './report-bench';
import { sweepBench } from './sweep-bench';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const CASES = Number(process.env.BENCH_CASES ?? 1600);
/** How many turns the service and its ceiling take, each on its own slice of the cases. */
const SLICES = Number(process.env.BENCH_SLICES ?? 4);
/**
 * Cases whose events run through the service and the ceiling first, uncounted: the first
 * thousands of events of a fresh process run while its code is still being compiled, at about
 * twice the CPU of the steady state that a running service is in.
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const PASSWORD = 'BenchSandi12345';

async function runPool<T>(items: T[], workers: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await work(item);
      }
    }),
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'yankomas-bench-'));
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(dir);
  // The service and the ceiling reach the embedded server the same way: over its local socket.
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.local.url;
  // The service runs as the runtime role; loading data and ANALYZE need the schema owner.
  const ownerUrl = process.env.DATABASE_MIGRATION_URL ?? embedded?.local.migrationUrl ?? databaseUrl;
  const serviceEnv = {
    DATABASE_URL: databaseUrl,
    DATABASE_MIGRATION_URL: ownerUrl,
    ADMIN_PASSWORD: PASSWORD,
    RATE_LIMIT_PER_MINUTE: '1000000',
    SCHEDULER_ENABLED: 'false',
    NODE_ENV: 'production',
  };
  const service = await startService(serviceEnv, await freePort());
  try {
    const url = service.url;
    const admin = (
      await call<{ accessToken: string }>(url, 'POST', '/api/auth/login', null, {
        username: 'admin',
        password: PASSWORD,
      })
    ).accessToken;
    const tokens: Record<string, string> = {};
    for (const role of ['petugas', 'kakanwil', 'kadiv', 'kabid']) {
      await call(url, 'POST', '/api/users', admin, {
        username: `bench.${role}`,
        password: PASSWORD,
        fullName: role,
        unitCode: 'KANWIL-JT',
        roles: [role.toUpperCase()],
      });
      tokens[role] = (
        await call<{ accessToken: string }>(url, 'POST', '/api/auth/login', null, {
          username: `bench.${role}`,
          password: PASSWORD,
        })
      ).accessToken;
    }
    const institution = await call<{ id: string }>(url, 'POST', '/api/institutions', tokens.petugas, {
      name: 'Polda Jawa Tengah',
      email: 'humas@polda-jateng.example.id',
    });

    const body = {
      unitCode: 'KANWIL-JT',
      receivedAt: '2026-02-02T09:00:00+07:00',
      channel: 'SURAT',
      submission: 'LANGSUNG',
      complainant: { name: 'Pengadu' },
      locus: { provinceCode: 'ID-JT' },
      rights: ['KEADILAN'],
      theme: 'PIDANA',
      reportedParty: 'KEPOLISIAN',
      summary: 'bench',
    };
    const ids: string[] = [];
    const registerStart = performance.now();
    const registerCpu = cpuMs(service.process.pid!);
    await runPool(
      Array.from({ length: CASES + WARMUP }, (_, i) => i),
      CLIENTS,
      async () => {
        ids.push((await call<{ id: string }>(url, 'POST', '/api/cases', tokens.petugas, body)).id);
      },
    );
    const registerSeconds = (performance.now() - registerStart) / 1000;
    const registerCpuEach = (cpuMs(service.process.pid!) - registerCpu) / (CASES + WARMUP);

    const steps = recommendationJourney(institution.id, 'W6.HAM-BENCH');
    // The ceiling: the statements of an event on a case read first (read it, then compare-and-set
    // it and append the history row), straight from a pg pool.
    const pool = new Pool({ connectionString: databaseUrl, max: CLIENTS });
    const ceilingEvent = async (id: string) => {
      const { rows } = await pool.query<{ version: number }>({
        name: 'read',
        text: 'SELECT * FROM cases WHERE id = $1',
        values: [id],
      });
      await pool.query({
        name: 'cas',
        text: `WITH upd AS (UPDATE cases SET version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING *),
               ins AS (INSERT INTO case_events (case_id, seq, type, actor_username, actor_roles, unit_code, occurred_at, to_state, workflow_version, payload)
                       SELECT id, version, 'BENCH', 'bench', '{}', unit_code, now(), state, 1, '{}' FROM upd)
               SELECT * FROM upd`,
        values: [id, rows[0].version],
      });
    };
    // Every case's journey, one step at a time, each step's latency recorded.
    const journeys =
      (send: (id: string, step: (typeof steps)[number]) => Promise<unknown>) =>
      (cases: string[], latencies: number[]) =>
        runPool(cases, CLIENTS, async (id) => {
          for (const step of steps) {
            const t0 = performance.now();
            await send(id, step);
            latencies.push(performance.now() - t0);
          }
        });
    const serviceEvents = journeys((id, [role, event]) =>
      call(url, 'POST', `/api/cases/${id}/events`, tokens[role], event),
    );
    const ceilingEvents = journeys((id) => ceilingEvent(id));
    const warmup = ids.splice(0, WARMUP);
    await serviceEvents(warmup, []);
    await ceilingEvents(warmup, []);
    // The service and its ceiling take turns, a slice of the cases each, so that the machine's
    // speed (which moves by half within minutes on a shared host) weighs on both alike.
    const latencies: number[] = [];
    const sqlLatencies: number[] = [];
    let eventSeconds = 0;
    let sqlSeconds = 0;
    let serviceCpu = 0;
    // Where the machine's CPU went while the service handled the events, and how often its main
    // thread had to leave its core to a process its writes had woken.
    let machineCpu = 0;
    let generatorCpu = 0;
    let preempted = 0;
    // PostgreSQL's own share of each side, for the statements the service sends against the ceiling's.
    let servicePostgresCpu = 0;
    let ceilingPostgresCpu = 0;
    const slice = Math.ceil(ids.length / SLICES);
    for (let from = 0; from < ids.length; from += slice) {
      const cases = ids.slice(from, from + slice);
      // Read before the clock starts: it walks every process of the machine.
      const postgresBefore = postgresCpuMs();
      const eventsStart = performance.now();
      const cpuBefore = cpuMs(service.process.pid!);
      const machineBefore = machineBusyMs();
      const generatorBefore = process.cpuUsage();
      const preemptedBefore = preemptions(service.process.pid!);
      await serviceEvents(cases, latencies);
      eventSeconds += (performance.now() - eventsStart) / 1000;
      serviceCpu += cpuMs(service.process.pid!) - cpuBefore;
      machineCpu += machineBusyMs() - machineBefore;
      const generator = process.cpuUsage(generatorBefore);
      generatorCpu += (generator.user + generator.system) / 1000;
      preempted += preemptions(service.process.pid!) - preemptedBefore;
      servicePostgresCpu += postgresCpuMs() - postgresBefore;
      const ceilingPostgresBefore = postgresCpuMs();
      const sqlStart = performance.now();
      await ceilingEvents(cases, sqlLatencies);
      sqlSeconds += (performance.now() - sqlStart) / 1000;
      ceilingPostgresCpu += postgresCpuMs() - ceilingPostgresBefore;
    }
    await pool.end();
    const cpuPerEvent = serviceCpu / latencies.length;
    latencies.sort((a, b) => a - b);
    sqlLatencies.sort((a, b) => a - b);
    const rss = peakRssMiB(service.process.pid!);

    const events = latencies.length;
    const ratio = events / eventSeconds / (sqlLatencies.length / sqlSeconds);
    console.log(
      `\nYankomas benchmark: ${CASES} cases, ${events} workflow events, ${CLIENTS} concurrent clients, ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL 15'}`,
    );
    // The headline: the machine's speed moves between runs, its ratio to its own ceiling much less.
    console.log(
      `events over HTTP at ${(ratio * 100).toFixed(0)}% of the SQL-only ceiling measured in this run, in ${SLICES} turns each (goal >= 35%)`,
    );
    const perEvent = (ms: number) => (ms / events).toFixed(2);
    console.log(
      `while the service ran: ${perEvent(machineCpu)} ms of the machine's CPU per event (of ${perEvent(eventSeconds * 1000 * cpus().length)} it had): ` +
        `the service ${perEvent(serviceCpu)}, the load generator ${perEvent(generatorCpu)}, PostgreSQL and the kernel ${perEvent(machineCpu - serviceCpu - generatorCpu)}` +
        (servicePostgresCpu > 0
          ? ` (PostgreSQL's processes ${perEvent(servicePostgresCpu)}, against ${perEvent(ceilingPostgresCpu)} for the ceiling's statements)`
          : '') +
        '; ' +
        `the service's main thread preempted ${(preempted / events).toFixed(2)} times per event` +
        (WARMUP ? ` (after ${WARMUP * steps.length} uncounted events of warm-up)` : ''),
    );
    console.log(
      `registrations: ${((CASES + WARMUP) / registerSeconds).toFixed(0)} cases/s, service CPU ${registerCpuEach.toFixed(2)} ms each\n`,
    );
    console.log(
      table([
        {
          path: 'HTTP API (events)',
          'events/s': (events / eventSeconds).toFixed(0),
          'p50 ms': percentile(latencies, 50).toFixed(1),
          'p95 ms': percentile(latencies, 95).toFixed(1),
          'p99 ms': percentile(latencies, 99).toFixed(1),
          'peak RSS MiB': rss.toFixed(0),
          'service CPU ms/event': cpuPerEvent.toFixed(2),
        },
        {
          path: 'SQL only (ceiling)',
          'events/s': (sqlLatencies.length / sqlSeconds).toFixed(0),
          'p50 ms': percentile(sqlLatencies, 50).toFixed(1),
          'p95 ms': percentile(sqlLatencies, 95).toFixed(1),
          'p99 ms': percentile(sqlLatencies, 99).toFixed(1),
          'peak RSS MiB': '-',
          'service CPU ms/event': '-',
        },
      ]),
    );
    console.log('\ngoal (16 clients, 2 cores): >= 1000 events/s, p99 < 100 ms, RSS < 300 MiB');
    if (process.env.BENCH_MIXED !== 'false') {
      const setup = { tokens, registration: body, journey: steps, caseIds: ids, year: 2026 };
      const one = await mixedBench([service], setup);
      console.log(one.lines);
      // A second instance on the same database, the requests spread over both.
      const second = await startService(serviceEnv, await freePort());
      try {
        const two = await mixedBench([service, second], setup);
        console.log(two.lines);
      } finally {
        await second.stop();
      }
    }
    if (process.env.BENCH_CONSOLE !== 'false') {
      console.log(
        await consoleBench(
          ownerUrl,
          url,
          'KANWIL-JT',
          { officer: 'bench.petugas', supervisor: 'bench.kabid' },
          PASSWORD,
          ids[0],
        ),
      );
    }
    if (process.env.BENCH_REPORTS !== 'false')
      console.log(await reportBench(ownerUrl, url, admin, tokens.petugas));
    await service.stop();
    if (process.env.BENCH_SWEEP !== 'false') console.log(await sweepBench(ownerUrl, ids[0]));
  } finally {
    await service.stop();
    // Stopping the embedded server ends every connection still idle in a pool that is closing;
    // pg reports that as an 'error' event (57P01), which at this point is the expected end.
    process.on('uncaughtException', (error: Error & { code?: string }) => {
      if (error.code !== '57P01') throw error;
    });
    await embedded?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
