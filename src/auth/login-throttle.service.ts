import { Injectable } from '@nestjs/common';
import { RequestAudit } from '../audit/request-audit';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { TooManyRequestsError } from '../common/errors';
import { queryRows } from '../database/sql';

export const MAX_FAILURES = 10;
export const WINDOW_MINUTES = 15;

// Advisory lock classes (the two-key form), so an account's key never collides with an address's.
const LOCK_BY_USER = 4101;
const LOCK_BY_ADDRESS = 4102;
/** A try still in flight after this long (its instance died mid-check) counts as a failure. */
const IN_FLIGHT_MS = 30_000;
/** How long a try waits for others in flight to be decided before it is refused. */
const WAIT_FOR_IN_FLIGHT_MS = 10_000;
const POLL_MS = 25;

/** The database refused a write because it is read-only (SQLSTATE 25006). */
function refusedWrite(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  return e?.code === '25006' || e?.driverError?.code === '25006';
}

/** A try of a password, counted until it is proven right. */
export interface PasswordTry {
  /** The password was right: the try does not count. */
  succeeded(): Promise<void>;
  /** The password was wrong: the try counts for the whole window. */
  failed(): Promise<void>;
}

interface Counts {
  failed_user: number;
  failed_address: number;
  flying_user: number;
  flying_address: number;
  oldest: Date | null;
}

/**
 * Failed password tries (logins and password changes) per account and per address over a sliding
 * window, in the database so every instance sees the same count. A try is written before its
 * password is checked, in flight, under an advisory lock per account and per address; a try may
 * start only while the failures plus the tries in flight stay under the limit, so 100 parallel
 * guesses have at most MAX_FAILURES passwords checked. A try that would pass the limit only
 * because of tries in flight waits for them to be decided: people who sign in at the same moment
 * from one office are delayed a little, never refused. When the window slides past the failures
 * the account opens again by itself: a stranger can delay an account, never lock it for good.
 */
@Injectable()
export class LoginThrottleService {
  /**
   * While the database takes no writes (read-only for maintenance), failures are counted in this
   * instance's memory instead, with the same limit and window: a wrong password is still a 401,
   * a right one still signs in, and guessing is still bounded.
   */
  private readonly readOnlyFailures: { username: string; address: string; at: number }[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Starts one try, or refuses it with 429 and the seconds to wait. */
  async begin(username: string, address: string): Promise<PasswordTry> {
    const name = username.toLowerCase();
    const waitUntil = Date.now() + WAIT_FOR_IN_FLIGHT_MS;
    for (;;) {
      let outcome: { id: string } | { wait: number };
      try {
        outcome = await this.tryToStart(name, address);
      } catch (error) {
        if (!refusedWrite(error)) throw error;
        return this.inMemory(name, address);
      }
      if ('id' in outcome) return this.handle(outcome.id);
      if (outcome.wait > 0 || Date.now() > waitUntil) {
        throw new TooManyRequestsError(
          'Terlalu banyak percobaan kata sandi yang gagal; coba lagi nanti',
          Math.max(1, outcome.wait),
        );
      }
      await new Promise((resume) => setTimeout(resume, POLL_MS));
    }
  }

  /** One look under the locks: started (its id), refused (seconds to wait), or to wait for tries in flight (0). */
  private tryToStart(name: string, address: string): Promise<{ id: string } | { wait: number }> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - WINDOW_MINUTES * 60_000);
    const flyingSince = new Date(now.getTime() - IN_FLIGHT_MS);
    // The throttle's bookkeeping, not the login's write: its rows carry no request audit row.
    return RequestAudit.aside(() =>
      this.dataSource.transaction(async (em): Promise<{ id: string } | { wait: number }> => {
        // Always the account's lock first, then the address's: no two tries can wait on each other.
        await em.query(
          'SELECT pg_advisory_xact_lock($1, hashtext($2)), pg_advisory_xact_lock($3, hashtext($4))',
          [LOCK_BY_USER, name, LOCK_BY_ADDRESS, address],
        );
        const failed = `at > $3 AND (confirmed OR at <= $4)`;
        const flying = `NOT confirmed AND at > $4`;
        const [row] = await queryRows<Counts>(
          em,
          `SELECT
           (SELECT count(*) FROM login_failures WHERE username = $1 AND ${failed})::int AS failed_user,
           (SELECT count(*) FROM login_failures WHERE address = $2 AND ${failed})::int AS failed_address,
           (SELECT count(*) FROM login_failures WHERE username = $1 AND ${flying})::int AS flying_user,
           (SELECT count(*) FROM login_failures WHERE address = $2 AND ${flying})::int AS flying_address,
           (SELECT min(at) FROM (SELECT at FROM login_failures WHERE (username = $1 OR address = $2) AND ${failed}
                                 ORDER BY at DESC LIMIT $5) recent) AS oldest`,
          [name, address, since, flyingSince, MAX_FAILURES],
        );
        if (row.failed_user >= MAX_FAILURES || row.failed_address >= MAX_FAILURES) {
          const freeAt = new Date(row.oldest ?? now).getTime() + WINDOW_MINUTES * 60_000;
          return { wait: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
        }
        if (
          row.failed_user + row.flying_user >= MAX_FAILURES ||
          row.failed_address + row.flying_address >= MAX_FAILURES
        )
          return { wait: 0 };
        const [inserted] = await queryRows<{ id: string }>(
          em,
          'INSERT INTO login_failures (username, address, at, confirmed) VALUES ($1, $2, $3, false) RETURNING id',
          [name, address, now],
        );
        return { id: inserted.id };
      }),
    );
  }

  private handle(id: string): PasswordTry {
    return {
      succeeded: async () => {
        await RequestAudit.aside(async () => {
          await this.dataSource.query('DELETE FROM login_failures WHERE id = $1', [id]);
        }).catch((error) => {
          // Left in flight, the try counts as failed after IN_FLIGHT_MS: the safe side.
          if (!refusedWrite(error)) throw error;
        });
      },
      failed: async () => {
        try {
          await RequestAudit.aside(async () => {
            await this.dataSource.query('UPDATE login_failures SET confirmed = true WHERE id = $1', [id]);
            await this.prune();
          });
        } catch (error) {
          if (!refusedWrite(error)) throw error;
        }
      },
    };
  }

  /** A try while the database refuses writes: counted in memory (see readOnlyFailures). */
  private inMemory(username: string, address: string): PasswordTry {
    const now = this.clock.now().getTime();
    const since = now - WINDOW_MINUTES * 60_000;
    const recent = this.readOnlyFailures.filter((f) => f.at > since);
    this.readOnlyFailures.splice(0, this.readOnlyFailures.length, ...recent);
    const mine = recent.filter((f) => f.username === username || f.address === address);
    const byUser = recent.filter((f) => f.username === username).length;
    const byAddress = recent.filter((f) => f.address === address).length;
    if (byUser >= MAX_FAILURES || byAddress >= MAX_FAILURES) {
      const oldest = Math.min(...mine.map((f) => f.at));
      throw new TooManyRequestsError(
        'Terlalu banyak percobaan kata sandi yang gagal; coba lagi nanti',
        Math.max(1, Math.ceil((oldest + WINDOW_MINUTES * 60_000 - now) / 1000)),
      );
    }
    // Counted before the password is checked, as in the database, and forgotten if it was right.
    const entry = { username, address, at: now };
    this.readOnlyFailures.push(entry);
    return {
      succeeded: () => {
        const i = this.readOnlyFailures.indexOf(entry);
        if (i >= 0) this.readOnlyFailures.splice(i, 1);
        return Promise.resolve();
      },
      failed: () => Promise.resolve(),
    };
  }

  /** Forgets failures older than the window: nothing older matters. */
  async prune(): Promise<number> {
    const [{ n }] = await queryRows<{ n: number }>(
      this.dataSource,
      'WITH d AS (DELETE FROM login_failures WHERE at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d',
      [new Date(this.clock.now().getTime() - 2 * WINDOW_MINUTES * 60_000)],
    );
    return n;
  }
}
