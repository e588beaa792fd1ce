import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import {
  Router,
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';

/** The route registrations Nest makes on its adapter (`adapter.post(path, handler)`). */
type RouteMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options' | 'all';

/** How many leading segments of a path key its bucket: the prefix and the resource (`api/cases`). */
const KEY_SEGMENTS = 2;

/**
 * The bucket of a route: its first segments when they are all literal (`/api/cases/:id` →
 * `api/cases`), or null when one of them is a parameter or a pattern, or the path is shorter.
 */
export function routeKey(path: string, caseSensitive: boolean): string | null {
  const segments = path.split('/').slice(1, 1 + KEY_SEGMENTS);
  if (segments.length < KEY_SEGMENTS || segments.some((s) => s === '' || /[:*?+(){}[\]\\]/.test(s)))
    return null;
  const key = segments.join('/');
  return caseSensitive ? key : key.toLowerCase();
}

/** The bucket a request's path (`/api/cases/1/events` → `api/cases`) can only be served from. */
export function requestKey(pathname: string, caseSensitive: boolean): string {
  let end = 0;
  for (let i = 0; i < KEY_SEGMENTS; i += 1) {
    end = pathname.indexOf('/', end + 1);
    if (end < 0) {
      if (i < KEY_SEGMENTS - 1) return '';
      end = pathname.length;
    }
  }
  const key = pathname.slice(1, end);
  return caseSensitive ? key : key.toLowerCase();
}

/**
 * Express, with the application's routes found by their first segments instead of one by one.
 * Express tries every route in registration order until one matches (the events of a case came
 * 43rd of 79), and its router took 6% of an event's busy time and 12% of a health check's. A
 * route whose leading segments are literal can only match a path that begins with exactly those
 * segments (case aside, as Express compares them), so the routes registered in one run go into
 * one router per bucket, and a request is handed to the one router of its bucket. Order stays
 * as Express has it: routes of a bucket keep theirs, and a route that has no bucket (a parameter
 * among its leading segments) or any middleware registered in between ends the run, so that what
 * came before still runs before.
 */
export class RoutedExpressAdapter extends ExpressAdapter {
  /** The run of bucketed routes that the next route may join, and the layer that dispatches it. */
  private run: Run | null = null;

  /**
   * The server creates each request and response already as Express's: Express otherwise swaps
   * the prototype of both objects on every request (application.js, handle), and an object whose
   * prototype changes after it was built leaves every later property access on it, in Node's
   * HTTP code as in Express's, to slower generic lookups.
   */
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    this.httpServer = createServer(
      {
        IncomingMessage: builtWith(IncomingMessage, app.request),
        ServerResponse: builtWith(ServerResponse, app.response),
      },
      app,
    );
    if (options?.forceCloseConnections)
      (this as unknown as { trackOpenConnections(): void }).trackOpenConnections();
  }

  override get(...args: unknown[]): unknown {
    // With one argument, Express's get() reads a setting.
    return args.length < 2
      ? (this.instance as { get(setting: unknown): unknown }).get(args[0])
      : this.route('get', args);
  }
  override post(...args: unknown[]): unknown {
    return this.route('post', args);
  }
  override put(...args: unknown[]): unknown {
    return this.route('put', args);
  }
  override patch(...args: unknown[]): unknown {
    return this.route('patch', args);
  }
  override delete(...args: unknown[]): unknown {
    return this.route('delete', args);
  }
  override head(...args: unknown[]): unknown {
    return this.route('head', args);
  }
  override options(...args: unknown[]): unknown {
    return this.route('options', args);
  }
  override all(...args: unknown[]): unknown {
    return this.route('all', args);
  }

  private route(method: RouteMethod, args: unknown[]): unknown {
    const app = this.instance as { enabled(setting: string): boolean } & Record<
      RouteMethod,
      (...a: unknown[]) => unknown
    >;
    const caseSensitive = app.enabled('case sensitive routing');
    const [path] = args;
    const key = typeof path === 'string' ? routeKey(path, caseSensitive) : null;
    if (key === null) {
      this.run = null;
      return app[method](...args);
    }
    const run = this.currentRun(caseSensitive);
    let bucket = run.buckets.get(key);
    if (!bucket) {
      bucket = { router: Router({ caseSensitive, strict: app.enabled('strict routing') }), options: false };
      run.buckets.set(key, bucket);
    }
    if (method === 'options' || method === 'all') bucket.options = true;
    (bucket.router[method] as (...a: unknown[]) => unknown)(...args);
    return app;
  }

  /** The run still last in the application's stack, or a new one added there. */
  private currentRun(caseSensitive: boolean): Run {
    const stack = (this.instance as { router: { stack: unknown[] } }).router.stack;
    if (this.run && stack[stack.length - 1] === this.run.layer) return this.run;
    const buckets = new Map<string, Bucket>();
    const dispatch: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
      const bucket = buckets.get(requestKey(req.path, caseSensitive));
      // A router answers an OPTIONS request that none of its routes takes with their methods;
      // in one list with the rest, it went on to the application's answer (Nest's 404).
      if (!bucket || (req.method === 'OPTIONS' && !bucket.options)) return next();
      bucket.router(req, res, next);
    };
    (this.instance as { use(handler: RequestHandler): void }).use(dispatch);
    this.run = { buckets, layer: stack[stack.length - 1] };
    return this.run;
  }
}

interface Bucket {
  router: Router;
  /** Whether a route of the bucket answers OPTIONS itself (options() or all()). */
  options: boolean;
}

interface Run {
  buckets: Map<string, Bucket>;
  layer: unknown;
}

/**
 * A constructor that builds what `base` builds, with `prototype` (which inherits base's
 * prototype) as its prototype from the start.
 */
function builtWith<T extends typeof IncomingMessage | typeof ServerResponse>(base: T, prototype: object): T {
  function Built(this: unknown, ...args: unknown[]): void {
    (base as unknown as (...a: unknown[]) => void).apply(this, args);
  }
  Built.prototype = prototype;
  return Built as unknown as T;
}
