/**
 * The SLA sweep at scale: 100,000 open cases of which 1,000 are overdue. The sweep must cost
 * what its due work costs, not what the open cases number: it runs once with 1,000 due, then
 * again with none due, over the same 100,000 open cases.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { SlaSweepService } from '../src/sla/sla-sweep.service';
import { CASE_COPY_COLUMNS, table } from './bench-support';

const OPEN = Number(process.env.BENCH_SWEEP_OPEN ?? 100_000);
const DUE = Number(process.env.BENCH_SWEEP_DUE ?? 1_000);

export async function sweepBench(databaseUrl: string, templateCaseId: string): Promise<string> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });

  // Copies of a case in telaah.penyusunan: DUE of them overdue, the rest due in a month.
  await pool.query(
    `INSERT INTO cases (${CASE_COPY_COLUMNS})
     SELECT gen_random_uuid(), 'SWEEP/' || g, register_year, 100000 + g, unit_code, workflow_id, workflow_version,
            'telaah.penyusunan', '{"telaah": "penyusunan"}', context, 'PROSES', version, received_at, channel, submission,
            complainant, locus_province_code, locus_regency, rights, theme, reported_party, summary, created_by, now() - interval '40 days',
            now() - interval '40 days', 'telaah.penyusunan', 'KASUS', now() - interval '40 days', '{"hari": 30}',
            CASE WHEN g <= $2 THEN now() - interval '1 hour' ELSE now() + interval '30 days' END,
            now() + interval '20 days', false, NULL,
            CASE WHEN g <= $2 THEN now() - interval '1 hour' ELSE now() + interval '30 days' END, 0, assignee_id
       FROM generate_series(1, $1) g, (SELECT * FROM cases WHERE id = $3) t`,
    [OPEN, DUE, templateCaseId],
  );
  await pool.query('ANALYZE cases');
  const plan = (
    await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT id FROM cases WHERE next_sla_check_at <= now() ORDER BY next_sla_check_at LIMIT 200 FOR UPDATE SKIP LOCKED`,
    )
  ).rows
    .map((r) => r['QUERY PLAN'])
    .join(' | ');

  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      config: loadConfig({ ...process.env, SCHEDULER_ENABLED: 'false', DATABASE_URL: databaseUrl }),
      databaseUrl,
    }),
    { logger: ['error'] },
  );
  const sweep = app.get(SlaSweepService);
  const t0 = performance.now();
  const busy = await sweep.sweep();
  const busyMs = performance.now() - t0;
  const t1 = performance.now();
  const idle = await sweep.sweep();
  const idleMs = performance.now() - t1;
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sla_escalations`);
  await app.close();
  await pool.end();

  return [
    `\nSLA sweep over ${OPEN.toLocaleString('en')} open cases (${DUE.toLocaleString('en')} overdue):`,
    table([
      {
        run: 'with due work',
        'cases checked': busy.checked,
        escalations: busy.escalations,
        ms: busyMs.toFixed(0),
        'ms per due case': (busyMs / Math.max(1, busy.checked)).toFixed(2),
      },
      {
        run: 'nothing due',
        'cases checked': idle.checked,
        escalations: idle.escalations,
        ms: idleMs.toFixed(1),
        'ms per due case': '-',
      },
    ]),
    `escalation rows: ${rows[0].n}; claim plan: ${plan}`,
  ].join('\n');
}
