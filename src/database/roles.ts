/**
 * Least privilege in the database: the schema belongs to an owner role that runs the migrations;
 * the service runs as a role that owns nothing and holds only the grants to read and write rows.
 * It cannot alter a table, disable the append-only triggers of the history and the audit log, or
 * truncate them: those need ownership.
 */
import type { Client } from 'pg';
import type { DataSource } from 'typeorm';

export const OWNER_ROLE = 'yankomas_owner';
export const RUNTIME_ROLE = 'yankomas_app';

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The login name of a connection string. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * Given by the owner after the migrations: row access on every table and sequence, now and for
 * tables later migrations create. Idempotent; run on every start.
 */
export async function grantRuntimeAccess(owner: DataSource, runtimeRole: string): Promise<void> {
  const role = quoteIdent(runtimeRole);
  await owner.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  await owner.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  await owner.query(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
  );
  await owner.query(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`,
  );
}

/**
 * Behind a transaction pooler a session is nobody's: the bounds of the service's statements are
 * the database's defaults instead, set by its owner on every start (idempotent). Connections made
 * before take them from their next session on; the owner's migration sessions set their own.
 */
export async function setDatabaseDefaults(
  owner: DataSource,
  settings: Record<string, number>,
): Promise<void> {
  const [{ name }] = await owner.query<{ name: string }[]>('SELECT current_database() AS name');
  for (const [setting, value] of Object.entries(settings)) {
    if (!/^[a-z_]+$/.test(setting) || !Number.isInteger(value)) throw new Error(`not a setting: ${setting}`);
    await owner.query(`ALTER DATABASE ${quoteIdent(name)} SET ${setting} = ${value}`);
  }
}

/**
 * Run by a superuser: creates (or updates the password of) a login role that is no superuser,
 * creates no roles or databases, and bypasses no row security.
 */
export async function ensureLoginRole(superuser: Client, role: string, password: string): Promise<void> {
  const exists = await superuser.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const verb = exists.rowCount ? 'ALTER' : 'CREATE';
  // Passwords cannot be bound as parameters in DDL: quoted as a literal.
  const literal = `'${password.replace(/'/g, "''")}'`;
  await superuser.query(
    `${verb} ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${literal}`,
  );
}

/**
 * Run by a superuser on the service's database: the owner role owns the database, its public
 * schema and every table, sequence and function in it (a database created before the roles
 * existed is handed over), and the runtime role may connect.
 */
export async function handOverDatabase(superuser: Client, database: string): Promise<void> {
  const owner = quoteIdent(OWNER_ROLE);
  await superuser.query(`ALTER DATABASE ${quoteIdent(database)} OWNER TO ${owner}`);
  await superuser.query(`GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${quoteIdent(RUNTIME_ROLE)}`);
  await superuser.query(`ALTER SCHEMA public OWNER TO ${owner}`);
  await superuser.query(`
    DO $$
    DECLARE item record;
    BEGIN
      FOR item IN
        SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> '${OWNER_ROLE}'
           -- Sequences of identity and serial columns follow their table.
           AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
      LOOP
        EXECUTE format('ALTER %s %s OWNER TO ${OWNER_ROLE}',
          CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, item.name);
      END LOOP;
      FOR item IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '${OWNER_ROLE}'
      LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ${OWNER_ROLE}', item.name);
      END LOOP;
    END $$`);
}
