import type { LoggerService } from '@nestjs/common';
import { appendFileSync } from 'node:fs';

/**
 * Everything the service logs during the test run, at every level, into one file
 * (YANKOMAS_TEST_LOG, set by the global setup); only errors also reach the test output. The
 * global teardown reads the file for every complainant identity the suites registered.
 */
export class CapturingLogger implements LoggerService {
  private write(level: string, message: unknown, rest: unknown[]): void {
    const file = process.env.YANKOMAS_TEST_LOG;
    if (!file) return;
    const parts = [message, ...rest].map((part) => (typeof part === 'string' ? part : part instanceof Error ? `${part.name}: ${part.message}\n${part.stack}` : JSON.stringify(part)));
    appendFileSync(file, `${level} ${parts.join(' ')}\n`);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
    console.error(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
    console.error(message, ...rest);
  }
}

/** Identity values worth looking for: long enough not to match by chance. */
export function identityValues(complainant: Record<string, unknown>): string[] {
  return ['name', 'email', 'phone', 'address', 'identityNumber']
    .map((key) => complainant[key])
    .filter((v): v is string => typeof v === 'string' && v.trim().length >= 6);
}
