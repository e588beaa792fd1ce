import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 64;
// N=2^15, r=8: 32 MiB per hash, memory-hard; recorded in the hash so it can be raised later.
const PARAMS = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function derive(
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  return new Promise((done, fail) =>
    scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: PARAMS.maxmem }, (err, key) =>
      err ? fail(err) : done(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash`, base64url parts. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password, compared against when the user does not exist (equal timing). */
export const DUMMY_HASH_PROMISE = hashPassword(randomBytes(16).toString('hex'));

// zxcvbn's estimate with its list of common and breached passwords (names, words, keyboard
// patterns, years). Built for each check and then let go: its index holds about 24 MB, and
// passwords are set rarely (an account created, a password changed), so the 70 ms of building
// it beside scrypt's own cost is cheaper than keeping it in every instance's memory for good.
function strengthOf(password: string, userInputs: string[]): number {
  return new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }).check(
    password,
    userInputs,
  ).score;
}
/** zxcvbn's scale is 0-4; 3 is "safely unguessable" against an online attack that slips the throttle. */
const MIN_SCORE = 3;

/**
 * Minimum strength: 10 characters, letters and digits, not the username, and not a password that
 * is common, breached or otherwise guessable (zxcvbn score of at least 3).
 */
export function passwordWeakness(password: string, username?: string): string | null {
  if (password.length < 10) return 'minimal 10 karakter';
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'harus memuat huruf dan angka';
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return 'tidak boleh memuat nama pengguna';
  if (strengthOf(password.slice(0, 100), username ? [username] : []) < MIN_SCORE) {
    return 'terlalu mudah ditebak (kata sandi umum atau pola yang dikenal); gunakan gabungan beberapa kata yang tidak lazim';
  }
  return null;
}
