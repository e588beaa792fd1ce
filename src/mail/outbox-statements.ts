/**
 * The outbox's parts of other modules' one-statement commits: a mail queued with an event, and the
 * cancellation of mails an event makes pointless. Only the mail module writes outbox_messages.
 */
import type { StatementFragment } from '../database/sql';
import { messageIdOf, OUTBOX_INSERT_COLUMNS, type OutboxRecord } from './outbox.service';
import { newId } from '../common/ids';

export interface QueuedWithEvent {
  kind: string;
  audience: 'PENGADU' | 'INSTITUSI' | 'PETUGAS';
  /** SQL for the mail's dedupe key, over the commit's `upd` row (a fragment when it binds values). */
  dedupeKeySql: string | StatementFragment;
  record: OutboxRecord;
  now: Date;
  /** A document of the case sent with the mail (the signed letter). */
  attachmentId?: string | null;
}

/**
 * Queues one mail for the case the commit updated, once per dedupe key. `source` is the FROM ...
 * WHERE clause that decides whether it is sent at all (it must yield the `upd` row or nothing).
 */
export function queueMailFragment(mail: QueuedWithEvent, source: StatementFragment): StatementFragment {
  const id = newId();
  return (p) => `INSERT INTO outbox_messages (${OUTBOX_INSERT_COLUMNS})
    SELECT ${p(id)}::uuid, ${p(mail.kind)}, ${typeof mail.dedupeKeySql === 'string' ? mail.dedupeKeySql : mail.dedupeKeySql(p)}, ${p(messageIdOf(id))}, ${p(mail.audience)},
           ${p(mail.record.shownTo)}::text[], ${p(mail.record.subject)}, ${p(mail.record.shownText)},
           ${p(mail.record.shownHtml)}, ${p(mail.record.sealed)}::bytea,
           upd.id, upd."unitCode", 'PENDING', ${p(mail.now)}::timestamptz, ${p(mail.attachmentId ?? null)}::uuid
      ${source(p)}
    ON CONFLICT (dedupe_key) DO NOTHING`;
}

/**
 * Cancels the mails of the commit's case still waiting whose dedupe key matches one of the
 * patterns `keyPatterns` selects (a subquery of LIKE patterns, from the module that queued them).
 */
export function cancelPendingFragment(keyPatterns: StatementFragment, reason: string): StatementFragment {
  return (p) => `UPDATE outbox_messages o SET status = 'CANCELLED', last_error = ${p(reason)}
      FROM upd
     WHERE o.case_id = upd.id AND o.status = 'PENDING'
       AND o.dedupe_key LIKE ANY (ARRAY(${keyPatterns(p)}))`;
}
