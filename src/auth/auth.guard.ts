import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthUser, IS_PUBLIC, ROLES_KEY } from '../common/auth.decorators';
import { ForbiddenActionError, TooManyRequestsError } from '../common/errors';
import type { Role } from '../../workflows';
import { AppConfig } from '../config/app-config';
import { TokenService } from './token.service';
import { UserStatusCache } from './user-status.cache';
import type { Request } from 'express';

const UNAUTHORIZED = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Autentikasi diperlukan: token tidak ada, tidak sah, atau kedaluwarsa',
};

/**
 * Global: every route needs a valid bearer token unless marked @Public(). The user is looked up
 * on each request, so a deactivated account or a changed password takes effect at once. Also
 * applies the per-user request limit and the @Roles() restriction of a route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UserStatusCache,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = request.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new UnauthorizedException(UNAUTHORIZED);
    let claims;
    try {
      claims = this.tokens.verify(match[1]);
    } catch {
      throw new UnauthorizedException(UNAUTHORIZED);
    }
    const row = await this.users.get(claims.sub);
    const passwordChanged = row && Math.floor(row.passwordChangedAt.getTime() / 1000) > claims.pwd;
    const signedOut = row && (claims.sv ?? 0) !== row.sessionVersion;
    if (!row || !row.active || passwordChanged || signedOut) throw new UnauthorizedException(UNAUTHORIZED);
    const user: AuthUser = {
      id: row.id,
      username: row.username,
      unitCode: row.unitCode,
      roles: row.roles,
      seesAllUnits: row.unitCode === 'PUSAT' || row.roles.includes('ADMIN'),
    };
    request.user = user;
    this.limitRate(user.id);
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required && !required.some((r) => user.roles.includes(r))) {
      throw new ForbiddenActionError(`Hanya untuk peran: ${required.join(', ')}`);
    }
    return true;
  }

  /** A fixed one-minute window per user and instance: cheap, and enough to stop a runaway client. */
  private limitRate(userId: string): void {
    const now = Date.now();
    const window = this.windows.get(userId);
    if (!window || now - window.start >= 60_000) {
      this.windows.set(userId, { start: now, count: 1 });
      if (this.windows.size > 10_000) this.windows.clear();
      return;
    }
    window.count += 1;
    if (window.count > this.config.RATE_LIMIT_PER_MINUTE) {
      throw new TooManyRequestsError(
        'Terlalu banyak permintaan; coba lagi sebentar lagi',
        Math.ceil((window.start + 60_000 - now) / 1000),
      );
    }
  }
}
