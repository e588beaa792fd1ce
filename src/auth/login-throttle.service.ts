import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { TooManyRequestsError } from '../common/errors';

export const MAX_FAILURES = 10;
export const WINDOW_MINUTES = 15;

// Advisory lock classes (the two-key form), so an account's key never collides with an address's.
const LOCK_BY_USER = 4101;
const LOCK_BY_ADDRESS = 4102;

/** A try of a password that counts as failed unless it is proven right. */
export interface PasswordTry {
  /** The password was right: the try does not count. */
  succeeded(): Promise<void>;
}

/**
 * Failed password tries (logins and password changes) per account and per address over a sliding
 * window, in the database so every instance sees the same count. A try is counted before the
 * password is checked, under an advisory lock per account and per address, so that 100 parallel
 * requests check at most MAX_FAILURES passwords; a right password removes its own count. When the
 * window slides past the failures the account opens again by itself: a stranger can delay an
 * account, never lock it for good.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Counts one try, or refuses it with 429 and the seconds to wait. */
  async begin(username: string, address: string): Promise<PasswordTry> {
    const name = username.toLowerCase();
    const now = this.clock.now();
    const since = new Date(now.getTime() - WINDOW_MINUTES * 60_000);
    const outcome = await this.dataSource.transaction(async (em): Promise<{ wait: number } | { id: string }> => {
      // Always the account's lock first, then the address's: no two tries can wait on each other.
      await em.query('SELECT pg_advisory_xact_lock($1, hashtext($2)), pg_advisory_xact_lock($3, hashtext($4))', [
        LOCK_BY_USER,
        name,
        LOCK_BY_ADDRESS,
        address,
      ]);
      const [row]: { by_user: number; by_address: number; oldest: Date | null }[] = await em.query(
        `SELECT
           (SELECT count(*) FROM login_failures WHERE username = $1 AND at > $3)::int AS by_user,
           (SELECT count(*) FROM login_failures WHERE address = $2 AND at > $3)::int AS by_address,
           (SELECT min(at) FROM (SELECT at FROM login_failures WHERE (username = $1 OR address = $2) AND at > $3
                                 ORDER BY at DESC LIMIT $4) recent) AS oldest`,
        [name, address, since, MAX_FAILURES],
      );
      if (row.by_user >= MAX_FAILURES || row.by_address >= MAX_FAILURES) {
        const freeAt = new Date(row.oldest ?? now).getTime() + WINDOW_MINUTES * 60_000;
        return { wait: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
      }
      const [inserted]: { id: string }[] = await em.query(
        'INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3) RETURNING id',
        [name, address, now],
      );
      return { id: inserted.id };
    });
    if ('wait' in outcome) throw new TooManyRequestsError('Terlalu banyak percobaan kata sandi yang gagal; coba lagi nanti', outcome.wait);
    return {
      succeeded: async () => {
        await this.dataSource.query('DELETE FROM login_failures WHERE id = $1', [outcome.id]);
      },
    };
  }

  /** Forgets failures older than the window: nothing older matters. */
  async prune(): Promise<number> {
    const rows: unknown[] = await this.dataSource.query('DELETE FROM login_failures WHERE at < $1 RETURNING 1', [
      new Date(this.clock.now().getTime() - 2 * WINDOW_MINUTES * 60_000),
    ]);
    return rows.length;
  }
}
