import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  Optional,
} from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { UnknownWorkflowError } from '../../workflows';
import { AuditService } from '../audit/audit.service';
import { RequestAudit } from '../audit/request-audit';
import { BODY_LIMIT_LABEL } from './body-limit';
import { describeError } from './error-description';
import { MAX_JSON_DEPTH } from './json-depth';

/** The upload parser's (multer's) refusals, as the console and the complainant read them. */
const UPLOAD_MESSAGES: Record<string, string> = {
  'File too large': 'Berkas terlalu besar untuk diunggah',
  'Too many files': 'Hanya satu berkas per unggahan',
  'Unexpected field': 'Berkas harus dikirim pada isian "file"',
};

/** The framework's own English answers (an unknown route, the upload parser), in Indonesian. */
function frameworkMessage(message: string): string | undefined {
  const route = /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (.+)$/.exec(message);
  if (route) return `Alamat tidak dikenal: ${route[1]} ${route[2]}`;
  return UPLOAD_MESSAGES[message];
}

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const TOO_DEEP = {
  status: 400,
  message: `Isi permintaan bersarang terlalu dalam (maksimal ${MAX_JSON_DEPTH} tingkat)`,
};

/**
 * How the body parser refuses a body (its errors' `type`), with the status and what to tell the
 * client. Each is the client's doing, so none is a 500; the parser's own internal failures
 * (`stream.encoding.set`, `stream.not.readable`) are not here and stay server errors.
 */
const BODY_REFUSALS: Record<string, { status: number; message: string }> = {
  'entity.too.large': { status: 413, message: `Isi permintaan terlalu besar (maksimal ${BODY_LIMIT_LABEL})` },
  // What the depth check (json-depth.ts) throws, and how the parser wraps it.
  'entity.too.deep': TOO_DEEP,
  'entity.verify.failed': TOO_DEEP,
  'entity.parse.failed': { status: 400, message: 'Isi permintaan bukan JSON yang valid' },
  'charset.unsupported': {
    status: 415,
    message: 'Isi permintaan memakai charset yang tidak didukung; kirim dalam utf-8',
  },
  'encoding.unsupported': {
    status: 415,
    message: 'Content-Encoding isi permintaan tidak didukung; pakai gzip, deflate, br, atau tanpa kompresi',
  },
  'request.aborted': { status: 400, message: 'Permintaan terputus sebelum isinya lengkap' },
  'request.size.invalid': {
    status: 400,
    message: 'Panjang isi permintaan tidak sama dengan Content-Length-nya',
  },
};

/** The body parser's refusal an error is, if it is one (the API's filter and the console's pages). */
export function bodyRefusal(error: unknown): { status: number; message: string } | null {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && Object.hasOwn(BODY_REFUSALS, type) ? BODY_REFUSALS[type] : null;
}

/** Constraint names from the migrations that a client can trip, with what to tell it. */
const CONSTRAINTS: Record<string, { status: number; message: string }> = {
  uq_users_username: { status: 409, message: 'Nama pengguna sudah dipakai' },
  uq_cases_register_number: { status: 409, message: 'Nomor register sudah dipakai' },
};

/**
 * SQLSTATEs (and pool errors) that say the database cannot serve now, not that the request is
 * wrong: a statement or lock wait past its bound, a read-only or restarting server, a lost or
 * refused connection. Answered 503 with Retry-After, so clients and the console try again.
 */
const UNAVAILABLE_CODES = new Set(['57014', '55P03', '25006', '57P01', '57P02', '57P03', '53300', '40P01']);
const RETRY_AFTER_SECONDS = 5;

export function databaseUnavailable(exception: unknown): boolean {
  const e = exception as { code?: unknown; message?: unknown; driverError?: { code?: unknown } };
  const code =
    typeof e?.code === 'string' ? e.code : typeof e?.driverError?.code === 'string' ? e.driverError.code : '';
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}

/**
 * The one error shape of the API. Never lets a stack trace or SQL reach the client: unknown
 * errors are logged here and answered with a generic 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(@Optional() private readonly audit?: AuditService) {}

  /** A refused write is in the audit log before its answer is sent (request-audit.ts). */
  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, payload } = this.toPayload(exception);
    const refusal = RequestAudit.current()?.claimRefusal(status);
    if (refusal && this.audit)
      await RequestAudit.aside(() => this.audit!.recordRequest(refusal, databaseUnavailable(exception)));
    if (
      status === 429 &&
      typeof payload.details === 'object' &&
      payload.details &&
      'retryAfterSeconds' in payload.details
    ) {
      response.setHeader(
        'Retry-After',
        String((payload.details as { retryAfterSeconds: number }).retryAfterSeconds),
      );
    }
    if (status === 503 && payload.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(Number(payload.retryAfterSeconds)));
      delete payload.retryAfterSeconds;
    }
    response.status(status).json(payload);
  }

  toPayload(exception: unknown): { status: number; payload: Record<string, unknown> } {
    if (exception instanceof UnknownWorkflowError) {
      return {
        status: 409,
        payload: {
          statusCode: 409,
          error: STATUS_NAMES[409],
          message: `Kasus ini memakai alur kerja ${exception.workflowId} versi ${exception.workflowVersion} yang belum dikenal oleh server ini (pembaruan sedang berjalan); coba lagi sebentar lagi`,
          workflow: { id: exception.workflowId, version: exception.workflowVersion },
        },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      if (typeof raw === 'object' && raw && 'statusCode' in raw && 'error' in raw && 'message' in raw) {
        const r = raw as Record<string, unknown>;
        const message = Array.isArray(r.message) ? r.message.join('; ') : r.message;
        return { status, payload: { ...r, message: frameworkMessage(String(message)) ?? message } };
      }
      const message =
        typeof raw === 'string' ? raw : ((raw as { message?: string }).message ?? exception.message);
      return { status, payload: { statusCode: status, error: STATUS_NAMES[status] ?? 'Error', message } };
    }
    if (exception instanceof QueryFailedError) {
      const constraint = (exception as unknown as { constraint?: string }).constraint;
      const known = constraint ? CONSTRAINTS[constraint] : undefined;
      if (known) {
        return {
          status: known.status,
          payload: { statusCode: known.status, error: STATUS_NAMES[known.status], message: known.message },
        };
      }
    }
    if (databaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${describeError(exception)}`);
      return {
        status: 503,
        payload: {
          statusCode: 503,
          error: STATUS_NAMES[503],
          message: 'Basis data sedang tidak dapat melayani; coba lagi sebentar lagi',
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        },
      };
    }
    const refused = bodyRefusal(exception);
    if (refused) {
      return {
        status: refused.status,
        payload: {
          statusCode: refused.status,
          error: STATUS_NAMES[refused.status],
          message: refused.message,
        },
      };
    }
    this.logger.error(describeError(exception));
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      payload: { statusCode: 500, error: STATUS_NAMES[500], message: 'Terjadi kesalahan pada server' },
    };
  }
}
