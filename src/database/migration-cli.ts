/**
 * Developer commands: `npm run migration:run` applies pending migrations;
 * `npm run migration:generate -- Name` writes a new migration from the entity changes.
 * Both use DATABASE_URL, or start the embedded PostgreSQL in DATA_DIR.
 */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { startEmbeddedPostgres } from './embedded-postgres';
import { runMigrationsLocked } from './run-migrations';

async function main(): Promise<void> {
  const [command, name = 'Change'] = process.argv.slice(2);
  const embedded = process.env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres(process.env.DATA_DIR ?? './.data');
  const dataSource = new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? embedded!.local.url, 2));
  await dataSource.initialize();
  try {
    if (command === 'run') {
      const applied = await runMigrationsLocked(dataSource);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
    } else if (command === 'generate') {
      await runMigrationsLocked(dataSource);
      const sql = await dataSource.driver.createSchemaBuilder().log();
      if (sql.upQueries.length === 0) {
        console.log('entities and migrations agree: nothing to generate');
        return;
      }
      const timestamp = Date.now();
      const className = `${name.replace(/[^A-Za-z0-9]/g, '')}${timestamp}`;
      const up = sql.upQueries.map((q) => `    await q.query(${JSON.stringify(q.query)});`).join('\n');
      const down = [...sql.downQueries]
        .reverse()
        .map((q) => `    await q.query(${JSON.stringify(q.query)});`)
        .join('\n');
      const file = join(process.cwd(), 'migrations', `${timestamp}-${name}.ts`);
      await writeFile(
        file,
        `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  async up(q: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
      );
      console.log(`wrote ${file}: review it, name its constraints, and add it to migrations/index.ts`);
    } else {
      console.error('usage: migration-cli run | generate <Name>');
      process.exitCode = 2;
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
