/**
 * Who hears of an overdue step. Pure: roles come from the step's meta in the workflow version,
 * and the chain of command is the same four levels at the centre and in the regions.
 */
import { holdingRoles, type Role, type StepMeta } from '../../workflows';
import { CHAIN_OF_COMMAND } from '../common/access-policy';

const CHAIN = CHAIN_OF_COMMAND;

/** The step's holders (the workflow's one rule, holdingRoles) in the chain of command, lowest first. */
export function holderRoles(meta: StepMeta): Role[] {
  const holders = holdingRoles(meta);
  return CHAIN.filter((r) => holders.includes(r));
}

/**
 * Level 1, when the step becomes overdue: its holders and the next level up.
 * Level 2, when it stays overdue past the grace: the level above that.
 * At the top of the chain there is no one higher; the head of the unit hears of it again.
 */
export function escalationRoles(holders: Role[], level: 1 | 2): Role[] {
  if (holders.length === 0) return [];
  const top = Math.max(...holders.map((r) => CHAIN.indexOf(r)));
  const up = (n: number) => CHAIN[Math.min(top + n, CHAIN.length - 1)];
  return level === 1 ? [...new Set([...holders, up(1)])] : [up(2)];
}
