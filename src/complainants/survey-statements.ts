/**
 * The survey's part of an event's one-statement commit: the invitation whose link the closing mail
 * carries. Only the complainants module writes survey_invitations.
 */
import type { StatementFragment } from '../database/sql';

/**
 * Stores the link's hash for the commit's case; a case closed again after a further follow-up gets
 * a fresh link, unless it was answered. `source` decides whether it is written (FROM upd ...).
 */
export function surveyInvitationFragment(
  tokenHash: string,
  now: Date,
  source: StatementFragment,
): StatementFragment {
  return (p) => `INSERT INTO survey_invitations (case_id, channel, token_hash, unit_code, created_at)
      SELECT upd.id, 'SUREL', ${p(tokenHash)}, upd."unitCode", ${p(now)}::timestamptz
        ${source(p)}
      ON CONFLICT (case_id, channel) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at
       WHERE survey_invitations.used_at IS NULL`;
}
