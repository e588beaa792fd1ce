/**
 * Every route, walked from the OpenAPI document, by every user of another unit: a Kanwil's case,
 * its letters, mails, attachments, settings and figures are another Kanwil's only as a 403 or a
 * 404, and no answer of theirs carries the case's id, register number or complainant. A route added
 * tomorrow is walked the day it is documented, so no module can forget the access policy.
 */
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { complaint, createTestApp, type TestApp } from './support/test-app';

interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; required?: boolean }[];
}

/** Reads that every signed-in user may make: shared registers and one's own lists. */
const SHARED_READS = new Set([
  'get /api/institutions',
  'get /api/institutions/{id}',
  'get /api/units',
  'get /api/provinces',
  'get /api/reference/{kind}',
  'get /api/workflows',
  'get /api/calendars/{year}',
  'get /api/letter-templates',
  'get /api/users/me',
  'get /api/notifications',
  // The caller's own saved views (test/desk-work.e2e-spec.ts: nobody sees another's).
  'get /api/case-views',
  'get /api/outbox',
  'get /api/cases',
  'get /api/sla/summary',
  // Suggestions from the cases the caller sees: another unit's province gives its own, or none.
  'get /api/provinces/{code}/regencies',
]);

/** Not a unit's data: the public pages (their own code or token), health, signing in and out. */
const OUT_OF_SCOPE = /^\/api\/(public|health|auth)\b/;

describe('no unit reaches another through any route', () => {
  let t: TestApp;
  let ss: UnitActors;
  let jb: UnitActors;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    [ss, jb] = await Promise.all([unitActors(t, 'KANWIL-SS', 'sc'), unitActors(t, 'KANWIL-JB', 'scjb')]);
    const send = eventSender(t);
    const as = (token: string) => ({
      get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${token}`),
      post: (path: string) => t.http().post(path).set('Authorization', `Bearer ${token}`),
    });
    const institution = (
      await as(ss.petugas)
        .post('/api/institutions')
        .send({ name: 'Kepolisian Resor Ogan Ilir', email: 'humas@polres-oi.example.id' })
        .expect(201)
    ).body;
    const created = (
      await as(ss.petugas)
        .post('/api/cases')
        .send(
          complaint({
            complainant: { name: 'Pengadu Lingkup Rahasia', email: 'pengadu.lingkup@example.id' },
          }),
        )
        .expect(201)
    ).body;
    await send(ss.petugas, created.id, { type: 'DISPOSISI' });
    await send(ss.kakanwil, created.id, { type: 'DISPOSISI' });
    await send(ss.kadiv, created.id, { type: 'DISPOSISI' });
    await send(ss.kabid, created.id, { type: 'REKOMENDASI_SEGERA' });
    await send(ss.petugas, created.id, { type: 'AJUKAN_SURAT' });
    await send(ss.kakanwil, created.id, { type: 'SETUJUI_SURAT' });
    await send(ss.petugas, created.id, {
      type: 'KIRIM_SURAT',
      institutionIds: [institution.id],
      letterNumber: 'W6.HAM.04-LINGKUP',
    });
    const attachment = (
      await as(ss.petugas)
        .post(`/api/cases/${created.id}/attachments`)
        .attach('file', Buffer.from('%PDF-1.4 surat'), {
          filename: 'surat.pdf',
          contentType: 'application/pdf',
        })
        .expect(201)
    ).body;
    const view = (await as(ss.petugas).get(`/api/cases/${created.id}`).expect(200)).body;
    const mail = (await as(t.adminToken).get(`/api/outbox?caseId=${created.id}`).expect(200)).body.items[0];
    const me = (await as(ss.petugas).get('/api/users/me').expect(200)).body;
    const notices = (await as(ss.kabid).get('/api/notifications').expect(200)).body;
    Object.assign(ids, {
      caseId: created.id,
      registerNumber: created.registerNumber,
      institutionId: institution.id,
      attachmentId: attachment.id,
      outboxId: mail.id,
      userId: me.id,
      notificationId: (notices[0]?.id as string | undefined) ?? '1',
      dispatchId: view.dispatches[0].id,
      version: String(view.version),
      state: view.state,
    });
  });
  afterAll(() => t?.close());

  /** The other unit's value for each path parameter of a route. */
  function pathOf(template: string): string {
    return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
      if (name === 'attachmentId') return ids.attachmentId;
      if (name === 'code' || name === 'unitCode') return 'KANWIL-SS';
      if (name === 'year') return '2026';
      if (name === 'date') return '2026-05-01';
      if (name === 'stage') return 'PENGINGAT_I';
      if (name === 'kind') return 'HAK';
      if (template.startsWith('/api/cases/')) return ids.caseId;
      if (template.startsWith('/api/outbox/')) return ids.outboxId;
      if (template.startsWith('/api/institutions/')) return ids.institutionId;
      if (template.startsWith('/api/users/')) return ids.userId;
      if (template.startsWith('/api/notifications/')) return ids.notificationId;
      return 'x';
    });
  }

  const QUERY = {
    unitCode: 'KANWIL-SS',
    year: '2026',
    column: 'jumlah',
    dimension: 'rights',
    caseId: '',
  };

  it('answers every route of a Kanwil to every user of another with 403 or 404, and shows nothing of it', async () => {
    QUERY.caseId = ids.caseId;
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const secrets = [ids.caseId, ids.registerNumber, 'Pengadu Lingkup Rahasia', 'pengadu.lingkup@example.id'];
    const failures: string[] = [];
    let walked = 0;
    for (const [template, operations] of Object.entries(doc.paths)) {
      if (OUT_OF_SCOPE.test(template)) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const query = Object.fromEntries(
          (operation.parameters ?? [])
            .filter((p) => p.in === 'query' && p.name in QUERY)
            .map((p) => [p.name, QUERY[p.name as keyof typeof QUERY]]),
        );
        const key = `${method} ${template}`;
        for (const [role, token] of Object.entries(jb)) {
          const body =
            template === '/api/cases/{id}/events'
              ? { type: 'TANGGAPAN', institutionId: ids.institutionId, summary: 'jawaban palsu' }
              : template === '/api/letter-templates/{stage}/preview'
                ? { dispatchId: ids.dispatchId }
                : {};
          const res = await t
            .http()
            [method as 'get'](pathOf(template))
            .query(query)
            .set('Authorization', `Bearer ${token}`)
            .send(method === 'get' ? undefined : body);
          walked++;
          const text = JSON.stringify(res.body ?? {}) + (res.text ?? '');
          const leaked = secrets.filter((s) => text.includes(s));
          if (leaked.length) failures.push(`${key} as ${role}: ${res.status} shows ${leaked.join(', ')}`);
          const shared = method === 'get' && SHARED_READS.has(key);
          if (!shared && res.status < 400) failures.push(`${key} as ${role}: ${res.status}`);
          if (res.status >= 500) failures.push(`${key} as ${role}: ${res.status}`);
          // A case-, mail- or attachment-bound route refuses as if the thing did not exist.
          if (!shared && /\{(id|attachmentId)\}/.test(template) && ![403, 404].includes(res.status))
            failures.push(`${key} as ${role}: ${res.status}, not 403/404`);
        }
      }
    }
    expect(walked).toBeGreaterThan(300);
    expect(failures).toEqual([]);
    // Still as it was: the intruders changed nothing.
    const after = (
      await t.http().get(`/api/cases/${ids.caseId}`).set('Authorization', `Bearer ${ss.kabid}`).expect(200)
    ).body;
    expect({ version: String(after.version), state: after.state }).toEqual({
      version: ids.version,
      state: ids.state,
    });
  });
});
