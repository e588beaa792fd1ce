/**
 * The module boundaries, checked by the lint. Each feature folder under src/ is a module that owns
 * tables and shows other modules a declared surface. The rules refuse:
 * - an import of another module's file that is not on its surface (its internals);
 * - SQL in one module that writes (INSERT INTO, UPDATE, DELETE FROM) another module's table;
 * - SQL that reads another module's table without the read being declared in READS;
 * - a controller that imports TypeORM's DataSource, EntityManager or Repository;
 * - a random UUID (randomUUID, gen_random_uuid) anywhere but the maker of ids, src/common/ids.ts.
 * The composition roots (app.module.ts, app-setup.ts, main.ts, database/entities.ts) wire modules
 * together and are exempt from the first rule.
 */
import path from 'node:path';

/** Which module owns each table: only it writes the table. */
export const OWNERS = {
  cases: [
    'cases',
    'case_events',
    'case_attachments',
    'register_counters',
    'case_notes',
    'case_registrations',
    'case_views',
    'case_search',
    'case_search_words',
  ],
  reminders: ['dispatches', 'reminders', 'reminder_schedules', 'letter_templates'],
  mail: ['outbox_messages', 'outbox_attempts'],
  notifications: ['notifications'],
  sla: ['sla_escalations'],
  calendars: ['calendar_days_off', 'calendar_years'],
  config: ['configuration_revision'],
  units: ['units', 'provinces', 'unit_settings'],
  users: ['users'],
  auth: ['login_failures', 'app_settings'],
  audit: ['audit_log'],
  complainants: [
    'survey_invitations',
    'survey_questions',
    'survey_responses',
    'public_lookup_failures',
    'ikm_targets',
  ],
  reports: ['indicator_targets'],
  institutions: ['institutions'],
  reference: ['reference_items'],
};

/**
 * Reads across modules, declared: a module joins another's tables only where listed. Reports and
 * the SLA views are read models over the cases; the rest are lookups inside one statement.
 */
export const READS = {
  auth: ['users'],
  calendars: ['cases'],
  cases: ['units', 'institutions', 'dispatches', 'calendar_days_off', 'configuration_revision', 'users'],
  complainants: ['cases', 'case_events', 'units'],
  imports: ['units', 'provinces', 'reference_items', 'institutions', 'cases'],
  mail: ['cases', 'case_attachments'],
  metrics: ['cases', 'outbox_messages'],
  notifications: ['users'],
  reference: ['provinces', 'units'],
  reminders: ['cases', 'institutions', 'units', 'users', 'outbox_messages'],
  reports: ['cases', 'case_events', 'dispatches', 'units', 'provinces', 'reference_items'],
  sla: ['cases', 'case_events', 'unit_settings', 'users'],
  users: ['units'],
};

/**
 * What each module shows the others, besides its Nest module (`<name>.module.ts`): its services,
 * its entities (for the one TypeORM registration) and its pure policies and statement fragments.
 * Any other file of a module is its own.
 */
export const SURFACE = {
  audit: ['audit.service', 'request-audit'],
  auth: ['login-throttle.service', 'password-hasher', 'user-status.cache'],
  calendars: ['calendar.service', 'calendar-watch.service'],
  cases: [
    'attachments.service',
    'case.entity',
    'case-view',
    'case-store',
    'case-events.service',
    'cases.service',
    'register-number',
  ],
  complainants: [
    'milestones',
    'receipt',
    'survey.service',
    'survey-statements',
    'tracking-code',
    'public-status.service',
  ],
  config: ['app-config', 'configuration-revision'],
  database: ['sql', 'query-results', 'database-probe', 'read-replicas'],
  institutions: ['institutions.service', 'institution.entity'],
  jobs: ['job-runs', 'item-isolation'],
  mail: ['mail-seal', 'mailer', 'outbox.service', 'outbox-statements', 'mail-dispatcher.service'],
  metrics: ['metrics.service'],
  notifications: ['notifications.service'],
  reference: ['reference-validator'],
  reminders: ['reminder.service', 'dispatch-statements'],
  reports: ['reports.service', 'report-table', 'recap-columns'],
  sla: ['deadline-explanation', 'deadline-policy', 'working-time', 'sla-summary.service'],
  units: ['unit-directory', 'units.service', 'unit.entity', 'province.entity', 'unit-statements'],
  users: ['users.service', 'user.entity'],
};

/** Shared by every module: the access policy, errors, validation and the like. */
const SHARED = new Set(['common']);
const ROOTS = new Set(['src/app.module.ts', 'src/app-setup.ts', 'src/main.ts', 'src/database/entities.ts']);

const OWNER_OF = new Map(Object.entries(OWNERS).flatMap(([mod, tables]) => tables.map((t) => [t, mod])));
const TABLES = [...OWNER_OF.keys()].sort((a, b) => b.length - a.length).join('|');
const SQL_TABLE = new RegExp(`\\b(FROM|JOIN|INTO|UPDATE)\\s+(${TABLES})\\b`, 'gi');

function moduleOf(file, root) {
  const rel = path.relative(root, file).split(path.sep);
  return rel[0] === 'src' && rel.length > 2 ? rel[1] : null;
}

/** Visitors handing `check` the text of every string and template literal (where SQL is written). */
function sqlTexts(check) {
  return {
    Literal(node) {
      if (typeof node.value === 'string') check(node, node.value);
    },
    TemplateLiteral(node) {
      check(node, node.quasis.map((q) => q.value.raw).join(' '));
    },
  };
}

const importsRule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const rel = path.relative(root, file).split(path.sep).join('/');
    const mine = moduleOf(file, root);
    if (!mine || ROOTS.has(rel)) return {};
    return {
      ImportDeclaration(node) {
        const source = node.source.value;
        if (typeof source !== 'string' || !source.startsWith('.')) return;
        const target = path.resolve(path.dirname(file), source);
        const theirs = moduleOf(target + '.ts', root);
        if (!theirs || theirs === mine || SHARED.has(theirs)) return;
        const name = path.basename(target);
        // A module's Nest module is its surface for the composition: the providers it exports.
        if (name === `${theirs}.module` || (SURFACE[theirs] ?? []).includes(name)) return;
        context.report({
          node: node.source,
          message: `${source} is internal to the ${theirs} module: use its surface (${(SURFACE[theirs] ?? []).join(', ') || 'none'}).`,
        });
      },
    };
  },
};

const tablesRule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const mine = moduleOf(context.filename, context.cwd);
    if (!mine || mine === 'database') return {};
    const check = (node, text) => {
      for (const match of text.matchAll(SQL_TABLE)) {
        const [, verb, table] = match;
        const owner = OWNER_OF.get(table.toLowerCase());
        if (owner === mine) continue;
        const writes = verb.toUpperCase() === 'INTO' || verb.toUpperCase() === 'UPDATE';
        // DELETE FROM reads as FROM: look at the word before it.
        const deletes = /DELETE\s+$/i.test(text.slice(0, match.index));
        if (writes || deletes) {
          context.report({
            node,
            message: `${table} belongs to the ${owner} module: write it through its service.`,
          });
        } else if (!(READS[mine] ?? []).includes(table)) {
          context.report({
            node,
            message: `${table} belongs to the ${owner} module: read it through its service, or declare the read in eslint/module-boundaries.mjs.`,
          });
        }
      }
    };
    return sqlTexts(check);
  },
};

/** The file that writes the case row: what is derived from it (category_since) is kept there. */
const CASE_ROW_WRITER = path.join('src', 'cases', 'case-store.ts');
const CASE_ROW_WRITE = /\b(INSERT\s+INTO|UPDATE)\s+"?cases"?(?![\w"])/i;

/**
 * The case row is written by CaseStore alone, inside the cases module too: a second writer of
 * its unit or category would leave category_since behind, and the reports would count the case
 * where it no longer stands.
 */
const caseRowRule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    if (path.relative(context.cwd, context.filename) === CASE_ROW_WRITER) return {};
    const check = (node, text) => {
      if (CASE_ROW_WRITE.test(text))
        context.report({
          node,
          message:
            'The case row is written by CaseStore alone (src/cases/case-store.ts): add the write there.',
        });
    };
    return sqlTexts(check);
  },
};

/** The file that makes ids: time-ordered ones, so that the indexes keyed by an id stay compact. */
const ID_MAKER = path.join('src', 'common', 'ids.ts');
const RANDOM_ID_SQL = /\bgen_random_uuid\s*\(/i;

/**
 * Every id comes from newId() (src/common/ids.ts): a random UUID, from node:crypto or from
 * PostgreSQL, would put its row's index entries on a random page again.
 */
const idsRule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    if (path.relative(context.cwd, context.filename) === ID_MAKER) return {};
    const message = 'Ids come from newId() in src/common/ids.ts (time-ordered), not from a random UUID.';
    const check = (node, text) => {
      if (RANDOM_ID_SQL.test(text)) context.report({ node, message });
    };
    return {
      ...sqlTexts(check),
      Identifier(node) {
        if (node.name === 'randomUUID') context.report({ node, message });
      },
    };
  },
};

const controllerRule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    if (!context.filename.endsWith('.controller.ts')) return {};
    return {
      ImportDeclaration(node) {
        if (node.source.value !== 'typeorm') return;
        for (const spec of node.specifiers) {
          const name = spec.imported?.name;
          if (['DataSource', 'EntityManager', 'Repository', 'QueryRunner'].includes(name))
            context.report({
              node: spec,
              message: `A controller does not reach the database (${name}): call its module's service.`,
            });
        }
      },
    };
  },
};

/** A list of two or more roles anywhere but the access policy is a second copy of a decision. */
const ROLE = '/^(ADMIN|PETUGAS|KASUBBID|KABID|KADIV|KAKANWIL|PEMANTAU)$/';
export const ROLE_LIST_RULE = {
  selector: `ArrayExpression:has(> Literal[value=${ROLE}] ~ Literal[value=${ROLE}])`,
  message: 'Role lists live in common/access-policy.ts: take the list from there.',
};

/** Whether a user sees every unit is the access policy's question (Scope.of(user)), asked nowhere else. */
export const UNIT_VISIBILITY_RULE = {
  selector: "MemberExpression[property.name='seesAllUnits']",
  message: 'Ask the access policy: Scope.of(user).sees(unitCode), .unitFilter or .where(column, params).',
};

/** The body parsers read up to one limit, common/body-limit.ts, which their refusal also names. */
export const BODY_LIMIT_RULE = {
  selector:
    "CallExpression[callee.property.name=/^(json|urlencoded|raw|text)$/] Property[key.name='limit']:not([value.name='BODY_LIMIT_BYTES'])",
  message: 'The body limit lives in common/body-limit.ts: take BODY_LIMIT_BYTES from there.',
};

/** The syntax rules that keep one owner per rule: the lint applies them, and the boundary test proves them. */
export const ONE_OWNER_RULES = [ROLE_LIST_RULE, UNIT_VISIBILITY_RULE, BODY_LIMIT_RULE];

export default {
  rules: {
    imports: importsRule,
    tables: tablesRule,
    'case-row': caseRowRule,
    ids: idsRule,
    'no-database-in-controllers': controllerRule,
  },
};
