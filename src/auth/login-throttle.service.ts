import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';

export const MAX_FAILURES = 10;
export const WINDOW_MINUTES = 15;

/**
 * Failed logins per account and per address over a sliding window, in the database so every
 * instance sees the same count. Successful logins are not counted.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Seconds to wait, or 0 when a login may be tried. */
  async retryAfter(username: string, address: string): Promise<number> {
    const since = new Date(this.clock.now().getTime() - WINDOW_MINUTES * 60_000);
    const [row] = await this.dataSource.query(
      `SELECT
         (SELECT count(*) FROM login_failures WHERE username = $1 AND at > $3)::int AS by_user,
         (SELECT count(*) FROM login_failures WHERE address = $2 AND at > $3)::int AS by_address,
         (SELECT min(at) FROM (SELECT at FROM login_failures WHERE (username = $1 OR address = $2) AND at > $3
                               ORDER BY at DESC LIMIT $4) recent) AS oldest`,
      [username.toLowerCase(), address, since, MAX_FAILURES],
    );
    if (row.by_user < MAX_FAILURES && row.by_address < MAX_FAILURES) return 0;
    const freeAt = new Date(row.oldest).getTime() + WINDOW_MINUTES * 60_000;
    return Math.max(1, Math.ceil((freeAt - this.clock.now().getTime()) / 1000));
  }

  async recordFailure(username: string, address: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)`, [
      username.toLowerCase(),
      address,
      this.clock.now(),
    ]);
    // Keeps the table small: nothing older than the window matters.
    await this.dataSource.query(`DELETE FROM login_failures WHERE at < $1`, [
      new Date(this.clock.now().getTime() - 2 * WINDOW_MINUTES * 60_000),
    ]);
  }
}
