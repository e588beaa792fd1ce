/**
 * The dispatches' parts of an event's one-statement commit: KIRIM_SURAT opens one dispatch per
 * institution, TANGGAPAN closes that institution's and names the reminders it makes pointless, and
 * a decision to stop the reminders (one dispatch, or all that wait when a case closes) stops them.
 * Only the reminders module writes dispatches.
 */
import { newId } from '../common/ids';
import type { StatementFragment } from '../database/sql';

export interface OpenedDispatches {
  round: number;
  letterNumber: unknown;
  institutionIds: string[];
  /** The signed letter mailed with the round, when the desk attached one. */
  letterAttachmentId: string | null;
  at: Date;
  dueAt: Date;
  nextCheckAt: Date | null;
}

export function openDispatchesFragment(d: OpenedDispatches): StatementFragment {
  const ids = d.institutionIds.map(() => newId());
  return (
    p,
  ) => `INSERT INTO dispatches (id, case_id, institution_id, round, unit_code, letter_number, sent_at, due_at,
                                        status, next_reminder_check_at, letter_attachment_id)
      SELECT x.id, upd.id, x.inst, ${p(d.round)}::int, upd."unitCode", ${p(d.letterNumber)},
             ${p(d.at)}::timestamptz, ${p(d.dueAt)}::timestamptz, 'MENUNGGU', ${p(d.nextCheckAt)}::timestamptz,
             ${p(d.letterAttachmentId)}::uuid
        FROM upd, unnest(${p(ids)}::uuid[], ${p(d.institutionIds)}::uuid[]) AS x(id, inst)`;
}

export function closeDispatchFragment(institutionId: string, at: Date): StatementFragment {
  return (p) => `UPDATE dispatches d SET status = 'DITANGGAPI', responded_at = ${p(at)}::timestamptz,
                                        next_reminder_check_at = NULL
      FROM upd WHERE d.case_id = upd.id AND d.institution_id = ${p(institutionId)}::uuid
       -- A late answer after the reminders were stopped still counts as the answer.
       AND d.status IN ('MENUNGGU', 'DIHENTIKAN')
    RETURNING d.id`;
}

/** The dedupe-key patterns of the reminders queued for one institution's dispatches of the case. */
export function reminderKeysFragment(institutionId: string): StatementFragment {
  return (p) => `SELECT 'reminder:' || d.id || ':%' FROM dispatches d
      WHERE d.case_id = upd.id AND d.institution_id = ${p(institutionId)}::uuid`;
}

export interface ReminderStop {
  /** One dispatch of the case, or null for every one still waiting. */
  dispatchId: string | null;
  at: Date;
  reason: string;
  userId: string | null;
}

/** Stops the reminders of the commit's case's waiting dispatches (one, or all), with the decision. */
export function stopDispatchesFragment(stop: ReminderStop): StatementFragment {
  return (p) => `UPDATE dispatches d SET status = 'DIHENTIKAN', next_reminder_check_at = NULL,
                                        stopped_at = ${p(stop.at)}::timestamptz, stopped_by = ${p(stop.userId)}::uuid,
                                        stop_reason = ${p(stop.reason)}
      FROM upd WHERE d.case_id = upd.id AND d.status = 'MENUNGGU'
       AND (${p(stop.dispatchId)}::uuid IS NULL OR d.id = ${p(stop.dispatchId)}::uuid)
    RETURNING d.id`;
}

/** The dedupe-key patterns of the reminders queued for the case's waiting dispatches (one, or all). */
export function waitingReminderKeysFragment(dispatchId: string | null): StatementFragment {
  return (p) => `SELECT 'reminder:' || d.id || ':%' FROM dispatches d
      WHERE d.case_id = upd.id AND d.status = 'MENUNGGU'
        AND (${p(dispatchId)}::uuid IS NULL OR d.id = ${p(dispatchId)}::uuid)`;
}
