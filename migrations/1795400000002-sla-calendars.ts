import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Working-day calendars and the SLA of the current step on each case. The days off of 2024-2026
 * are those decreed (joint decree of the ministers, 2024 as revised; shared/data/calendar-id-*.json);
 * admins correct them through the calendar API, which re-computes open deadlines.
 */
export const YEARS: [number, string][] = [
  [
    2024,
    'SKB Menteri Agama, Menteri Ketenagakerjaan, Menteri PANRB on national holidays and collective leave 2024, as revised in 2024; election days declared holidays by presidential decree',
  ],
  [
    2025,
    'SKB Menteri Agama, Menteri Ketenagakerjaan, Menteri PANRB No. 1017/2024, 2/2024, 2/2024 (as first decreed; later revisions are entered by admins)',
  ],
  [2026, 'SKB Menteri Agama, Menteri Ketenagakerjaan, Menteri PANRB No. 1497/2025, 2/2025, 5/2025'],
];

export const DAYS_OFF: [string, string, string][] = [
  ['2024-01-01', 'LIBUR', 'Tahun Baru 2024 Masehi'],
  ['2024-02-08', 'LIBUR', 'Isra Mikraj Nabi Muhammad SAW'],
  ['2024-02-09', 'CUTI_BERSAMA', 'Cuti bersama Tahun Baru Imlek'],
  ['2024-02-10', 'LIBUR', 'Tahun Baru Imlek 2575 Kongzili'],
  ['2024-02-14', 'LIBUR', 'Pemilihan Umum (Keppres)'],
  ['2024-03-11', 'LIBUR', 'Hari Suci Nyepi'],
  ['2024-03-12', 'CUTI_BERSAMA', 'Cuti bersama Nyepi'],
  ['2024-03-29', 'LIBUR', 'Wafat Isa Almasih'],
  ['2024-03-31', 'LIBUR', 'Hari Paskah'],
  ['2024-04-08', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1445 H'],
  ['2024-04-09', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1445 H'],
  ['2024-04-10', 'LIBUR', 'Idul Fitri 1445 H'],
  ['2024-04-11', 'LIBUR', 'Idul Fitri 1445 H'],
  ['2024-04-12', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1445 H'],
  ['2024-04-15', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1445 H'],
  ['2024-05-01', 'LIBUR', 'Hari Buruh Internasional'],
  ['2024-05-09', 'LIBUR', 'Kenaikan Isa Almasih'],
  ['2024-05-10', 'CUTI_BERSAMA', 'Cuti bersama Kenaikan Isa Almasih'],
  ['2024-05-23', 'LIBUR', 'Hari Raya Waisak 2568 BE'],
  ['2024-05-24', 'CUTI_BERSAMA', 'Cuti bersama Waisak'],
  ['2024-06-01', 'LIBUR', 'Hari Lahir Pancasila'],
  ['2024-06-17', 'LIBUR', 'Idul Adha 1445 H'],
  ['2024-06-18', 'CUTI_BERSAMA', 'Cuti bersama Idul Adha'],
  ['2024-07-07', 'LIBUR', 'Tahun Baru Islam 1446 H'],
  ['2024-08-17', 'LIBUR', 'Hari Kemerdekaan RI'],
  ['2024-09-16', 'LIBUR', 'Maulid Nabi Muhammad SAW'],
  ['2024-11-27', 'LIBUR', 'Pemilihan Kepala Daerah serentak (Keppres)'],
  ['2024-12-25', 'LIBUR', 'Hari Raya Natal'],
  ['2024-12-26', 'CUTI_BERSAMA', 'Cuti bersama Natal'],
  ['2025-01-01', 'LIBUR', 'Tahun Baru 2025 Masehi'],
  ['2025-01-27', 'LIBUR', 'Isra Mikraj Nabi Muhammad SAW'],
  ['2025-01-28', 'CUTI_BERSAMA', 'Cuti bersama Tahun Baru Imlek'],
  ['2025-01-29', 'LIBUR', 'Tahun Baru Imlek 2576 Kongzili'],
  ['2025-03-28', 'CUTI_BERSAMA', 'Cuti bersama Hari Suci Nyepi'],
  ['2025-03-29', 'LIBUR', 'Hari Suci Nyepi'],
  ['2025-03-31', 'LIBUR', 'Idul Fitri 1446 H'],
  ['2025-04-01', 'LIBUR', 'Idul Fitri 1446 H'],
  ['2025-04-02', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1446 H'],
  ['2025-04-03', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1446 H'],
  ['2025-04-04', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1446 H'],
  ['2025-04-07', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1446 H'],
  ['2025-04-18', 'LIBUR', 'Wafat Yesus Kristus'],
  ['2025-04-20', 'LIBUR', 'Kebangkitan Yesus Kristus (Paskah)'],
  ['2025-05-01', 'LIBUR', 'Hari Buruh Internasional'],
  ['2025-05-12', 'LIBUR', 'Hari Raya Waisak 2569 BE'],
  ['2025-05-13', 'CUTI_BERSAMA', 'Cuti bersama Waisak'],
  ['2025-05-29', 'LIBUR', 'Kenaikan Yesus Kristus'],
  ['2025-05-30', 'CUTI_BERSAMA', 'Cuti bersama Kenaikan Yesus Kristus'],
  ['2025-06-01', 'LIBUR', 'Hari Lahir Pancasila'],
  ['2025-06-06', 'LIBUR', 'Idul Adha 1446 H'],
  ['2025-06-09', 'CUTI_BERSAMA', 'Cuti bersama Idul Adha'],
  ['2025-06-27', 'LIBUR', '1 Muharam Tahun Baru Islam 1447 H'],
  ['2025-08-17', 'LIBUR', 'Proklamasi Kemerdekaan'],
  ['2025-09-05', 'LIBUR', 'Maulid Nabi Muhammad SAW'],
  ['2025-12-25', 'LIBUR', 'Kelahiran Yesus Kristus'],
  ['2025-12-26', 'CUTI_BERSAMA', 'Cuti bersama Natal'],
  ['2026-01-01', 'LIBUR', 'Tahun Baru 2026 Masehi'],
  ['2026-01-16', 'LIBUR', 'Isra Mikraj Nabi Muhammad SAW'],
  ['2026-02-16', 'CUTI_BERSAMA', 'Cuti bersama Tahun Baru Imlek'],
  ['2026-02-17', 'LIBUR', 'Tahun Baru Imlek 2577 Kongzili'],
  ['2026-03-18', 'CUTI_BERSAMA', 'Cuti bersama Hari Suci Nyepi'],
  ['2026-03-19', 'LIBUR', 'Hari Suci Nyepi'],
  ['2026-03-20', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1447 H'],
  ['2026-03-21', 'LIBUR', 'Idul Fitri 1447 H'],
  ['2026-03-22', 'LIBUR', 'Idul Fitri 1447 H'],
  ['2026-03-23', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1447 H'],
  ['2026-03-24', 'CUTI_BERSAMA', 'Cuti bersama Idul Fitri 1447 H'],
  ['2026-04-03', 'LIBUR', 'Wafat Yesus Kristus'],
  ['2026-04-05', 'LIBUR', 'Kebangkitan Yesus Kristus (Paskah)'],
  ['2026-05-01', 'LIBUR', 'Hari Buruh Internasional'],
  ['2026-05-14', 'LIBUR', 'Kenaikan Yesus Kristus'],
  ['2026-05-15', 'CUTI_BERSAMA', 'Cuti bersama Kenaikan Yesus Kristus'],
  ['2026-05-27', 'LIBUR', 'Idul Adha 1447 H'],
  ['2026-05-28', 'CUTI_BERSAMA', 'Cuti bersama Idul Adha'],
  ['2026-05-31', 'LIBUR', 'Hari Raya Waisak 2570 BE'],
  ['2026-06-01', 'LIBUR', 'Hari Lahir Pancasila'],
  ['2026-06-16', 'LIBUR', '1 Muharam Tahun Baru Islam 1448 H'],
  ['2026-08-17', 'LIBUR', 'Proklamasi Kemerdekaan'],
  ['2026-08-25', 'LIBUR', 'Maulid Nabi Muhammad SAW'],
  ['2026-12-24', 'CUTI_BERSAMA', 'Cuti bersama Natal'],
  ['2026-12-25', 'LIBUR', 'Kelahiran Yesus Kristus'],
];

export class SlaCalendars1795400000002 implements MigrationInterface {
  name = 'SlaCalendars1795400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE TABLE "calendar_days_off" ("date" date NOT NULL, "kind" character varying(16) NOT NULL, "name" text NOT NULL, CONSTRAINT "pk_calendar_days_off" PRIMARY KEY ("date"))',
    );
    await q.query(
      'CREATE TABLE "calendar_years" ("year" integer NOT NULL, "source" text NOT NULL, CONSTRAINT "pk_calendar_years" PRIMARY KEY ("year"))',
    );
    await q.query('ALTER TABLE "cases" ADD "step_started_at" TIMESTAMP WITH TIME ZONE NOT NULL');
    await q.query('ALTER TABLE "cases" ADD "deadline_step" character varying(128)');
    await q.query('ALTER TABLE "cases" ADD "deadline_clock" character varying(16)');
    await q.query('ALTER TABLE "cases" ADD "deadline_basis_at" TIMESTAMP WITH TIME ZONE');
    await q.query('ALTER TABLE "cases" ADD "deadline_limit" jsonb');
    await q.query('ALTER TABLE "cases" ADD "deadline_due_at" TIMESTAMP WITH TIME ZONE');
    await q.query('ALTER TABLE "cases" ADD "deadline_due_soon_at" TIMESTAMP WITH TIME ZONE');
    await q.query('ALTER TABLE "cases" ADD "deadline_provisional" boolean NOT NULL DEFAULT false');
    await q.query('ALTER TABLE "cases" ADD "paused_at" TIMESTAMP WITH TIME ZONE');
    await q.query('CREATE INDEX "idx_cases_deadline_due_soon" ON "cases"  ("deadline_due_soon_at") ');
    await q.query('CREATE INDEX "idx_cases_deadline_due" ON "cases"  ("deadline_due_at") ');
    for (const [year, source] of YEARS) {
      await q.query('INSERT INTO calendar_years (year, source) VALUES ($1, $2)', [year, source]);
    }
    for (const [date, kind, name] of DAYS_OFF) {
      await q.query('INSERT INTO calendar_days_off (date, kind, name) VALUES ($1, $2, $3)', [
        date,
        kind,
        name,
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "public"."idx_cases_deadline_due"');
    await q.query('DROP INDEX "public"."idx_cases_deadline_due_soon"');
    await q.query('ALTER TABLE "cases" DROP COLUMN "paused_at"');
    await q.query('ALTER TABLE "cases" DROP COLUMN "deadline_provisional"');
    await q.query('ALTER TABLE "cases" DROP COLUMN "deadline_due_soon_at"');
    await q.query('ALTER TABLE "cases" DROP COLUMN "deadline_due_at"');
    await q.query('ALTER TABLE "cases" DROP COLUMN "deadline_limit"');
    await q.query('ALTER TABLE "cases" DROP COLUMN "deadline_basis_at"');
    await q.query('ALTER TABLE "cases" DROP COLUMN "deadline_clock"');
    await q.query('ALTER TABLE "cases" DROP COLUMN "deadline_step"');
    await q.query('ALTER TABLE "cases" DROP COLUMN "step_started_at"');
    await q.query('DROP TABLE "calendar_years"');
    await q.query('DROP TABLE "calendar_days_off"');
  }
}
