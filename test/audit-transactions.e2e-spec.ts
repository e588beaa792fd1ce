/**
 * Every write request has exactly one audit row, and a write's row is committed in the write's own
 * transaction: whatever crashes between them, there is never a change without its row nor a row
 * for a change that did not happen. The write routes are walked from the OpenAPI document, so a
 * route added tomorrow must say here how it is exercised. A refusal's row is written before the
 * answer is sent; one the database cannot take now is kept and written once it can.
 */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { OutboxService } from '../src/mail/outbox.service';
import { eventSender } from './support/actors';
import { waitingOnLock } from './support/locks';
import { ADMIN_PASSWORD, complaint, createTestApp, PASSWORD, type TestApp } from './support/test-app';

/** A unit's settings as they are sent back: without the unit's code the answer names it by. */
function settingsOf({ unitCode: _unit, ...settings }: Record<string, unknown>) {
  return settings;
}

type Call = () => Promise<{ status: number; path: string; body: unknown }>;

const IMPORT_HEADER =
  'nomor_register;unit;tanggal_diterima;provinsi;kabupaten_kota;hak;tema;pihak_teradu;saluran;jenis;ringkasan;hasil;tanggal_hasil;nomor_surat;tanggal_surat;institusi;tanggal_tanggapan';

describe('audit rows in the transaction of their write', () => {
  let t: TestApp;
  let owner: Client;
  const tokens: Record<string, string> = {};
  const send = () => eventSender(t);

  beforeAll(async () => {
    t = await createTestApp();
    owner = new Client({ connectionString: t.ownerUrl });
    await owner.connect();
    for (const [name, role] of [
      ['petugas', 'PETUGAS'],
      ['kabid', 'KABID'],
      ['kadiv', 'KADIV'],
      ['kakanwil', 'KAKANWIL'],
    ] as const)
      tokens[name] = await t.user(`atx.${name}`, 'KANWIL-SS', [role]);
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  const as = (token: string) => ({
    post: (path: string) => t.http().post(path).set('Authorization', `Bearer ${token}`),
    put: (path: string) => t.http().put(path).set('Authorization', `Bearer ${token}`),
    patch: (path: string) => t.http().patch(path).set('Authorization', `Bearer ${token}`),
    delete: (path: string) => t.http().delete(path).set('Authorization', `Bearer ${token}`),
  });
  const done = async (req: PromiseLike<{ status: number; body: unknown }>, path: string) => {
    const res = await req;
    return { status: res.status, path, body: res.body };
  };

  async function newCase(overrides: Record<string, unknown> = {}): Promise<{ id: string }> {
    return (await as(tokens.petugas).post('/api/cases').send(complaint(overrides)).expect(201)).body as {
      id: string;
    };
  }

  async function sentLetter(): Promise<{ caseId: string; dispatchId: string; institutionId: string }> {
    const institutionId = (
      await as(tokens.petugas)
        .post('/api/institutions')
        .send({
          name: `Pemerintah Kabupaten Uji ${Date.now()}`,
          email: `setda.${Date.now()}@uji.example.id`,
          type: 'PEMERINTAH_DAERAH',
          provinceCode: 'ID-SS',
        })
        .expect(201)
    ).body.id as string;
    const c = await newCase();
    for (const [token, type] of [
      [tokens.petugas, 'DISPOSISI'],
      [tokens.kakanwil, 'DISPOSISI'],
      [tokens.kadiv, 'DISPOSISI'],
      [tokens.kabid, 'REKOMENDASI_SEGERA'],
      [tokens.petugas, 'AJUKAN_SURAT'],
      [tokens.kakanwil, 'SETUJUI_SURAT'],
    ] as const)
      await send()(token, c.id, { type });
    await send()(tokens.petugas, c.id, {
      type: 'KIRIM_SURAT',
      institutionIds: [institutionId],
      letterNumber: 'W6.HAM.04-777',
    });
    const view = (
      await t.http().get(`/api/cases/${c.id}`).set('Authorization', `Bearer ${tokens.kabid}`).expect(200)
    ).body as { dispatches: { id: string }[] };
    return { caseId: c.id, dispatchId: view.dispatches[0].id, institutionId };
  }

  /** Each write route, exercised once with a success; `writes: false` for one that changes nothing. */
  function calls(): Record<string, { call: Call; writes?: false }> {
    const admin = as(t.adminToken);
    return {
      'put /api/letter-templates/{stage}': {
        call: () =>
          done(
            admin.put('/api/letter-templates/PENGINGAT_I').send({
              subject: 'Pengingat {{nomorSurat}}',
              bodyText: 'Yth. {{penerima}}, mohon tanggapan atas surat {{nomorSurat}}.',
            }),
            '/api/letter-templates/PENGINGAT_I',
          ),
      },
      'post /api/letter-templates/{stage}/preview': {
        writes: false,
        call: () =>
          done(
            admin.post('/api/letter-templates/PENGINGAT_I/preview').send({}),
            '/api/letter-templates/PENGINGAT_I/preview',
          ),
      },
      'put /api/units/{code}/reminder-schedule': {
        call: () =>
          done(
            admin.put('/api/units/KANWIL-SS/reminder-schedule').send({
              stages: [
                { code: 'PENGINGAT_I', offsetDays: 0, addressees: ['INSTITUSI'] },
                { code: 'PENGINGAT_II', offsetDays: 14, addressees: ['INSTITUSI'] },
              ],
            }),
            '/api/units/KANWIL-SS/reminder-schedule',
          ),
      },
      'post /api/cases/{id}/attachments': {
        call: async () => {
          const c = await newCase();
          const path = `/api/cases/${c.id}/attachments`;
          return done(
            as(tokens.petugas).post(path).attach('file', Buffer.from('%PDF-1.4\n%uji\n'), {
              filename: 'surat.pdf',
              contentType: 'application/pdf',
            }),
            path,
          );
        },
      },
      'post /api/cases': {
        call: () => done(as(tokens.petugas).post('/api/cases').send(complaint()), '/api/cases'),
      },
      'post /api/cases/{id}/events': {
        call: async () => {
          const c = await newCase();
          const path = `/api/cases/${c.id}/events`;
          return done(as(tokens.petugas).post(path).send({ type: 'DISPOSISI' }), path);
        },
      },
      'post /api/cases/{id}/dispatches/{dispatchId}/stop': {
        call: async () => {
          const letter = await sentLetter();
          const path = `/api/cases/${letter.caseId}/dispatches/${letter.dispatchId}/stop`;
          return done(
            as(tokens.kabid).post(path).send({ reason: 'Institusi telah dibubarkan oleh peraturan daerah' }),
            path,
          );
        },
      },
      'put /api/cases/{id}/assignee': {
        call: async () => {
          const c = await newCase();
          const officers = (
            await t.http().get('/api/units/KANWIL-SS/officers').set('Authorization', `Bearer ${tokens.kabid}`)
          ).body as { id: string }[];
          const path = `/api/cases/${c.id}/assignee`;
          return done(as(tokens.kabid).put(path).send({ userId: officers[0].id }), path);
        },
      },
      'post /api/cases/{id}/notes': {
        call: async () => {
          const c = await newCase();
          const path = `/api/cases/${c.id}/notes`;
          return done(
            as(tokens.petugas).post(path).send({ text: 'Pengadu menelepon menanyakan perkembangan.' }),
            path,
          );
        },
      },
      'post /api/cases/{id}/receipt': {
        call: async () => {
          const c = await newCase();
          const path = `/api/cases/${c.id}/receipt`;
          return done(as(tokens.petugas).post(path), path);
        },
      },
      'post /api/cases/{id}/survey-invitation': {
        call: async () => {
          const c = await newCase({ complainant: { name: 'Budi' } });
          await send()(tokens.petugas, c.id, { type: 'TIDAK_BERWENANG', referral: 'Ombudsman RI' });
          const path = `/api/cases/${c.id}/survey-invitation`;
          return done(as(tokens.petugas).post(path), path);
        },
      },
      'post /api/users': {
        call: () =>
          done(
            admin.post('/api/users').send({
              username: `atx.baru.${Date.now()}`,
              password: PASSWORD,
              fullName: 'Pengguna Baru',
              unitCode: 'KANWIL-SS',
              roles: ['PETUGAS'],
            }),
            '/api/users',
          ),
      },
      'post /api/users/me/password': {
        call: async () => {
          const token = await t.user(`atx.sandi.${Date.now()}`, 'KANWIL-SS', ['PETUGAS']);
          return done(
            as(token)
              .post('/api/users/me/password')
              .send({ currentPassword: PASSWORD, newPassword: 'BaruSekali2026' }),
            '/api/users/me/password',
          );
        },
      },
      'patch /api/users/{id}': {
        call: async () => {
          const token = await t.user(`atx.ubah.${Date.now()}`, 'KANWIL-SS', ['PETUGAS']);
          const me = (await t.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200))
            .body as { id: string };
          return done(
            admin.patch(`/api/users/${me.id}`).send({ fullName: 'Nama Baru' }),
            `/api/users/${me.id}`,
          );
        },
      },
      'post /api/auth/login': {
        writes: false,
        call: () =>
          done(
            t.http().post('/api/auth/login').send({ username: 'admin', password: ADMIN_PASSWORD }),
            '/api/auth/login',
          ),
      },
      'post /api/auth/logout': {
        call: async () => {
          const token = await t.user(`atx.keluar.${Date.now()}`, 'KANWIL-SS', ['PETUGAS']);
          return done(as(token).post('/api/auth/logout'), '/api/auth/logout');
        },
      },
      'post /api/institutions': {
        call: () =>
          done(
            as(tokens.petugas)
              .post('/api/institutions')
              .send({ name: `Dinas Uji ${Date.now()}`, email: `dinas.${Date.now()}@uji.example.id` }),
            '/api/institutions',
          ),
      },
      'patch /api/institutions/{id}': {
        call: async () => {
          const id = (
            await as(tokens.petugas)
              .post('/api/institutions')
              .send({ name: `Badan Uji ${Date.now()}`, email: `badan.${Date.now()}@uji.example.id` })
              .expect(201)
          ).body.id as string;
          return done(
            as(tokens.kabid)
              .patch(`/api/institutions/${id}`)
              .send({ extraEmails: ['kepala@uji.example.id'] }),
            `/api/institutions/${id}`,
          );
        },
      },
      'put /api/units/{code}': {
        call: async () => {
          const units = (
            await t.http().get('/api/units').set('Authorization', `Bearer ${t.adminToken}`).expect(200)
          ).body as { code: string; name: string; kind: string; timeZone: string; provinceCode: string }[];
          const ss = units.find((u) => u.code === 'KANWIL-SS')!;
          return done(
            admin.put('/api/units/KANWIL-SS').send({
              name: ss.name,
              kind: ss.kind,
              timeZone: ss.timeZone,
              provinceCode: ss.provinceCode,
              parentCode: 'PUSAT',
            }),
            '/api/units/KANWIL-SS',
          );
        },
      },
      'put /api/indicators/ikm/targets/{unitCode}/{year}': {
        call: () =>
          done(
            admin.put('/api/indicators/ikm/targets/KANWIL-SS/2026').send({ target: 3.4 }),
            '/api/indicators/ikm/targets/KANWIL-SS/2026',
          ),
      },
      'post /api/public/survey/{token}': {
        call: async () => {
          const c = await newCase({ complainant: { name: 'Rina' } });
          await send()(tokens.petugas, c.id, { type: 'TIDAK_BERWENANG', referral: 'Ombudsman RI' });
          const invitation = (
            await as(tokens.petugas).post(`/api/cases/${c.id}/survey-invitation`).expect(200)
          ).body as { url: string };
          const token = invitation.url.split('/').pop()!;
          const answers = Object.fromEntries(
            ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8', 'U9'].map((u) => [u, 4]),
          );
          return done(
            t.http().post(`/api/public/survey/${token}`).send({ answers }),
            '/api/public/survey/:token',
          );
        },
      },
      'post /api/case-views': {
        call: () =>
          done(
            as(tokens.kabid)
              .post('/api/case-views')
              .send({ name: 'Lewat tenggat', filters: { overdue: 'true' } }),
            '/api/case-views',
          ),
      },
      'delete /api/case-views/{id}': {
        // A deletion leaves no row whose xmin names its transaction: only the audit row shows.
        writes: false,
        call: async () => {
          const view = (
            await as(tokens.kabid)
              .post('/api/case-views')
              .send({ name: 'Sementara', filters: { year: '2026' } })
              .expect(201)
          ).body as { id: string };
          return done(as(tokens.kabid).delete(`/api/case-views/${view.id}`), `/api/case-views/${view.id}`);
        },
      },
      'post /api/public/documents': {
        call: async () => {
          const c = (
            await as(tokens.petugas)
              .post('/api/cases')
              .send(complaint({ complainant: { name: 'Dewi' } }))
              .expect(201)
          ).body as { id: string; registerNumber: string; receipt: { trackingCode: string } };
          await send()(tokens.petugas, c.id, { type: 'BERKAS_TIDAK_LENGKAP', kekurangan: 'Fotokopi KTP' });
          return done(
            t
              .http()
              .post('/api/public/documents')
              .field('registerNumber', c.registerNumber)
              .field('trackingCode', c.receipt.trackingCode)
              .attach('file', Buffer.from('%PDF-1.4\n%ktp\n'), {
                filename: 'ktp.pdf',
                contentType: 'application/pdf',
              }),
            '/api/public/documents',
          );
        },
      },
      'put /api/units/{code}/complainant-notices': {
        call: () =>
          done(
            admin.put('/api/units/KANWIL-SS/complainant-notices').send({ milestones: ['SELESAI'] }),
            '/api/units/KANWIL-SS/complainant-notices',
          ),
      },
      'put /api/reference/{kind}/{code}': {
        call: () =>
          done(
            admin.put('/api/reference/TEMA/UJI_AUDIT').send({ name: 'Tema uji audit' }),
            '/api/reference/TEMA/UJI_AUDIT',
          ),
      },
      'post /api/imports/cases': {
        call: () =>
          done(
            as(tokens.kabid)
              .post('/api/imports/cases')
              .set('Content-Type', 'text/csv')
              .send(
                [
                  IMPORT_HEADER,
                  'LAMA/SS/2023/901;KANWIL-SS;06/07/2023;ID-SS;;RASA_AMAN;PIDANA;KEPOLISIAN;SURAT;TEMBUSAN;Tembusan;FILE;2023-07-10;;;;',
                ].join('\r\n'),
              ),
            '/api/imports/cases',
          ),
      },
      'put /api/indicators/ditindaklanjuti/targets/{unitCode}/{year}': {
        call: () =>
          done(
            admin
              .put('/api/indicators/ditindaklanjuti/targets/KANWIL-SS/2026')
              .send({ targetPercent: 60, denominator: 'DITERIMA' }),
            '/api/indicators/ditindaklanjuti/targets/KANWIL-SS/2026',
          ),
      },
      'post /api/notifications/{id}/read': {
        call: async () => {
          const me = (
            await t.http().get('/api/users/me').set('Authorization', `Bearer ${tokens.kabid}`).expect(200)
          ).body as { id: string };
          const [row] = (
            await owner.query<{ id: string }>(
              `INSERT INTO notifications (user_id, kind, dedupe_key, title, body)
               VALUES ($1, 'UJI', $2, 'Pemberitahuan uji', 'Isi') RETURNING id::text`,
              [me.id, `uji-${Date.now()}`],
            )
          ).rows;
          const path = `/api/notifications/${row.id}/read`;
          return done(as(tokens.kabid).post(path), path);
        },
      },
      'post /api/outbox/{id}/resend': {
        call: async () => {
          // A mail of the unit's, queued as the service queues one (letters wait for their sweep).
          const c = await newCase();
          const dedupeKey = `uji-kirim-ulang-${c.id}`;
          await t.app.get(DataSource).transaction((em) =>
            t.app.get(OutboxService).enqueue(em, {
              kind: 'UJI',
              dedupeKey,
              audience: 'INSTITUSI',
              to: ['setda@uji.example.id'],
              subject: 'Surat uji',
              text: 'Isi surat uji',
              html: '<p>Isi surat uji</p>',
              caseId: c.id,
              unitCode: 'KANWIL-SS',
            }),
          );
          const [message] = (
            await owner.query<{ id: string }>(`SELECT id FROM outbox_messages WHERE dedupe_key = $1`, [
              dedupeKey,
            ])
          ).rows;
          const path = `/api/outbox/${message.id}/resend`;
          return done(as(tokens.petugas).post(path), path);
        },
      },
      'put /api/units/{code}/settings': {
        call: async () => {
          const current = (
            await t
              .http()
              .get('/api/units/KANWIL-SS/settings')
              .set('Authorization', `Bearer ${t.adminToken}`)
              .expect(200)
          ).body as Record<string, unknown>;
          return done(
            admin.put('/api/units/KANWIL-SS/settings').send({ ...settingsOf(current), dueSoonPercent: 70 }),
            '/api/units/KANWIL-SS/settings',
          );
        },
      },
      'put /api/calendars/{year}/days/{date}': {
        call: () =>
          done(
            admin
              .put('/api/calendars/2026/days/2026-12-28')
              .send({ kind: 'CUTI_BERSAMA', name: 'Cuti bersama uji' }),
            '/api/calendars/2026/days/2026-12-28',
          ),
      },
      'delete /api/calendars/{year}/days/{date}': {
        call: () =>
          done(admin.delete('/api/calendars/2026/days/2026-12-28'), '/api/calendars/2026/days/2026-12-28'),
      },
    };
  }

  /** The public tables with a row whose creating or updating transaction is `xid`, the audit log aside. */
  async function writtenWith(xid: string): Promise<string[]> {
    const tables = (
      await owner.query<{ name: string }>(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('audit_log', 'schema_migrations')`,
      )
    ).rows.map((r) => r.name);
    const found: string[] = [];
    for (const table of tables) {
      const { rows } = await owner.query(`SELECT 1 FROM "${table}" WHERE xmin = $1::xid LIMIT 1`, [xid]);
      if (rows.length) found.push(table);
    }
    return found;
  }

  it("writes each write route's one row in the transaction that made its change", async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([template, operations]) =>
      Object.keys(operations)
        .filter((method) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => `${method} ${template}`),
    );
    const table = calls();
    // A new write route must be exercised here, and every entry here must still be a route.
    expect([...routes].sort()).toEqual(Object.keys(table).sort());

    const report: Record<string, unknown> = {};
    for (const route of routes) {
      const { call, writes } = table[route];
      const [{ last }] = (
        await owner.query<{ last: string }>('SELECT coalesce(max(id), 0)::text AS last FROM audit_log')
      ).rows;
      const answered = await call();
      if (answered.status >= 300)
        throw new Error(`${route}: ${answered.status} ${JSON.stringify(answered.body)}`);
      // The row is there as soon as the answer is: nothing is written after it.
      const rows = (
        await owner.query<{ xid: string; action: string; status: number }>(
          `SELECT xmin::text AS xid, action, status_code AS status FROM audit_log
            WHERE id > $1 AND path = $2 AND method = $3 ORDER BY id`,
          [last, answered.path, route.split(' ')[0].toUpperCase()],
        )
      ).rows;
      report[route] = { rows: rows.length, status: rows[0]?.status };
      expect({ route, rows: rows.length }).toEqual({ route, rows: 1 });
      expect({ route, status: rows[0].status }).toEqual({ route, status: answered.status });
      const alongside = await writtenWith(rows[0].xid);
      if (writes === false) expect({ route, alongside }).toEqual({ route, alongside: [] });
      else
        expect({ route, wroteSomethingElse: alongside.length > 0 }).toEqual({
          route,
          wroteSomethingElse: true,
        });
    }
  });

  it('names the new entity of a creation in the row written with it', async () => {
    const c = await newCase();
    const [row] = (
      await owner.query<{ entityId: string; same: boolean }>(
        `SELECT a.entity_id AS "entityId", a.xmin = c.xmin AS same
           FROM audit_log a JOIN cases c ON c.id::text = a.entity_id
          WHERE a.action = 'POST /api/cases' ORDER BY a.id DESC LIMIT 1`,
      )
    ).rows;
    expect(row).toEqual({ entityId: c.id, same: true });
  });

  it("writes a refusal's row before the answer is sent", async () => {
    const path = '/api/calendars/2026/days/2026-12-29';
    // While the audit log cannot take a row, the refusal waits for it instead of answering first.
    await owner.query('BEGIN');
    await owner.query('LOCK TABLE audit_log IN SHARE MODE');
    let answered = false;
    const refused = as(tokens.petugas)
      .put(path)
      .send({ kind: 'LIBUR', name: 'bukan wewenangnya' })
      .then((res) => {
        answered = true;
        return res;
      });
    // The service's statements are visible to its own role only.
    const watcher = new Client({ connectionString: t.databaseUrl });
    await watcher.connect();
    try {
      await waitingOnLock(watcher, 'INSERT INTO audit_log%');
      expect(answered).toBe(false);
    } finally {
      await owner.query('COMMIT');
      await watcher.end();
    }
    expect((await refused).status).toBe(403);
    const { rows } = await owner.query(`SELECT status_code AS status FROM audit_log WHERE path = $1`, [path]);
    expect(rows).toEqual([{ status: 403 }]);
  });

  it("keeps a refusal's row while the database cannot take it, and writes it once it can", async () => {
    const audit = t.app.get(AuditService);
    const path = '/api/calendars/2026/days/2026-12-30';
    // Read-only for new sessions, and the service's sessions cut so that they reconnect so.
    await owner.query(`ALTER DATABASE "${owner.database}" SET default_transaction_read_only = on`);
    const runtime = new Client({ connectionString: t.databaseUrl });
    await runtime.connect();
    try {
      await runtime.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()`,
      );
      const put = () => as(t.adminToken).put(path).send({ kind: 'LIBUR', name: 'Hari libur uji' });
      let res = await put();
      // The first request may meet a session the cut just closed; the next is refused by name.
      if (res.status !== 503) res = await put();
      expect(res.status).toBe(503);
      expect(audit.kept).toBeGreaterThan(0);
    } finally {
      await owner.query(`ALTER DATABASE "${owner.database}" RESET default_transaction_read_only`);
      await runtime.end();
    }
    const deadline = Date.now() + 20_000;
    let rows: { status: number }[] = [];
    while (Date.now() < deadline) {
      rows = (
        await owner.query<{ status: number }>(`SELECT status_code AS status FROM audit_log WHERE path = $1`, [
          path,
        ])
      ).rows;
      if (rows.length) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(rows).toContainEqual({ status: 503 });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(audit.kept).toBe(0);
  });
});
