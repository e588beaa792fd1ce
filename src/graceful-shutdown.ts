import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Lifecycle } from './common/lifecycle';

/**
 * The ordered stop of an instance on SIGTERM: stop accepting connections, close the kept-alive
 * ones that are idle, let the requests in flight finish (their responses close their connections)
 * for at most `graceMs`, then cut what is left; the jobs stop claiming work and finish what they
 * hold (the scheduler waits for them), and the database pool closes last.
 */
export class GracefulShutdown {
  private readonly lifecycle: Lifecycle;
  private readonly server: Server;
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly app: INestApplication,
    private readonly graceMs: number,
  ) {
    this.lifecycle = app.get(Lifecycle);
    this.server = app.getHttpServer() as Server;
    // Keep-alive clients would otherwise hold the server open forever: after the stop began,
    // every response tells them to reconnect (to another instance).
    this.server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      if (this.lifecycle.stopping) res.setHeader('Connection', 'close');
      this.open.add(res);
      res.once('close', () => this.open.delete(res));
    });
  }

  /** Resolves when the instance has stopped; answers whether every request finished in time. */
  async stop(): Promise<boolean> {
    this.lifecycle.stop();
    // The requests already in flight close their connections too when they answer.
    for (const res of this.open) if (!res.headersSent) res.setHeader('Connection', 'close');
    let cut = false;
    const drained = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => {
      cut = true;
      this.server.closeAllConnections();
    }, this.graceMs);
    await drained;
    clearTimeout(timer);
    await this.app.close();
    return !cut;
  }
}
