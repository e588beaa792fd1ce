import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '../../workflows';
import { queryRows } from '../database/sql';

export interface UserStatus {
  id: string;
  username: string;
  unitCode: string;
  roles: Role[];
  active: boolean;
  passwordChangedAt: Date;
  sessionVersion: number;
}

/** How long another instance may keep serving a user that was just deactivated or changed. */
export const USER_STATUS_TTL_MS = 2_000;

/**
 * The account state behind each token, read per request but cached for two seconds: the
 * instance that changes a user drops the entry at once, other instances follow within the TTL.
 */
@Injectable()
export class UserStatusCache {
  private readonly entries = new Map<string, { at: number; status: UserStatus | null }>();

  constructor(private readonly dataSource: DataSource) {}

  async get(id: string): Promise<UserStatus | null> {
    const hit = this.entries.get(id);
    if (hit && Date.now() - hit.at < USER_STATUS_TTL_MS) return hit.status;
    const [row] = await queryRows<UserStatus>(
      this.dataSource,
      `SELECT id, username, unit_code AS "unitCode", roles, active, password_changed_at AS "passwordChangedAt",
              session_version AS "sessionVersion" FROM users WHERE id = $1`,
      [id],
    );
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(id, { at: Date.now(), status: row ?? null });
    return row ?? null;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
