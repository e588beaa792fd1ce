/** Shared helpers of the benchmarks: a service child process, HTTP calls, percentiles, RSS. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';

/** `npm run bench -- --name value` (or `--name=value`): the value given on the command line, if any. */
export function argument(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return undefined;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/** Peak resident set size of a process, from the kernel (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0);
  return kb / 1024;
}

/** The CPU time (user and system, all its threads) in a process's /proc/<pid>/stat, in milliseconds. */
function statCpuMs(stat: string): number {
  // The fields after the command name (which may hold spaces): utime and stime are 14 and 15.
  const fields = stat.split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** CPU time a process has used so far (user and system, all its threads), in milliseconds. */
export function cpuMs(pid: number): number {
  return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * CPU time the whole machine has spent busy so far (every core, user and system, idle and I/O
 * wait excluded), in milliseconds, from /proc/stat.
 */
export function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + fields[4];
  const all = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return ((all - idle) * 1000) / 100;
}

/**
 * CPU time every PostgreSQL process on this machine has used so far (the embedded server's
 * postmaster, its backends and its background workers), in milliseconds: 0 where the database
 * runs elsewhere (DATABASE_URL on another host).
 */
export function postgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.includes('(postgres) ')) total += statCpuMs(stat);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return total;
}

/**
 * How often the process's main thread has been taken off its core while it still had work
 * (nonvoluntary_ctxt_switches): on a machine it shares with PostgreSQL, mostly by a process it
 * has just woken with a write.
 */
export function preemptions(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/nonvoluntary_ctxt_switches:\s+(\d+)/)?.[1] ?? 0);
}

export interface Service {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startService(env: Record<string, string>, port: number): Promise<Service> {
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const child = spawn(process.execPath, [...profile, join(__dirname, '..', 'src', 'main.js')], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`service exited: ${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

// node:http with keep-alive: the load generator shares the machine's two cores with the service
// and PostgreSQL, and fetch costs it several times more CPU per request.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One request; the caller names the shape of the JSON it expects back. A kept-alive socket that
 * the server closed for idleness (its keep-alive timeout) just as the request went out is reset
 * before any answer: that request never reached the service, and is sent once more on a new
 * socket (the retry Node's documentation gives for `request.reusedSocket`). Any other failure
 * names the request.
 */
export async function call<T = unknown>(
  url: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const target = new URL(path, url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const send = () => sendOnce<T>(target, method, path, token, payload);
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof StaleSocketError)) throw error;
    return send();
  }
}

class StaleSocketError extends Error {}

function sendOnce<T>(
  target: URL,
  method: string,
  path: string,
  token: string | null,
  payload: string | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers: {
          'content-type': 'application/json',
          ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if ((res.statusCode ?? 500) >= 300)
            return reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
          resolve((text ? JSON.parse(text) : null) as T);
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        req.reusedSocket && error.code === 'ECONNRESET'
          ? new StaleSocketError(error.message)
          : new Error(`${method} ${path} to ${target.host}: ${error.message}`, { cause: error }),
      ),
    );
    req.end(payload);
  });
}

export function table(rows: Record<string, string | number>[]): string {
  const keys = Object.keys(rows[0]);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ');
  return [
    line(keys),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(keys.map((k) => String(r[k])))),
  ].join('\n');
}

/** The columns of a case that the scale benches copy from a journeyed one, in the order they fill them. */
export const CASE_COPY_COLUMNS = `id, register_number, register_year, register_seq, unit_code, workflow_id, workflow_version, state, state_value,
  context, category, version, received_at, channel, submission, complainant, locus_province_code, locus_regency,
  rights, theme, reported_party, summary, created_by, last_event_at, step_started_at, deadline_step,
  deadline_clock, deadline_basis_at, deadline_limit, deadline_due_at, deadline_due_soon_at, deadline_provisional,
  paused_at, next_sla_check_at, sla_level, assignee_id`;
