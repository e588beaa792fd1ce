/**
 * How deeply a JSON body may nest. No request of the API nests more than a few levels; a body of
 * nested brackets would otherwise take the parser and the validators down a recursion that blocks
 * the event loop and ends in a stack overflow.
 */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** One pass over the raw bytes, before parsing: true when the nesting goes deeper than the limit. */
export function nestsDeeperThan(raw: Buffer, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      if (depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth -= 1;
  }
  return false;
}

/** The error body-parser's `verify` throws: answered 400 by the error filter. */
export class TooDeepError extends Error {
  readonly type = 'entity.too.deep';
  readonly status = 400;
}

/** For express.json({ verify }): refuses a body that nests too deeply, before it is parsed. */
export function refuseDeepJson(_req: unknown, _res: unknown, raw: Buffer): void {
  if (nestsDeeperThan(raw)) throw new TooDeepError(`JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
}
