import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

/** One place for the connection settings; the schema only ever changes through migrations. */
export function dataSourceOptions(url: string, poolSize = 20): DataSourceOptions {
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
    extra: { max: poolSize, application_name: 'yankomas' },
  };
}
