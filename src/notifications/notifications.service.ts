import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth.decorators';
import { NotFoundError } from '../common/errors';
import { queryRows, writeRows } from '../database/sql';

export interface NewNotification {
  caseId: string | null;
  kind: string;
  dedupeKey: string;
  title: string;
  body: string;
}

@Injectable()
export class NotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Notifies each user once per dedupe key; returns the users actually notified now. */
  async notify(em: EntityManager, userIds: string[], n: NewNotification): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await queryRows<{ user_id: string }>(
      em,
      `INSERT INTO notifications (user_id, case_id, kind, dedupe_key, title, body)
       SELECT u, $2, $3, $4, $5, $6 FROM unnest($1::uuid[]) AS u
       ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING user_id`,
      [userIds, n.caseId, n.kind, n.dedupeKey, n.title, n.body],
    );
    return rows.map((r) => r.user_id);
  }

  /** Tells every active administrator, in one statement; answers who was told (once per dedupe key). */
  async notifyAdministrators(em: EntityManager, n: NewNotification): Promise<string[]> {
    const rows = await queryRows<{ user_id: string }>(
      em,
      `INSERT INTO notifications (user_id, case_id, kind, dedupe_key, title, body)
       SELECT u.id, $1, $2, $3, $4, $5 FROM users u WHERE u.active AND 'ADMIN' = ANY(u.roles)
       ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING user_id`,
      [n.caseId, n.kind, n.dedupeKey, n.title, n.body],
    );
    return rows.map((r) => r.user_id);
  }

  list(user: AuthUser, unreadOnly: boolean) {
    return queryRows<{
      id: string;
      caseId: string | null;
      kind: string;
      title: string;
      body: string;
      createdAt: Date;
      readAt: Date | null;
    }>(
      this.dataSource,
      `SELECT id, case_id AS "caseId", kind, title, body, created_at AS "createdAt", read_at AS "readAt"
         FROM notifications WHERE user_id = $1 AND (NOT $2::boolean OR read_at IS NULL)
        ORDER BY created_at DESC, id DESC LIMIT 200`,
      [user.id, unreadOnly],
    );
  }

  async markRead(user: AuthUser, id: string) {
    // A bigint id: anything else, or a number past its range, is simply not found.
    const updated = /^\d{1,18}$/.test(id)
      ? await writeRows<{ id: string; readAt: Date }>(
          this.dataSource,
          `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2
           RETURNING id, read_at AS "readAt"`,
          [id, user.id],
        )
      : [];
    if (!updated.length) throw new NotFoundError('Notifikasi');
    return updated[0];
  }
}
