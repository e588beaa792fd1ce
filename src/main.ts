import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AuditedExpressAdapter } from './audit/audited-express-adapter';
import { describeError } from './common/error-description';
import { createRootLogger, PinoNestLogger } from './logging/logger';
import { configureApp } from './app-setup';
import { GracefulShutdown } from './graceful-shutdown';
import { loadConfig } from './config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './database/embedded-postgres';

/**
 * The old generation may grow to twice what survived its last full collection, not to the up to
 * fourfold V8 allows a busy process: what requests leave there (rows read, remembered cases that
 * newer writes replace) dies soon after, and that headroom was most of the service's memory under
 * load. It changes when full collections run, not how large the heap may get. Set in the entry
 * point, so every way of starting the service (npm start, the bench) has it.
 */
const HEAP_GROWING_PERCENT = 100;
setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);

async function bootstrap(): Promise<void> {
  // JSON lines (LOG_FORMAT=pretty: readable lines); LOG_LEVEL=verbose also shows the embedded PostgreSQL's own log.
  const root = createRootLogger({
    format: process.env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json',
    level: process.env.LOG_LEVEL === 'verbose' ? 'trace' : 'info',
  });
  const nestLogger = new PinoNestLogger(root);
  Logger.overrideLogger(nestLogger);
  const logger = new Logger('Yankomas');
  const config = loadConfig();
  let embedded: EmbeddedPostgresHandle | null = null;
  if (!config.DATABASE_URL) {
    logger.log(`DATABASE_URL is not set: starting the embedded PostgreSQL in ${config.DATA_DIR}`);
    embedded = await startEmbeddedPostgres(config.DATA_DIR, (m) => logger.verbose(m));
  }
  const databaseUrl = config.DATABASE_URL ?? embedded!.local.url;
  const migrationUrl = config.DATABASE_MIGRATION_URL ?? embedded?.local.migrationUrl;
  const app = await NestFactory.create(
    AppModule.forRoot({ config, databaseUrl, migrationUrl }),
    new AuditedExpressAdapter(),
    { bodyParser: false, logger: nestLogger },
  );
  configureApp(app, config, root);
  const shutdown = new GracefulShutdown(app, config.SHUTDOWN_GRACE_MS);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping (requests in flight and the jobs' current work finish first)`);
    await shutdown
      .stop()
      .then((clean) => {
        if (!clean) logger.warn(`requests still running after ${config.SHUTDOWN_GRACE_MS} ms were cut`);
      })
      .catch((error) => logger.error(`closing the application: ${describeError(error)}`));
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
