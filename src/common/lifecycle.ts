import { Injectable } from '@nestjs/common';

/**
 * Whether this instance is shutting down. Once it is, readiness answers 503 (the load balancer
 * stops sending traffic), every response closes its connection, and the background jobs claim no
 * new work: what they hold is finished and released, and nothing new is leased.
 */
@Injectable()
export class Lifecycle {
  private stoppingSince: Date | null = null;

  get stopping(): boolean {
    return this.stoppingSince !== null;
  }

  stop(): void {
    this.stoppingSince ??= new Date();
  }
}
