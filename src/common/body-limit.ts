/**
 * How large a request body the service reads: the API's JSON and the console's forms alike (the
 * legacy import reads its spreadsheets with its own, larger limit). The parsers, and the refusal
 * that tells a client the limit, all take it from here.
 */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The limit as a client reads it in the refusal. */
export const BODY_LIMIT_LABEL = `${BODY_LIMIT_BYTES / 1024 / 1024} MB`;
