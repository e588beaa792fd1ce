import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  reason: string;
}

/** Builds the one error shape of the API: { statusCode, error, message, details? }. */
function body(statusCode: number, error: string, message: string, details?: unknown) {
  return details === undefined ? { statusCode, error, message } : { statusCode, error, message, details };
}

export class InvalidInputError extends HttpException {
  constructor(problems: FieldProblem[], message?: string) {
    super(
      body(
        400,
        'Bad Request',
        message ?? problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
        problems,
      ),
      HttpStatus.BAD_REQUEST,
    );
  }

  static field(field: string, reason: string): InvalidInputError {
    return new InvalidInputError([{ field, reason }]);
  }
}

export class EventNotAllowedError extends HttpException {
  constructor(type: string, state: string, allowedEvents: string[]) {
    super(
      body(409, 'Conflict', `Event ${type} tidak diizinkan pada status ${state}`, { state, allowedEvents }),
      HttpStatus.CONFLICT,
    );
  }
}

export class VersionConflictError extends HttpException {
  constructor(expected: number, currentVersion: number) {
    super(
      body(
        409,
        'Conflict',
        `Versi kasus sudah berubah (dikirim ${expected}, sekarang ${currentVersion}); muat ulang lalu coba lagi`,
        {
          currentVersion,
        },
      ),
      HttpStatus.CONFLICT,
    );
  }
}

export class ForbiddenActionError extends HttpException {
  constructor(message: string, details?: unknown) {
    super(body(403, 'Forbidden', message, details), HttpStatus.FORBIDDEN);
  }
}

export class NotFoundError extends HttpException {
  constructor(what: string) {
    super(body(404, 'Not Found', `${what} tidak ditemukan`), HttpStatus.NOT_FOUND);
  }
}

export class ConflictError extends HttpException {
  constructor(message: string, details?: unknown) {
    super(body(409, 'Conflict', message, details), HttpStatus.CONFLICT);
  }
}

export class PayloadTooLargeError extends HttpException {
  constructor(message: string) {
    super(body(413, 'Payload Too Large', message), HttpStatus.PAYLOAD_TOO_LARGE);
  }
}

export class TooManyRequestsError extends HttpException {
  constructor(message: string, retryAfterSeconds: number) {
    super(body(429, 'Too Many Requests', message, { retryAfterSeconds }), HttpStatus.TOO_MANY_REQUESTS);
  }
}
