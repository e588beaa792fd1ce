import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app-setup';
import { loadConfig } from './config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './database/embedded-postgres';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Yankomas');
  const config = loadConfig();
  let embedded: EmbeddedPostgresHandle | null = null;
  if (!config.DATABASE_URL) {
    logger.log(`DATABASE_URL is not set: starting the embedded PostgreSQL in ${config.DATA_DIR}`);
    embedded = await startEmbeddedPostgres(config.DATA_DIR, (m) => logger.verbose(m));
  }
  const app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl: config.DATABASE_URL ?? embedded!.url }), {
    bodyParser: false,
    bufferLogs: false,
  });
  configureApp(app, config);
  const stop = async () => {
    await app.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen(config.PORT);
  logger.log(`Listening on port ${config.PORT}; API documentation at /api/docs`);
}

bootstrap().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
