import type { AuthUser } from './auth.decorators';
import { NotFoundError } from './errors';

/**
 * Which units' data a user may see: its own; users of PUSAT and ADMIN see every unit's. Another
 * unit's data answers like missing data, so codes and ids reveal nothing.
 */
export function isVisible(user: AuthUser, unitCode: string): boolean {
  return user.seesAllUnits || user.unitCode === unitCode;
}

/** A unit's own settings, schedules, notice lists and the like: 404 for any other unit's user. */
export function assertUnitVisible(user: AuthUser, unitCode: string): void {
  if (!isVisible(user, unitCode)) throw new NotFoundError('Unit');
}
