import { randomFillSync } from 'node:crypto';

/** Random bytes drawn for many ids at once: one call into the system's generator per 256 ids. */
const POOL_IDS = 256;
const pool = Buffer.allocUnsafe(16 * POOL_IDS);
let next = POOL_IDS;

/**
 * A new id: a UUID of version 7 (RFC 9562), its first 48 bits the milliseconds since 1970 and its
 * other 74 free bits random. Every id the service makes comes from here: its rows' ids, a
 * request's id in the log, the key that makes a registration form's submission idempotent (the
 * lint refuses `randomUUID` and `gen_random_uuid` elsewhere in src/).
 *
 * Why not version 4: the indexes keyed by an id (a case's row, its history by case, its search
 * row, its dispatches; the outbox's rows) take each new key where its value falls. Random keys
 * put every insert on a random leaf page, which is read from disk once the index outgrows the
 * cache and is written whole to the WAL at its first change after each checkpoint. Ids that grow
 * with time put them on the few pages at the right edge. A legacy import of 10,000 rows into a
 * million cases, after a checkpoint, wrote 37 MB of WAL for its cases instead of 103 MB and 23 MB
 * for their history instead of 110 MB (2,046 full-page images instead of 28,743), and ran at
 * 3,878-5,248 rows/s against 645-3,800, alternating with the build before (docs/scaling.md).
 *
 * The time in an id is the instant its row was made, which whoever may read the row sees anyway
 * (a case's registration, a mail's queueing); ids are never secrets (a complainant's tracking
 * code and survey link are, and they are not ids). Two ids of one millisecond are in no
 * particular order.
 */
export function newId(now = Date.now()): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const b = pool.subarray(16 * next, 16 * next + 16);
  next += 1;
  // 48 bits of milliseconds, big-endian (beyond 2^32, so by division rather than shifts).
  const high = Math.floor(now / 2 ** 32);
  b[0] = high >>> 8;
  b[1] = high;
  b.writeUInt32BE(now >>> 0, 2);
  b[6] = (b[6] & 0x0f) | 0x70; // version 7
  b[8] = (b[8] & 0x3f) | 0x80; // the RFC's variant
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
