import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { MetricsService } from './metrics.service';
import { routeOf } from '../common/route-of';

/** Times every request and labels it by its route template (never the path itself: ids, tokens). */
export function requestTimer(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = routeOf(req) ?? 'unmatched';
      const prefix = req.baseUrl && route !== 'unmatched' ? req.baseUrl : '';
      metrics.httpDuration.observe(
        { method: req.method, route: `${prefix}${route}`.slice(0, 120), status: String(res.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}

/**
 * GET /metrics for the Prometheus scraper, with `Authorization: Bearer <METRICS_TOKEN>`. Without
 * METRICS_TOKEN the endpoint does not exist (404); a wrong token is 401.
 */
export function metricsEndpoint(metrics: MetricsService, token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return async (req: Request, res: Response): Promise<void> => {
    if (!expected) {
      res
        .status(404)
        .json({ statusCode: 404, error: 'Not Found', message: 'Metrik tidak diaktifkan (METRICS_TOKEN)' });
      return;
    }
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'Token metrik salah' });
      return;
    }
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.end(await metrics.registry.metrics());
  };
}
