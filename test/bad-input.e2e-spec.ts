/**
 * Every route, walked from the OpenAPI document, with input that is not what it expects: bad ids,
 * numbers out of any range, dates that do not exist, arrays where a value belongs, deep and
 * wrongly-typed bodies. None may answer 500; each is a client error in the one error shape. A new
 * route is walked the day it is documented, so no copy of a parsing rule can forget a check.
 */
import { unitActors } from './support/actors';
import { createTestApp, type TestApp } from './support/test-app';

const HOSTILE_VALUES = ['bukan-uuid', '1e308', '2026-02-31', '-1', '9999999999999999999999', "x'--", ''];
const DEEP = '['.repeat(50_000) + ']'.repeat(50_000);

/** A value the route would accept for a required parameter, so that a hostile one beside it is reached. */
function plausible(p: { name: string; schema?: { enum?: unknown[] } }): string | undefined {
  if (p.schema?.enum?.length) return String(p.schema.enum[0]);
  if (/unitCode/.test(p.name)) return 'KANWIL-SS';
  if (/year/i.test(p.name)) return '2026';
  if (/^page/.test(p.name)) return '1';
  if (/^(asOf|from|to)$/.test(p.name)) return '2026-01-31';
  return undefined;
}

interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; required?: boolean; schema?: { enum?: unknown[] } }[];
}

describe('bad input on every route', () => {
  let t: TestApp;
  let officer: string;
  const failures: string[] = [];

  beforeAll(async () => {
    // Thousands of requests a minute: the per-user rate limit would answer most of them 429.
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    officer = (await unitActors(t, 'KANWIL-SS', 'fz')).petugas;
  });
  afterAll(() => t?.close());

  async function probe(
    method: string,
    path: string,
    token: string,
    query: Record<string, unknown>,
    body?: unknown,
    raw?: string,
  ) {
    let req = t
      .http()
      [method as 'get'](path)
      .set('Authorization', `Bearer ${token}`)
      .query(query as Record<string, string>);
    if (raw !== undefined) req = req.set('Content-Type', 'application/json').send(raw);
    else if (body !== undefined) req = req.send(body as object);
    const res = await req;
    const label = `${method.toUpperCase()} ${path} ${JSON.stringify(query)} ${raw !== undefined ? '(deep body)' : JSON.stringify(body ?? null).slice(0, 60)}`;
    if (res.status >= 500) failures.push(`${res.status} ${label}: ${JSON.stringify(res.body).slice(0, 200)}`);
    else if (
      res.status >= 400 &&
      !(res.body && typeof res.body.statusCode === 'number' && typeof res.body.message === 'string')
    ) {
      failures.push(`${res.status} without the error shape ${label}`);
    }
  }

  it('answers every hostile parameter and body with a 4xx in the error shape, never a 500', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    // Signing out would end the walkers' own sessions; it takes no input to get wrong.
    for (const [template, operations] of Object.entries(doc.paths).filter(
      ([path]) => path !== '/api/auth/logout',
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        const params = operation.parameters ?? [];
        const queryParams = params.filter((p) => p.in === 'query');
        for (const value of HOSTILE_VALUES) {
          const path = template.replace(/\{[^}]+\}/g, encodeURIComponent(value) || 'x');
          for (const token of [t.adminToken, officer]) {
            // Every query parameter hostile at once, then each on its own beside valid-looking others.
            await probe(
              method,
              path,
              token,
              Object.fromEntries(queryParams.map((p) => [p.name, value])),
              method === 'get' ? undefined : { value },
            );
            const base = Object.fromEntries(
              queryParams.flatMap((p) =>
                !p.required || plausible(p) === undefined ? [] : [[p.name, plausible(p)]],
              ),
            );
            for (const p of queryParams) {
              await probe(method, path, token, { ...base, [p.name]: value });
              await probe(method, path, token, { ...base, [p.name]: [value, value] });
            }
          }
        }
        // Every documented choice of a parameter (each export format, each column) beside valid others.
        if (method === 'get') {
          const path = template.replace(/\{[^}]+\}/g, 'x');
          const base = Object.fromEntries(
            queryParams.flatMap((p) => (plausible(p) === undefined ? [] : [[p.name, plausible(p)]])),
          );
          for (const p of queryParams)
            for (const choice of p.schema?.enum ?? [])
              await probe(method, path, t.adminToken, { ...base, [p.name]: choice });
        }
        if (method !== 'get' && method !== 'delete') {
          const path = template.replace(/\{[^}]+\}/g, 'x');
          await probe(method, path, t.adminToken, {}, undefined, DEEP);
          await probe(
            method,
            path,
            t.adminToken,
            {},
            { a: { b: { c: [[[[['x']]]]] } }, id: [1], page: 1e308 },
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  const VALID_SETTINGS = {
    officeOpen: 480,
    officeClose: 960,
    officeCloseFriday: 990,
    dueSoonPercent: 70,
    escalationGraceDays: 1,
  };

  it('names only the kind for a value of the wrong kind, not its bounds as well', async () => {
    const res = await t
      .http()
      .put('/api/units/KANWIL-SS/settings')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ ...VALID_SETTINGS, officeOpen: 'pagi' })
      .expect(400);
    expect(res.body.details).toEqual([{ field: 'officeOpen', reason: 'harus bilangan bulat' }]);
    const bounds = await t
      .http()
      .put('/api/units/KANWIL-SS/settings')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ ...VALID_SETTINGS, officeOpen: 2000 })
      .expect(400);
    expect(bounds.body.details).toEqual([{ field: 'officeOpen', reason: 'tidak boleh lebih dari 1440' }]);
  });
});
