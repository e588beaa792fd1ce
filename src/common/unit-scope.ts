import type { AuthUser } from './auth.decorators';
import { NotFoundError } from './errors';

/**
 * Which units' data a user may see: its own; users of PUSAT and ADMIN see every unit's. Another
 * unit's data answers like missing data, so codes and ids reveal nothing.
 */
export function isVisible(user: AuthUser, unitCode: string): boolean {
  return user.seesAllUnits || user.unitCode === unitCode;
}

/** Roles that handle a case in their own unit and so may see who complained (and write to them). */
export const HANDLING_ROLES: readonly string[] = ['PETUGAS', 'KASUBBID', 'KABID', 'KADIV', 'KAKANWIL'];

/** A user of the unit that holds the case, in a handling role. */
export function handlesCase(user: AuthUser, unitCode: string): boolean {
  return user.unitCode === unitCode && user.roles.some((r) => HANDLING_ROLES.includes(r));
}

/** A unit's own settings, schedules, notice lists and the like: 404 for any other unit's user. */
export function assertUnitVisible(user: AuthUser, unitCode: string): void {
  if (!isVisible(user, unitCode)) throw new NotFoundError('Unit');
}
