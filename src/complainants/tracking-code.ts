import { createHash, randomBytes } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new tracking code: 100 random bits, as five groups of four characters (XXXX-XXXX-...). */
export function newTrackingCode(): string {
  const bytes = randomBytes(20);
  let code = '';
  for (let i = 0; i < 20; i++) code += ALPHABET[bytes[i] & 31];
  return code.match(/.{4}/g)!.join('-');
}

/**
 * The stored form. The code carries 100 random bits, so a plain SHA-256 is enough to make a leaked
 * table useless; a slow hash would only slow the public status page. Case, dashes and spaces, and
 * the letters people confuse with digits, are forgiven.
 */
export function hashTrackingCode(code: string): string {
  const normalised = code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return createHash('sha256').update(`yankomas-tracking:${normalised}`).digest('hex');
}

/** A survey link's token: 128 random bits, URL-safe. */
export function newSurveyToken(): string {
  return randomBytes(16).toString('base64url');
}

export function hashSurveyToken(token: string): string {
  return createHash('sha256').update(`yankomas-survey:${token}`).digest('hex');
}

/** The survey page a complainant opens from a mail or a printed invitation. */
export function surveyPageUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/survei/${token}`;
}
