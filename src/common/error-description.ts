import { HttpException } from '@nestjs/common';

interface DatabaseErrorFields {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
}

/**
 * How an error is written to a log: by its kind, code and constraint, never by its message or
 * parameters. A database error's message quotes the values it refused (`invalid input syntax for
 * type uuid: "..."`, a duplicate key's detail), and any library's message may quote the input it
 * choked on, so a message is logged only for this service's own HTTP errors, whose texts are
 * written here. Stack frames stay: they name code, not data.
 */
export function describeError(error: unknown): string {
  if (error instanceof HttpException) return `${error.name} ${error.getStatus()}: ${error.message}`;
  if (!(error instanceof Error)) return `non-error thrown (${typeof error})`;
  const cause = ((error as { driverError?: unknown }).driverError ?? error) as DatabaseErrorFields;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .join('\n');
  if (typeof cause.code === 'string' && /^[0-9A-Z]{5}$/.test(cause.code)) {
    const where = [
      cause.constraint && `constraint ${cause.constraint}`,
      cause.table && `table ${cause.table}`,
      cause.column && `column ${cause.column}`,
    ]
      .filter(Boolean)
      .join(', ');
    return `database error ${cause.code}${where ? ` (${where})` : ''}${cause.routine ? ` in ${cause.routine}` : ''}\n${frames}`;
  }
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' || typeof code === 'number' ? ` ${code}` : ''}\n${frames}`;
}
