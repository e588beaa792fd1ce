/**
 * Reports at scale: BENCH_REPORT_CASES (default 1,000,000) historical cases over six years and
 * every unit, with their history (registration, a decision for most, a response for some), then
 * the recap and the indicator for one regional office and for the national view, and the legacy
 * import's throughput through the API.
 */
import { Pool } from 'pg';
import { argument, call, table } from './bench-support';
import { initialState, SHIPPED_WORKFLOWS } from '../workflows';

/** A closed case's context as the machine keeps it (the lists compute each case's actions from it). */
const CONTEXT = JSON.stringify(initialState(SHIPPED_WORKFLOWS[0]).context);

// `npm run bench -- --cases 10000000` or BENCH_REPORT_CASES.
const CASES = Number(argument('cases') ?? process.env.BENCH_REPORT_CASES ?? 1_000_000);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await work();
  return [result, performance.now() - t0];
}

/**
 * One request timed after a warm-up of the same request. At ten million cases a read may pass the
 * service's statement timeout: that is a figure too, and the rest of the table is still measured.
 */
async function measure<T>(work: () => Promise<T>): Promise<[T, number] | { failed: string }> {
  try {
    await work();
    return await timed(work);
  } catch (error) {
    return { failed: `failed: ${(error as Error).message.slice(0, 120)}` };
  }
}

/** A row of the lists' table, timed; the case list answers `items`, a drill-down `cases`. */
async function listRow(
  label: string,
  work: () => Promise<{ total: number; items?: unknown[]; cases?: unknown[] }>,
): Promise<Record<string, string>> {
  const measured = await measure(work);
  if ('failed' in measured) return { query: label, ms: '-', rows: measured.failed };
  const [result, ms] = measured;
  const rows = (result.items ?? result.cases ?? []).length;
  return { query: label, ms: ms.toFixed(0), rows: `${rows} of ${result.total}` };
}

/** What the timed report calls answer: a recap's totals, or an indicator's fraction. */
interface FigureAnswer {
  totals?: { jumlah: number; tanggapan: number };
  fraction?: string;
  display?: { realisasi: string };
}

export async function reportBench(
  databaseUrl: string,
  url: string,
  adminToken: string,
  /** A PETUGAS of KANWIL-JT, whose work queue is timed once the import has opened cases there. */
  officerToken: string,
): Promise<string> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const [
    {
      rows: [creator],
    },
  ] = [await pool.query<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`)];
  const [, loadMs] = await timed(async () => {
    await pool.query(`SET synchronous_commit = off`);
    await pool.query(
      `INSERT INTO cases (id, register_number, register_year, register_seq, unit_code, workflow_id, workflow_version, state, state_value, context,
                          category, version, received_at, channel, submission, complainant, locus_province_code, locus_regency, rights, theme,
                          reported_party, summary, created_by, last_event_at, category_since, first_response_at, step_started_at)
       SELECT gen_random_uuid(), 'BENCH/' || g, 2020 + g % 6, g, u.code, 'pengaduan', 1, 'selesai', '"selesai"', $3::jsonb,
              k.category, 3, k.received_at, 'SURAT', 'LANGSUNG', '{"name": "x"}',
              p.code, NULL, ARRAY['RASA_AMAN'], 'PIDANA', 'KEPOLISIAN',
              -- words to search for: seven common ones, and one of 5,000 rare ones (200 cases each); the
              -- common word goes by g / 84, not by the day (g % 84), so that each day has all seven
              'bench ' || (ARRAY['penggusuran','intimidasi','pemecatan','penahanan','perampasan','pencemaran','diskriminasi'])[1 + g / 84 % 7]
                || ' desa' || (g % 5000), $2,
              -- the time of the case's last event below: registration, decision (+20 days) or response (+75 days)
              k.received_at + CASE WHEN k.category = 'PROSES' THEN interval '0' WHEN k.category LIKE '%FILE' THEN interval '20 days' ELSE interval '75 days' END,
              -- since the decision gave the category (a response leaves it), as the service keeps it
              k.received_at + CASE WHEN k.category = 'PROSES' THEN interval '0' ELSE interval '20 days' END,
              CASE WHEN k.category IN ('TELAAH_REKOMENDASI', 'REKOMENDASI') THEN k.received_at + interval '75 days' END,
              now()
         FROM generate_series(1, $1) g
         CROSS JOIN LATERAL (SELECT (ARRAY['PROSES','FILE','TELAAH_FILE','TELAAH_REKOMENDASI','REKOMENDASI'])[1 + g % 5] AS category,
                                    -- one of 84 days, at its own time of the working day (09:00-17:00 WIB): the
                                    -- cases of a day do not all share one instant, which no desk's register shows
                                    make_timestamptz(2020 + g % 6, 1 + g % 12, 1 + g % 28, 9, 0, 0, 'Asia/Jakarta')
                                      + ((g / 84) * 7919 % 28800000) * interval '1 millisecond' AS received_at) k
         JOIN LATERAL (SELECT code FROM units ORDER BY code OFFSET (g % 39) LIMIT 1) u ON true
         JOIN LATERAL (SELECT code FROM provinces ORDER BY sort_order OFFSET (g % 40) LIMIT 1) p ON true
        -- in the order the complaints arrived, as a table filled over the years is laid out
        ORDER BY k.received_at`,
      [CASES, creator.id, CONTEXT],
    );
    await pool.query(
      `INSERT INTO case_events (case_id, seq, type, actor_username, actor_roles, unit_code, occurred_at, to_state, to_category, workflow_version, payload,
                                locus_province_code, first_follow_up)
       SELECT id, 1, 'REGISTRASI', 'bench', '{}', unit_code, received_at, 'terima.pemeriksaan', 'PROSES', 1, '{}', locus_province_code, false FROM cases WHERE register_number LIKE 'BENCH/%' ORDER BY received_at`,
    );
    await pool.query(
      `INSERT INTO case_events (case_id, seq, type, actor_username, actor_roles, unit_code, occurred_at, to_state, to_category, workflow_version, payload,
                                locus_province_code, first_follow_up)
       SELECT id, 2, 'KEPUTUSAN', 'bench', '{}', unit_code, received_at + interval '20 days', 'x', category, 1, '{}', locus_province_code, false
         FROM cases WHERE register_number LIKE 'BENCH/%' AND category <> 'PROSES' ORDER BY received_at`,
    );
    await pool.query(
      `INSERT INTO case_events (case_id, seq, type, actor_username, actor_roles, unit_code, occurred_at, to_state, to_category, workflow_version, payload,
                                locus_province_code, first_follow_up)
       -- the case's first follow-up (it gives first_response_at), with its locus, as the service writes it
       SELECT id, 3, 'TANGGAPAN', 'bench', '{}', unit_code, received_at + interval '75 days', 'selesai', category, 1, '{}', locus_province_code, true
         FROM cases WHERE register_number LIKE 'BENCH/%' AND category IN ('TELAAH_REKOMENDASI', 'REKOMENDASI') ORDER BY received_at`,
    );
    // As after any bulk load: the statistics, and the visibility map that lets the reports read
    // their covering indexes without the table (autovacuum would set it later, at its own pace).
    await pool.query('VACUUM ANALYZE cases');
    await pool.query('VACUUM ANALYZE case_events');
  });
  const {
    rows: [{ events }],
  } = await pool.query<{ events: number }>(`SELECT count(*)::int AS events FROM case_events`);
  await pool.end();

  const runs: Record<string, string | number>[] = [];
  for (const [label, path] of [
    ['recap, one Kanwil, 2024', '/api/reports/rekapitulasi?unitCode=KANWIL-JT&year=2024&asOf=2025-01-08'],
    ['recap, national (ALL), 2024', '/api/reports/rekapitulasi?unitCode=ALL&year=2024&asOf=2025-01-08'],
    [
      'indicator, one Kanwil, 2024',
      '/api/indicators/ditindaklanjuti?unitCode=KANWIL-JT&year=2024&asOf=2025-01-08',
    ],
    [
      'indicator, national (ALL), 2024',
      '/api/indicators/ditindaklanjuti?unitCode=ALL&year=2024&asOf=2025-01-08',
    ],
  ]) {
    const measured = await measure(() => call<FigureAnswer>(url, 'GET', path, adminToken));
    if ('failed' in measured) {
      runs.push({ query: label, ms: '-', result: measured.failed });
      continue;
    }
    const [result, ms] = measured;
    const figure = result.totals
      ? `jumlah ${result.totals.jumlah}, tanggapan ${result.totals.tanggapan}`
      : `${result.fraction} = ${result.display?.realisasi}`;
    runs.push({ query: label, ms: ms.toFixed(0), result: figure });
  }

  // The lists the desk opens all day, over the same million cases: paged, filtered, searched.
  const lists: Record<string, string | number>[] = [];
  for (const [label, path] of [
    ['case list, one Kanwil, 2024, page 1', '/api/cases?unitCode=KANWIL-JT&year=2024&pageSize=50'],
    ['case list, one Kanwil, 2024, page 20', '/api/cases?unitCode=KANWIL-JT&year=2024&pageSize=50&page=20'],
    ['case list, national, sorted by register number', '/api/cases?sort=registerNumber&pageSize=50'],
    ['search: part of a register number', '/api/cases?q=BENCH%2F4242&pageSize=50'],
    ['search: a rare word (200 cases)', '/api/cases?q=desa4242&pageSize=50'],
    ['search: a common word with a typo', '/api/cases?q=intimdasi&pageSize=50'],
    [
      'drill-down: a recap cell, page 1',
      '/api/reports/rekapitulasi/cases?unitCode=KANWIL-JT&year=2024&column=jumlah&page=1&pageSize=50',
    ],
    [
      'drill-down: a national recap cell, page 1',
      '/api/reports/rekapitulasi/cases?unitCode=ALL&year=2024&column=jumlah&page=1&pageSize=50',
    ],
  ]) {
    lists.push(
      await listRow(label, () =>
        call<{ total: number; items?: unknown[]; cases?: unknown[] }>(url, 'GET', path, adminToken),
      ),
    );
  }

  const header =
    'nomor_register;unit;tanggal_diterima;provinsi;kabupaten_kota;hak;tema;pihak_teradu;saluran;jenis;ringkasan;hasil;tanggal_hasil;nomor_surat;tanggal_surat;institusi;tanggal_tanggapan';
  const lines = Array.from(
    { length: IMPORT_ROWS },
    (_, i) =>
      `IMPOR/${i};KANWIL-JT;2022-0${1 + (i % 9)}-1${i % 9};ID-JT;;RASA_AMAN;PIDANA;KEPOLISIAN;SURAT;LANGSUNG;impor bench;${i % 2 ? 'FILE' : 'PROSES'};${i % 2 ? '2022-10-01' : ''};;;;`,
  );
  const csv = [header, ...lines].join('\n');
  const [report, importMs] = await timed(async () => {
    const res = await fetch(`${url}/api/imports/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' },
      body: csv,
    });
    return res.json() as Promise<{ summary: { created: number } }>;
  });

  // The officer's queue, among the unit's closed cases of six years and the import's open ones.
  lists.push(
    await listRow('queue: an officer of one Kanwil, page 1', () =>
      call<{ total: number; items?: unknown[] }>(
        url,
        'GET',
        '/api/cases?mine=true&pageSize=50',
        officerToken,
      ),
    ),
  );

  return [
    `\nReports over ${CASES.toLocaleString('en')} cases (${Number(events).toLocaleString('en')} history rows; loaded in ${(loadMs / 1000).toFixed(0)} s):`,
    table(runs),
    '\nLists and search over the same cases (as ADMIN: every unit; the queue as an officer of KANWIL-JT, after the import):',
    table(lists),
    'goal over 1,000,000 cases: each list, the queue and a Kanwil drill-down page under 50 ms, a search under 100 ms;',
    "a national cell's page counts the year's cases as the national recap does (its goal: 2 s)",
    `legacy import through the API: ${report.summary.created} rows in ${(importMs / 1000).toFixed(1)} s = ${((report.summary.created / importMs) * 1000).toFixed(0)} rows/s`,
    'goal: recap and indicator under 2 s each over 1,000,000 cases; import >= 5,000 rows/s',
  ].join('\n');
}
