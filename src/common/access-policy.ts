/**
 * The access policy: who may see and act on which unit's data, and the role lists every module and
 * the console take their decisions from. No other file lists roles for a decision (the lint refuses
 * a second list, eslint.config.mjs); the workflow packs name the roles of each step themselves.
 */
import type { Role } from '../../workflows';
import type { AuthUser } from './auth.decorators';
import { NotFoundError } from './errors';

/** Roles that handle a case in their own unit: they see who complained and write to them. */
export const HANDLING_ROLES = [
  'PETUGAS',
  'KASUBBID',
  'KABID',
  'KADIV',
  'KAKANWIL',
] as const satisfies readonly Role[];

/**
 * The chain of command, lowest first; an overdue step goes up it. At the centre the same role
 * names mean analis ... Direktur Jenderal.
 */
export const CHAIN_OF_COMMAND: readonly Role[] = HANDLING_ROLES;

/** The heads of a unit: they receive the copies of the last reminder letters. */
export const UNIT_HEADS = ['KABID', 'KADIV', 'KAKANWIL'] as const satisfies readonly Role[];

/**
 * Who may stop the reminders to an institution that has not answered: the unit's heads, who
 * receive the escalation letters and answer for the case's closing.
 */
export const REMINDER_DECIDERS: readonly Role[] = UNIT_HEADS;

/** Who registers complaints at the desk. */
export const REGISTRARS = ['PETUGAS', 'KASUBBID'] as const satisfies readonly Role[];

/** The unit's officers: who may be named to handle a case or lead a mediation. */
export const OFFICERS: readonly Role[] = REGISTRARS;

/** Who gives a case to an officer of the unit, or takes it back to the unit's shared queue. */
export const ASSIGNERS = ['KASUBBID', 'KABID'] as const satisfies readonly Role[];

/** Who writes a case's internal notes: the unit's handling staff. */
export const NOTE_WRITERS: readonly Role[] = HANDLING_ROLES;

/** Who loads legacy tables (and who may correct the register of institutions of their unit). */
export const IMPORTERS = ['ADMIN', 'KASUBBID', 'KABID'] as const satisfies readonly Role[];

/** Who may send a failed mail again. */
export const MAIL_RESENDERS = ['ADMIN', 'PETUGAS', 'KASUBBID', 'KABID'] as const satisfies readonly Role[];

/** Who adds institutions to the shared register. */
export const INSTITUTION_WRITERS = ['ADMIN', ...HANDLING_ROLES] as const satisfies readonly Role[];

/** Who may change an institution their unit registered (ADMIN may change any). */
export const INSTITUTION_KEEPERS = ['KASUBBID', 'KABID'] as const satisfies readonly Role[];

/** Who watches the unit's deadlines on the dashboard. */
export const SUPERVISORS = [
  'KASUBBID',
  'KABID',
  'KADIV',
  'KAKANWIL',
  'PEMANTAU',
  'ADMIN',
] as const satisfies readonly Role[];

/** Whether any of `roles` is in `list`: the one way the lists above are asked. */
export function holdsAny(roles: readonly string[], list: readonly Role[]): boolean {
  return roles.some((r) => (list as readonly string[]).includes(r));
}

/**
 * What one user may see: its own unit's data; users of PUSAT and ADMIN see every unit's. Another
 * unit's data answers like missing data (404), so codes and ids reveal nothing.
 */
export class Scope {
  private constructor(
    readonly user: AuthUser,
    /** PUSAT and ADMIN: every unit. */
    readonly allUnits: boolean,
  ) {}

  static of(user: AuthUser): Scope {
    return new Scope(user, user.seesAllUnits);
  }

  /** The one unit the user is limited to, or null when it sees every unit. */
  get unitFilter(): string | null {
    return this.allUnits ? null : this.user.unitCode;
  }

  sees(unitCode: string): boolean {
    return this.allUnits || this.user.unitCode === unitCode;
  }

  /** Another unit's settings, schedules, cases and the like answer 404, as if they did not exist. */
  assertSees(unitCode: string, what = 'Unit'): void {
    if (!this.sees(unitCode)) throw new NotFoundError(what);
  }

  /** A user of the unit that holds the case, in a handling role. */
  handles(unitCode: string): boolean {
    return this.user.unitCode === unitCode && holdsAny(this.user.roles, HANDLING_ROLES);
  }

  /** Handles cases somewhere (its own unit), or is ADMIN: may be shown complainants' mail. */
  get handlesAny(): boolean {
    return this.user.roles.includes('ADMIN') || holdsAny(this.user.roles, HANDLING_ROLES);
  }

  /**
   * The SQL condition that limits `column` (a unit code) to what the user sees; its parameter is
   * appended to `params`, so the caller's numbering stays its own.
   */
  where(column: string, params: unknown[]): string {
    if (this.allUnits) return 'TRUE';
    params.push(this.user.unitCode);
    return `${column} = $${params.length}`;
  }
}
