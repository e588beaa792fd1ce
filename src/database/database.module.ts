import { CallHandler, ExecutionContext, Global, Injectable, Module, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { tap, type Observable } from 'rxjs';
import { ReadReplicas } from './read-replicas';

/** After a user's successful write, their reads go to the primary for a while (read-replicas.ts). */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly replicas: ReadReplicas) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { user?: { id: string } }>();
    if (!this.replicas.configured || request.method === 'GET' || request.method === 'HEAD')
      return next.handle();
    return next.handle().pipe(tap(() => request.user && this.replicas.noteWrite(request.user.id)));
  }
}

/** The read replicas, for every module that reads what may lag. */
@Global()
@Module({
  providers: [ReadReplicas, ReadYourWritesInterceptor],
  exports: [ReadReplicas, ReadYourWritesInterceptor],
})
export class DatabaseModule {}
