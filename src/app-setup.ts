import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { AuditedExpressAdapter } from './audit/audited-express-adapter';
import { AuditService } from './audit/audit.service';
import { consoleAddressMiddleware, trustedProxies } from './common/client-address';
import { BODY_LIMIT_BYTES } from './common/body-limit';
import { compressedResponses } from './common/compressed-responses';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { refuseDeepJson } from './common/json-depth';
import { createConsoleRouter } from './console/console.router';
import { metricsEndpoint, requestTimer } from './metrics/metrics-http';
import { MetricsService } from './metrics/metrics.service';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/app-config';
import type { Logger } from 'pino';
import { requestLogging } from './logging/logger';

/** Everything the HTTP layer needs, shared by main.ts and the e2e tests so they test the same thing. */
export function configureApp(app: INestApplication, config: AppConfig, logger: Logger): void {
  const expressApp = app as NestExpressApplication;
  // A success that wrote nothing gets its audit row before its answer, from the adapter itself.
  const adapter = app.getHttpAdapter();
  if (!(adapter instanceof AuditedExpressAdapter))
    throw new Error('the application must be created with new AuditedExpressAdapter() (main.ts)');
  adapter.recordWith(app.get(AuditService));
  // First of all: every request, API or console, gets its id and its one log line.
  app.use(requestLogging(logger));
  // The client address (login throttling, audit) comes from X-Forwarded-For only via the proxies
  // named in TRUST_PROXY; the console's calls carry the browser's address beside a process secret.
  expressApp.set('trust proxy', trustedProxies(config.TRUST_PROXY));
  app.use(consoleAddressMiddleware);
  expressApp.disable('x-powered-by');
  app.use(
    helmet({
      // Offices reach the service over plain HTTP on closed networks too: never rewrite asset
      // addresses to https, which would leave the console without its styles and scripts.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
      // Same-origin form posts then carry their Origin, which the console checks.
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use(compressedResponses());
  // Every request timed by route and status; the scraper's endpoint beside the API.
  const metrics = app.get(MetricsService);
  app.use(requestTimer(metrics));
  app.use('/metrics', (req: Request, res: Response, next: NextFunction) =>
    req.method === 'GET' ? void metricsEndpoint(metrics, config.METRICS_TOKEN)(req, res) : next(),
  );
  // The web console at `/`: everything outside `/api`, which stays the API's alone.
  const consoleRouter = createConsoleRouter({ publicUrl: config.PUBLIC_URL });
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.path === '/api' || req.path.startsWith('/api/') ? next() : consoleRouter(req, res, next),
  );
  // Legacy spreadsheets are read by the import route itself, after authentication (imports.controller.ts).
  app.use(express.json({ limit: BODY_LIMIT_BYTES, verify: refuseDeepJson }));
  // Body-parser errors (too large, malformed) happen before Nest's routing: answer them in our shape.
  const filter = new HttpExceptionFilter();
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    const { status, payload } = filter.toPayload(error);
    res.status(status).json(payload);
  });
  if (config.CORS_ORIGINS) {
    app.enableCors({
      origin: config.CORS_ORIGINS.split(',').map((o) => o.trim()),
      exposedHeaders: ['ETag', 'Location'],
    });
  }
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  // No enableShutdownHooks(): main.ts owns the signals, so that the application closes before
  // the embedded database stops (Nest's hooks re-raise the signal and end the process early).
  // The documentation may be switched off in production (API_DOCS=false); the tests read it.
  if (config.API_DOCS === 'false') return;
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Yankomas API')
      .setDescription('Penanganan pengaduan dugaan pelanggaran HAM: kasus, alur SOP, tenggat, laporan')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
