/**
 * A desk's day at once: registrations, workflow events, case views, case lists, SLA summaries and
 * recaps sent together by concurrent clients at a fixed mix (60% reads), for BENCH_MIXED_SECONDS
 * at each load level, to one instance or round-robin to two behind the same PostgreSQL (as a load
 * balancer spreads them). Reports what each level carries and the highest throughput whose p99
 * stays under 200 ms.
 */
import { call, cpuMs, peakRssMiB, percentile, type Service, table } from './bench-support';

const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 60);
const LEVELS = (process.env.BENCH_MIXED_CLIENTS ?? '4,8,16').split(',').map(Number);
const P99_BOUND_MS = 200;

/** The share of each kind of request, out of 100: 60 reads, 40 writes. */
const MIX = [
  ['view', 25],
  ['list', 20],
  ['summary', 10],
  ['recap', 5],
  ['register', 6],
  ['event', 34],
] as const;
type Kind = (typeof MIX)[number][0];

export interface MixedLoadSetup {
  tokens: Record<string, string>;
  /** A registration's body. */
  registration: Record<string, unknown>;
  /** The events that take a new case to its end, each with the role that sends it. */
  journey: [string, Record<string, unknown>][];
  /** Cases that already exist (for views). */
  caseIds: string[];
  year: number;
}

function pick(): Kind {
  let roll = Math.random() * 100;
  for (const [kind, share] of MIX) {
    roll -= share;
    if (roll < 0) return kind;
  }
  return 'view';
}

interface LevelResult {
  clients: number;
  opsPerSecond: number;
  latencies: number[];
  byKind: Map<Kind, number[]>;
  cpuMsPerOp: number;
}

async function runLevel(services: Service[], setup: MixedLoadSetup, clients: number): Promise<LevelResult> {
  const byKind = new Map<Kind, number[]>(MIX.map(([kind]) => [kind, []]));
  const latencies: number[] = [];
  const views = [...setup.caseIds];
  let turn = 0;
  const target = () => services[turn++ % services.length].url;
  const cpuBefore = services.reduce((sum, s) => sum + cpuMs(s.process.pid!), 0);
  const ends = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      // Each client carries its own cases through the journey, as a desk does its own.
      const open: { id: string; step: number }[] = [];
      while (performance.now() < ends) {
        let kind = pick();
        if (kind === 'event' && open.length === 0) kind = 'register';
        const t0 = performance.now();
        const url = target();
        if (kind === 'register') {
          const { id } = await call<{ id: string }>(
            url,
            'POST',
            '/api/cases',
            setup.tokens.petugas,
            setup.registration,
          );
          open.push({ id, step: 0 });
          views.push(id);
        } else if (kind === 'event') {
          const item = open[0];
          const [role, event] = setup.journey[item.step];
          await call(url, 'POST', `/api/cases/${item.id}/events`, setup.tokens[role], event);
          item.step += 1;
          if (item.step === setup.journey.length) open.shift();
        } else if (kind === 'view') {
          const id = views[Math.floor(Math.random() * views.length)];
          await call(url, 'GET', `/api/cases/${id}`, setup.tokens.petugas);
        } else if (kind === 'list') {
          await call(url, 'GET', '/api/cases?pageSize=50', setup.tokens.petugas);
        } else if (kind === 'summary') {
          await call(url, 'GET', '/api/sla/summary', setup.tokens.kabid);
        } else {
          await call(
            url,
            'GET',
            `/api/reports/rekapitulasi?unitCode=KANWIL-JT&year=${setup.year}`,
            setup.tokens.kakanwil,
          );
        }
        const ms = performance.now() - t0;
        latencies.push(ms);
        byKind.get(kind)!.push(ms);
      }
    }),
  );
  const cpuAfter = services.reduce((sum, s) => sum + cpuMs(s.process.pid!), 0);
  latencies.sort((a, b) => a - b);
  for (const list of byKind.values()) list.sort((a, b) => a - b);
  return {
    clients,
    opsPerSecond: latencies.length / SECONDS,
    latencies,
    byKind,
    cpuMsPerOp: (cpuAfter - cpuBefore) / latencies.length,
  };
}

/** The mixed load at each level on `services`; the lines to print. */
export async function mixedBench(
  services: Service[],
  setup: MixedLoadSetup,
): Promise<{
  lines: string;
  best: number | null;
}> {
  const results: LevelResult[] = [];
  for (const clients of LEVELS) results.push(await runLevel(services, setup, clients));
  const within = results.filter((r) => percentile(r.latencies, 99) < P99_BOUND_MS);
  const best = within.length ? Math.max(...within.map((r) => r.opsPerSecond)) : null;
  const rss = services.map((s) => peakRssMiB(s.process.pid!).toFixed(0)).join(' + ');
  const rows = results.map((r) => ({
    clients: r.clients,
    'requests/s': r.opsPerSecond.toFixed(0),
    'p50 ms': percentile(r.latencies, 50).toFixed(1),
    'p95 ms': percentile(r.latencies, 95).toFixed(1),
    'p99 ms': percentile(r.latencies, 99).toFixed(1),
    ...Object.fromEntries(
      [...r.byKind].map(([kind, list]) => [
        `${kind} p99`,
        list.length ? percentile(list, 99).toFixed(0) : '-',
      ]),
    ),
    'CPU ms/req': r.cpuMsPerOp.toFixed(2),
  }));
  const heading = `\nMixed load on ${services.length} instance${services.length > 1 ? 's' : ''} (${MIX.map(([k, s]) => `${k} ${s}%`).join(', ')}; ${SECONDS} s per level; peak RSS MiB ${rss}):`;
  const verdict =
    best === null
      ? `no level kept p99 under ${P99_BOUND_MS} ms`
      : `throughput at p99 under ${P99_BOUND_MS} ms: ${best.toFixed(0)} requests/s`;
  return { lines: [heading, table(rows), verdict].join('\n'), best };
}
