import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { from, type Observable, switchMap } from 'rxjs';
import { AuditService } from './audit.service';
import { RequestAudit } from './request-audit';

/**
 * Tells the request's row the route's success status (its @HttpCode), and writes the row of a
 * success that wrote nothing before the answer is sent. Refusals are the error filter's.
 */
@Injectable()
export class RequestAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = RequestAudit.current();
    if (!request || context.getType() !== 'http') return next.handle();
    const code = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined;
    if (code !== undefined) request.successStatus = code;
    return next.handle().pipe(
      switchMap((value: unknown) =>
        from(
          (async () => {
            const entry = request.claim();
            if (entry) await this.audit.recordRequest(entry);
            return value;
          })(),
        ),
      ),
    );
  }
}
