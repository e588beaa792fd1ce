/**
 * One JSON line per log entry (pino): the service's own messages through Nest's logger, and one
 * line per HTTP request with its request id, user, route template, status and duration. Never a
 * body, a query string, a header or a path with its ids and tokens: a request is named by the
 * route template it matched. LOG_FORMAT=pretty writes the same entries as readable lines.
 */
import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';
import { routeOf as routeTemplate } from '../common/route-of';
import { newId } from '../common/ids';

export type LogFormat = 'json' | 'pretty';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Readable lines for a developer's terminal: time, level, context, message, the request's facts. */
function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const { time, level, context, msg, requestId, route, status, durationMs } = JSON.parse(line) as {
          time: number;
          level: number;
          context?: string;
          msg?: string;
          requestId?: string;
          route?: string;
          status?: number;
          durationMs?: number;
        };
        const request = requestId
          ? ` [${requestId}] ${route ?? ''} ${status ?? ''} ${durationMs ?? ''}ms`
          : '';
        out.write(
          `${new Date(time).toISOString()} ${LEVEL_NAMES[level] ?? level} ${context ? `[${context}] ` : ''}${msg ?? ''}${request}\n`,
        );
      }
      done();
    },
  });
}

/** How long a line may wait for others before it is written, and how many bytes make a write. */
const LOG_FLUSH_MS = 250;
const LOG_BATCH_BYTES = 4096;

/**
 * Standard output in batches: one request's line is a few hundred bytes, and writing each alone
 * (a system call, and a wake-up of whatever reads the pipe, on the event path's every request)
 * cost more than building it. A line waits at most LOG_FLUSH_MS; what is still buffered when the
 * process exits (SIGTERM, an uncaught error) is written synchronously then (pino's exit hook).
 * Only a process killed outright (kill -9) loses the lines of its last quarter of a second.
 */
function stdoutInBatches(): DestinationStream {
  const out = pino.destination({ fd: 1, sync: false, minLength: LOG_BATCH_BYTES });
  setInterval(() => {
    if (!(out as { destroyed?: boolean }).destroyed) out.flush();
  }, LOG_FLUSH_MS).unref();
  return out;
}

export function createRootLogger(
  options: { format?: LogFormat; level?: string; destination?: DestinationStream } = {},
): Logger {
  const out =
    options.destination ?? (options.format === 'pretty' ? prettyStream(process.stdout) : stdoutInBatches());
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'yankomas' },
      timestamp: pino.stdTimeFunctions.epochTime,
      messageKey: 'msg',
    },
    out,
  );
}

/** Nest's logger on the same pino instance: `context` is what Nest passes as the last argument. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  private write(
    level: 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    params: unknown[],
  ): void {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const stack =
      level === 'error' && typeof params[0] === 'string' && params[0].includes('\n    at ')
        ? params.shift()
        : undefined;
    this.root[level](
      { context, ...(stack ? { stack } : {}) },
      typeof message === 'string' ? message : JSON.stringify(message),
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request's id: the caller's X-Request-Id when it is a plain token, else a new one. */
export function requestIdOf(req: Request): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId();
}

/** The route template a request matched (`/api/cases/:id/events`), or `unmatched`. */
function fullRoute(req: Request): string {
  const template = routeTemplate(req);
  return template ? `${req.baseUrl ?? ''}${template}` : 'unmatched';
}

/**
 * One line per request, after its response: first in the middleware chain, for the API and the
 * console alike. Written when the route, the status and the user are known, each key once; a
 * failure (5xx, or the connection's error) at level error with only the error's type. One log
 * call per request and no child logger: this runs on every request of the event path.
 */
export function requestLogging(root: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = Date.now();
    const requestId = requestIdOf(req);
    res.setHeader('X-Request-Id', requestId);
    // The console passes it on to the API calls a page makes (console/api-client.ts).
    (req as Request & { id?: string }).id = requestId;
    const complete = (error?: Error) => {
      res.removeListener('close', complete);
      res.removeListener('finish', complete);
      res.removeListener('error', complete);
      const failed = error !== undefined || res.statusCode >= 500;
      const line = {
        requestId,
        context: 'HTTP',
        method: req.method,
        route: fullRoute(req),
        status: res.statusCode,
        userId:
          (req as Request & { user?: { id?: string } }).user?.id ??
          (res.locals?.userId as string | undefined) ??
          null,
        durationMs: Date.now() - started,
      };
      if (failed) root.error({ ...line, err: { type: error?.name ?? 'Error' } }, 'request failed');
      else root.info(line, 'request');
    };
    res.on('close', complete);
    res.on('finish', complete);
    res.on('error', complete);
    next();
  };
}
