import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { describeError } from './common/error-description';
import { configureApp } from './app-setup';
import { loadConfig } from './config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './database/embedded-postgres';

const LOG_LEVELS =
  process.env.LOG_LEVEL === 'verbose'
    ? (['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const)
    : (['fatal', 'error', 'warn', 'log'] as const);

async function bootstrap(): Promise<void> {
  // LOG_LEVEL=verbose also shows the embedded PostgreSQL's own log.
  Logger.overrideLogger([...LOG_LEVELS]);
  const logger = new Logger('Yankomas');
  const config = loadConfig();
  let embedded: EmbeddedPostgresHandle | null = null;
  if (!config.DATABASE_URL) {
    logger.log(`DATABASE_URL is not set: starting the embedded PostgreSQL in ${config.DATA_DIR}`);
    embedded = await startEmbeddedPostgres(config.DATA_DIR, (m) => logger.verbose(m));
  }
  const databaseUrl = config.DATABASE_URL ?? embedded!.url;
  const migrationUrl = config.DATABASE_MIGRATION_URL ?? embedded?.migrationUrl;
  const app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl, migrationUrl }), {
    bodyParser: false,
    logger: [...LOG_LEVELS],
  });
  configureApp(app, config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: closing (pending audit entries and the current sweep finish first)`);
    await app.close().catch((error) => logger.error(`closing the application: ${describeError(error)}`));
    await embedded?.stop().catch((error) => logger.error(`stopping PostgreSQL: ${describeError(error)}`));
    process.exit(0);
  };
  // One ordered shutdown: embedded-postgres installs its own exit hooks on import, which would
  // stop the database while requests and the sweep are still finishing.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
  await app.listen(config.PORT);
  logger.log(`Listening on port ${config.PORT}; API documentation at /api/docs`);
}

bootstrap().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
