/** The units module's parts of other modules' one-statement commits (it owns unit_settings). */
import type { StatementFragment } from '../database/sql';

/**
 * The FROM ... WHERE of a complainant's mail queued over a commit's `upd` row: it yields the row
 * only when the case's unit tells its complainants of `milestone` (a unit without settings of its
 * own tells them of every milestone).
 */
export function whenUnitTellsComplainants(milestone: string): StatementFragment {
  return (p) => `FROM upd LEFT JOIN unit_settings s ON s.unit_code = upd."unitCode"
                  WHERE s.unit_code IS NULL OR ${p(milestone)} = ANY(s.complainant_notices)`;
}
