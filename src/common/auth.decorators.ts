import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../../workflows';

export const IS_PUBLIC = 'isPublic';
/** Marks a route that needs no token (login, health). Everything else is authenticated. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const ROLES_KEY = 'roles';
/** Restricts a route to users holding one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated caller, as the guard established it for this request. */
export interface AuthUser {
  id: string;
  username: string;
  unitCode: string;
  roles: Role[];
  /** Users of PUSAT see every unit's cases. */
  seesAllUnits: boolean;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});

export { clientAddress } from './client-address';
