import { request as httpRequest } from 'node:http';
/**
 * The console's pages with BENCH_CONSOLE_CASES (default 10,000) cases in the unit: server time to
 * the last byte and page size, as an officer and a supervisor open them. The cases are copies of
 * one journeyed case, spread over the open steps with deadlines from overdue to next month, so the
 * queue, dashboard and recap have real work to do.
 */
import { Pool } from 'pg';
import { CASE_COPY_COLUMNS, percentile, table } from './bench-support';

const CASES = Number(process.env.BENCH_CONSOLE_CASES ?? 10_000);
const RUNS = 20;

const STEPS: [string, string][] = [
  ['terima.pemeriksaan', '{"terima": "pemeriksaan"}'],
  ['disposisi.kabid', '{"disposisi": "kabid"}'],
  ['telaah.penyusunan', '{"telaah": "penyusunan"}'],
  ['telaah.persetujuan', '{"telaah": "persetujuan"}'],
  ['rekomendasi.penyusunan', '{"rekomendasi": "penyusunan"}'],
];

async function signIn(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/masuk`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ username, password, lanjut: '/' }).toString(),
  });
  const cookie = res.headers.get('set-cookie');
  if (res.status !== 303 || !cookie) throw new Error(`console login ${username}: ${res.status}`);
  return cookie.split(';')[0];
}

async function timePage(url: string, cookie: string, path: string) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i += 1) {
    const t0 = performance.now();
    const res = await fetch(url + path, { headers: { cookie }, redirect: 'manual' });
    const body = await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  return {
    page: path.split('?')[0],
    'p50 ms': percentile(times, 50).toFixed(0),
    'p95 ms': percentile(times, 95).toFixed(0),
    KB: (bytes / 1024).toFixed(0),
    'KB sent (gzip)': ((await wireBytes(url, cookie, path)) / 1024).toFixed(0),
  };
}

/** What the page weighs on the wire for a browser that accepts gzip (fetch would inflate it first). */
function wireBytes(url: string, cookie: string, path: string): Promise<number> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        headers: { cookie, 'accept-encoding': 'gzip' },
      },
      (res) => {
        let n = 0;
        res.on('data', (chunk: Buffer) => (n += chunk.length));
        res.on('end', () => resolve(n));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function consoleBench(
  databaseUrl: string,
  url: string,
  unitCode: string,
  users: { officer: string; supervisor: string },
  password: string,
  journeyedCaseId: string,
): Promise<string> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const [{ n: existing }] = (
    await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE unit_code = $1', [unitCode])
  ).rows;
  const copies = Math.max(0, CASES - existing);
  await pool.query(
    `INSERT INTO cases (${CASE_COPY_COLUMNS})
     SELECT gen_random_uuid(), 'KONSOL/' || g, register_year, 200000 + g, unit_code, workflow_id, workflow_version,
            s.state, s.value::jsonb, '{}'::jsonb, 'PROSES', 1, now() - (g % 300) * interval '1 day', channel, submission,
            complainant, locus_province_code, locus_regency, rights, theme, reported_party, summary, created_by,
            now() - (g % 300) * interval '1 day', now() - interval '3 days', s.state, 'KASUS', now() - interval '3 days', '{"hari": 5}',
            now() + ((g % 40) - 10) * interval '1 day', now() + ((g % 40) - 12) * interval '1 day', false, NULL,
            now() + ((g % 40) - 10) * interval '1 day', 0, assignee_id
       FROM generate_series(1, $1) g
       JOIN (SELECT * FROM unnest($2::text[], $3::text[]) AS x(state, value)) s ON s.state = ($2::text[])[1 + g % ${STEPS.length}]
       CROSS JOIN (SELECT * FROM cases WHERE id = $4) t`,
    [copies, STEPS.map((s) => s[0]), STEPS.map((s) => s[1]), journeyedCaseId],
  );
  await pool.query('ANALYZE cases');
  await pool.end();

  const officer = await signIn(url, users.officer, password);
  const supervisor = await signIn(url, users.supervisor, password);
  const year = new Date().getUTCFullYear();
  const rows = [];
  for (const [cookie, path] of [
    [officer, '/antrean'],
    [officer, '/pengaduan/baru'],
    [officer, `/kasus/${journeyedCaseId}`],
    [supervisor, '/kasus?sla=OVERDUE'],
    [supervisor, '/dasbor'],
    [supervisor, `/laporan?unit=${unitCode}&tahun=${year}`],
    [supervisor, `/laporan/kasus?unit=${unitCode}&tahun=${year}&kolom=jumlah`],
  ] as const) {
    rows.push(await timePage(url, cookie, path));
  }
  // The copies go again, so the sweep bench that follows finds only its own due cases.
  const cleanup = new Pool({ connectionString: databaseUrl, max: 1 });
  await cleanup.query(`DELETE FROM cases WHERE register_number LIKE 'KONSOL/%'`);
  await cleanup.end();
  return [
    `\nConsole pages with ${CASES.toLocaleString('en')} cases in ${unitCode} (${RUNS} requests each, one at a time, server time to the last byte):`,
    table(rows),
    'goal: each page < 300 ms and < 200 KB',
  ].join('\n');
}
