/**
 * The lint's boundary rules refuse what they are there to refuse: a second copy of a role list, a
 * controller that reaches the database, another module's internals, another module's table.
 * Run on fixtures through ESLint itself (eslint/check-fixtures.mjs), with the rules of the lint.
 */
import { execFileSync } from 'node:child_process';

function lint(fixtures: Record<string, string>): Record<string, string[]> {
  const out = execFileSync(process.execPath, ['eslint/check-fixtures.mjs', JSON.stringify(fixtures)], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Record<string, string[]>;
}

describe('module boundaries in the lint', () => {
  const results = lint({
    'src/units/fixture.controller.ts': `import { DataSource } from 'typeorm';\nexport class C { constructor(private readonly db: DataSource) {} }`,
    'src/reports/fixture-internal.ts': `import { something } from '../cases/case-events.dtos';\nexport const x = something;`,
    'src/reports/fixture-surface.ts': `import { CasesService } from '../cases/cases.service';\nexport const x = CasesService;`,
    'src/reminders/fixture-write.ts': "export const q = `UPDATE cases SET state = 'file' WHERE id = $1`;",
    'src/reminders/fixture-read.ts': 'export const q = `SELECT 1 FROM audit_log`;',
    'src/reports/fixture-declared-read.ts':
      'export const q = `SELECT count(*) FROM cases c JOIN units u ON u.code = c.unit_code`;',
    'src/cases/fixture-own.ts': 'export const q = `UPDATE case_notes SET body = $2 WHERE id = $1`;',
    'src/cases/fixture-case-row.ts': "export const q = `UPDATE cases SET category = 'FILE' WHERE id = $1`;",
    'src/sla/fixture-delete.ts': "export const q = 'DELETE FROM reminders WHERE id = $1';",
    'src/console/fixture-roles.ts': "export const ROLES = ['PETUGAS', 'KABID'];",
    'src/reports/fixture-visibility.ts':
      'export const sees = (user: { seesAllUnits: boolean; unitCode: string }, unit: string) => user.seesAllUnits || user.unitCode === unit;',
    'src/mail/fixture-random-id.ts':
      "import { randomUUID } from 'node:crypto';\nexport const id = randomUUID();",
    'src/cases/fixture-random-id-sql.ts':
      'export const q = `INSERT INTO case_notes (id, case_id) SELECT gen_random_uuid(), $1`;',
    'src/cases/fixture-own-id.ts':
      "import { newId } from '../common/ids';\nexport const q = ['INSERT INTO case_notes (id, case_id) VALUES ($1, $2)', newId()];",
    'src/console/fixture-body-limit.ts':
      "import express from 'express';\nexport const parse = express.urlencoded({ extended: false, limit: '2mb' });",
    'src/console/fixture-own-body-limit.ts':
      "import express from 'express';\nimport { BODY_LIMIT_BYTES } from '../common/body-limit';\nexport const parse = express.json({ limit: BODY_LIMIT_BYTES });",
  });

  it('refuses a controller that injects DataSource', () => {
    expect(results['src/units/fixture.controller.ts'].join()).toMatch(/no-database-in-controllers/);
  });

  it("refuses another module's internals and allows its surface", () => {
    expect(results['src/reports/fixture-internal.ts'].join()).toMatch(/internal to the cases module/);
    expect(results['src/reports/fixture-surface.ts']).toEqual([]);
  });

  it("refuses writing another module's table, and reading it undeclared", () => {
    expect(results['src/reminders/fixture-write.ts'].join()).toMatch(
      /cases belongs to the cases module: write/,
    );
    expect(results['src/sla/fixture-delete.ts'].join()).toMatch(
      /reminders belongs to the reminders module: write/,
    );
    expect(results['src/reminders/fixture-read.ts'].join()).toMatch(
      /audit_log belongs to the audit module: read/,
    );
    expect(results['src/reports/fixture-declared-read.ts']).toEqual([]);
    expect(results['src/cases/fixture-own.ts']).toEqual([]);
  });

  it('refuses a write of the case row outside CaseStore, in its own module too', () => {
    expect(results['src/cases/fixture-case-row.ts'].join()).toMatch(/written by CaseStore alone/);
    expect(results['src/reminders/fixture-write.ts'].join()).toMatch(/written by CaseStore alone/);
  });

  it('refuses a unit-visibility rule outside the access policy', () => {
    expect(results['src/reports/fixture-visibility.ts'].join()).toMatch(/Ask the access policy/);
  });

  it('refuses a role list outside the access policy', () => {
    expect(results['src/console/fixture-roles.ts'].join()).toMatch(
      /Role lists live in common\/access-policy.ts/,
    );
  });

  it('refuses a body limit of its own beside the one in common/body-limit.ts', () => {
    expect(results['src/console/fixture-body-limit.ts'].join()).toMatch(
      /The body limit lives in common\/body-limit.ts/,
    );
    expect(results['src/console/fixture-own-body-limit.ts']).toEqual([]);
  });

  it('refuses a random UUID anywhere but the maker of ids', () => {
    const random = /Ids come from newId\(\) in src\/common\/ids.ts/;
    expect(results['src/mail/fixture-random-id.ts'].join()).toMatch(random);
    expect(results['src/cases/fixture-random-id-sql.ts'].join()).toMatch(random);
    expect(results['src/cases/fixture-own-id.ts']).toEqual([]);
  });
});
