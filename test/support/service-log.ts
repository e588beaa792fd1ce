import pino, { type Logger } from 'pino';

/**
 * Everything the service logs during the test run, at every level and in the production format
 * (JSON lines from the same pino logger), into one file (YANKOMAS_TEST_LOG, set by the global
 * setup); errors also reach the test output. The global teardown reads the file for every
 * complainant identity the suites registered.
 */
export function testLogger(): Logger {
  const file = process.env.YANKOMAS_TEST_LOG;
  const streams: pino.StreamEntry[] = [{ level: 'error', stream: process.stderr }];
  if (file)
    streams.push({ level: 'trace', stream: pino.destination({ dest: file, append: true, sync: true }) });
  return pino(
    { level: 'trace', base: { service: 'yankomas' }, timestamp: pino.stdTimeFunctions.epochTime },
    pino.multistream(streams),
  );
}

/** Identity values worth looking for: long enough not to match by chance. */
export function identityValues(complainant: Record<string, unknown>): string[] {
  return ['name', 'email', 'phone', 'address', 'identityNumber']
    .map((key) => complainant[key])
    .filter((v): v is string => typeof v === 'string' && v.trim().length >= 6);
}
