import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

/**
 * Bounds on the service's connections: how long a request waits for a pooled connection, how long
 * one statement may run, how long it may wait for a row lock, and how long a transaction may sit
 * idle. Past a bound the request fails fast (503 with Retry-After) instead of freezing the instance.
 * The migrations run without them.
 */
export interface ConnectionBounds {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

/** The session settings the bounds stand for (a pooler's sessions get them as database defaults). */
export function boundSettings(bounds: ConnectionBounds): Record<string, number> {
  return {
    statement_timeout: bounds.statementTimeoutMs,
    lock_timeout: bounds.lockTimeoutMs,
    idle_in_transaction_session_timeout: Math.max(60_000, bounds.statementTimeoutMs * 2),
  };
}

/**
 * One place for the connection settings; the schema only ever changes through migrations.
 * `sessionSettings: false` (behind PgBouncer): nothing but the pool's own limits is sent when
 * connecting, as the pooler refuses startup parameters it does not know.
 */
export function dataSourceOptions(
  url: string,
  poolSize = 20,
  bounds?: ConnectionBounds,
  sessionSettings = true,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    // TypeORM would print a failed query with its parameters (complainants' identities among them):
    // errors are logged by the error filter, by code and constraint only.
    logging: false,
    extra: {
      max: poolSize,
      application_name: 'yankomas',
      ...(bounds ? { connectionTimeoutMillis: bounds.connectTimeoutMs } : {}),
      ...(bounds && sessionSettings ? boundSettings(bounds) : {}),
    },
  };
}

/**
 * The schema owner's connection (migrations, grants), always direct: unbounded, since a migration
 * may take longer than any request, whatever the database's defaults say.
 */
export function ownerDataSourceOptions(url: string): DataSourceOptions {
  const options = dataSourceOptions(url, 2);
  const extra = (options as { extra?: object }).extra;
  return { ...options, extra: { ...extra, statement_timeout: 0, lock_timeout: 0 } };
}
