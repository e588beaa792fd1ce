import {
  Controller,
  Get,
  Head,
  Injectable,
  Module,
  Param,
  Post,
  Req,
  type INestApplication,
  type MiddlewareConsumer,
  type NestMiddleware,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { routeOf } from './route-of';
import { requestKey, routeKey, RoutedExpressAdapter } from './routed-express-adapter';

@Controller('cases')
class CasesController {
  @Get()
  list(@Req() req: Request) {
    return { route: routeOf(req), tagged: (req as { tagged?: boolean }).tagged ?? false };
  }
  @Get('queue')
  queue(@Req() req: Request) {
    return { route: routeOf(req) };
  }
  @Get(':id')
  one(@Param('id') id: string, @Req() req: Request) {
    return { id, route: routeOf(req) };
  }
  @Post(':id/events')
  event(@Param('id') id: string, @Req() req: Request) {
    return { id, event: true, route: routeOf(req) };
  }
  @Head(':id/ping')
  ping() {
    return undefined;
  }
}

/** A controller whose path begins with a parameter: it has no bucket, and keeps its place. */
@Controller(':tenant/cases')
class TenantCasesController {
  @Get()
  list(@Param('tenant') tenant: string) {
    return { tenant };
  }
}

@Controller('health')
class HealthController {
  @Get()
  health() {
    return { status: 'ok' };
  }
}

@Injectable()
class TagCases implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction) {
    (req as { tagged?: boolean }).tagged = true;
    next();
  }
}

@Module({ controllers: [CasesController, HealthController, TenantCasesController], providers: [TagCases] })
class RoutesModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(TagCases).forRoutes('cases');
  }
}

async function start(adapter: ExpressAdapter): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(RoutesModule, adapter, { logger: false });
  app.setGlobalPrefix('api');
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

/** What a client sees of an answer: its status, and its body when it has one. */
async function answer(url: string, method: string, path: string): Promise<string> {
  const res = await fetch(`${url}${path}`, { method });
  const text = method === 'HEAD' ? '' : await res.text();
  return `${res.status} ${text}`;
}

describe('RoutedExpressAdapter', () => {
  it('keys a route by its literal leading segments, and a request by the same segments', () => {
    expect(routeKey('/api/cases/:id/events', false)).toBe('api/cases');
    expect(routeKey('/api/Cases', false)).toBe('api/cases');
    expect(routeKey('/api/Cases', true)).toBe('api/Cases');
    expect(routeKey('/api/:tenant/cases', false)).toBeNull();
    expect(routeKey('/api', false)).toBeNull();
    expect(routeKey('/api/docs{/*path}', false)).toBeNull();
    expect(requestKey('/api/cases/1/events', false)).toBe('api/cases');
    expect(requestKey('/API/CASES/', false)).toBe('api/cases');
    expect(requestKey('/api/cases', false)).toBe('api/cases');
    expect(requestKey('/api', false)).toBe('');
    expect(requestKey('/', false)).toBe('');
  });

  it('answers every request as Express does with its routes in one list', async () => {
    const plain = await start(new ExpressAdapter());
    const routed = await start(new RoutedExpressAdapter());
    try {
      const requests: [string, string][] = [
        ['GET', '/api/cases'],
        ['GET', '/api/cases/'],
        ['GET', '/API/Cases'],
        ['GET', '/api/cases?state=TERIMA'],
        ['GET', '/api/cases/queue'],
        ['GET', '/api/cases/42'],
        ['POST', '/api/cases/42/events'],
        ['GET', '/api/cases/42/events'],
        ['HEAD', '/api/cases/42'],
        ['HEAD', '/api/cases/42/ping'],
        ['OPTIONS', '/api/cases/42'],
        ['DELETE', '/api/cases/42'],
        ['GET', '/api/kanwil-jt/cases'],
        ['GET', '/api/health'],
        ['GET', '/api/healthz'],
        ['GET', '/api//cases'],
        ['GET', '/api/ca%73es'],
        ['GET', '/api'],
        ['GET', '/'],
      ];
      for (const [method, path] of requests) {
        expect(`${method} ${path} ${await answer(routed.url, method, path)}`).toBe(
          `${method} ${path} ${await answer(plain.url, method, path)}`,
        );
      }
      // The middleware Nest registers for a controller's routes still runs before them.
      expect(JSON.parse((await answer(routed.url, 'GET', '/api/cases')).slice(4))).toEqual({
        route: '/api/cases',
        tagged: true,
      });
    } finally {
      await plain.app.close();
      await routed.app.close();
    }
  });

  it("builds every request and response with Express's prototypes, which Express then keeps", async () => {
    const routed = await start(new RoutedExpressAdapter());
    try {
      const express = routed.app.getHttpAdapter().getInstance() as { request: object; response: object };
      const born: string[] = [];
      // Before Express's own listener: the objects as the server built them.
      (routed.app.getHttpServer() as import('node:http').Server).prependListener('request', (req, res) => {
        born.push(
          `${Object.getPrototypeOf(req) === express.request} ${Object.getPrototypeOf(res) === express.response}`,
        );
      });
      expect(await answer(routed.url, 'POST', '/api/cases/42/events')).toBe(
        '201 {"id":"42","event":true,"route":"/api/cases/:id/events"}',
      );
      expect(await answer(routed.url, 'GET', '/api/health')).toBe('200 {"status":"ok"}');
      expect(born).toEqual(['true true', 'true true']);
    } finally {
      await routed.app.close();
    }
  });

  it('puts the routes of one run in one layer of the application, one router per bucket', async () => {
    const routed = await start(new RoutedExpressAdapter());
    const plain = await start(new ExpressAdapter());
    try {
      const layers = (app: INestApplication) =>
        (app.getHttpAdapter().getInstance() as { router: { stack: unknown[] } }).router.stack.length;
      // Six routes of two buckets in one layer; the parameter-first route in its own.
      expect(layers(plain.app) - layers(routed.app)).toBe(5);
    } finally {
      await routed.app.close();
      await plain.app.close();
    }
  });
});
