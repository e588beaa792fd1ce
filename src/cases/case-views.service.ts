import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth.decorators';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { validateInto } from '../common/validation';
import { isUuid } from '../database/query-results';
import { queryRows, writeRows } from '../database/sql';
import { ListCasesQuery } from './list-cases.query';
import { newId } from '../common/ids';

/** Views a user may keep; a list of named filters stays a list one can read at a glance. */
export const CASE_VIEWS_PER_USER = 30;

/**
 * The filters a view may keep: the case list's own query fields. Not the complainant's name (a
 * search by name is a reveal, audited each time, never kept), nor the page or the work queue.
 */
export const VIEW_FILTERS = [
  'q',
  'state',
  'category',
  'overdue',
  'dueSoon',
  'year',
  'unitCode',
  'assignee',
  'sort',
] as const;

export interface CaseView {
  id: string;
  name: string;
  filters: Partial<Record<(typeof VIEW_FILTERS)[number], string>>;
  createdAt: Date;
}

const COLUMNS = `id, name, filters, created_at AS "createdAt"`;

/** Saved views of the case list: each user's own named filters, read and changed by that user only. */
@Injectable()
export class CaseViewsService {
  constructor(private readonly dataSource: DataSource) {}

  list(user: AuthUser): Promise<CaseView[]> {
    return queryRows<CaseView>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM case_views WHERE user_id = $1 ORDER BY lower(name), id`,
      [user.id],
    );
  }

  /** Saves the filters under a name; the same name (in any case) again replaces its filters. */
  async save(user: AuthUser, body: Record<string, unknown>): Promise<CaseView> {
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const problems: { field: string; reason: string }[] = [];
    if (name.length < 1 || name.length > 80)
      problems.push({ field: 'name', reason: 'wajib diisi, 1-80 karakter' });
    const raw = body.filters;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      problems.push({ field: 'filters', reason: 'harus objek isian daftar kasus' });
    if (problems.length) throw new InvalidInputError(problems);
    const given = raw as Record<string, unknown>;
    for (const key of Object.keys(given))
      if (!(VIEW_FILTERS as readonly string[]).includes(key))
        problems.push({
          field: `filters.${key}`,
          reason:
            key === 'complainant'
              ? 'pencarian nama pengadu tidak dapat disimpan'
              : `tidak dikenal; yang dapat disimpan: ${VIEW_FILTERS.join(', ')}`,
        });
    if (problems.length) throw new InvalidInputError(problems);
    // Checked as the list checks them, so a saved view always opens.
    const strings = Object.fromEntries(
      Object.entries(given)
        .filter(([, value]) => value !== undefined && value !== null && value !== '')
        .map(([key, value]) => [key, String(value)]),
    );
    validateInto(ListCasesQuery, strings, 'filters');
    const saved = await writeRows<CaseView & { kept: number }>(
      this.dataSource,
      `WITH kept AS (SELECT count(*)::int AS n FROM case_views WHERE user_id = $1 AND lower(name) <> lower($2))
       INSERT INTO case_views (id, user_id, name, filters)
       SELECT $5, $1, $2, $3::jsonb FROM kept WHERE kept.n < $4
       ON CONFLICT (user_id, lower(name)) DO UPDATE SET filters = EXCLUDED.filters, name = EXCLUDED.name
       RETURNING ${COLUMNS}`,
      [user.id, name, JSON.stringify(strings), CASE_VIEWS_PER_USER, newId()],
    );
    if (!saved.length)
      throw InvalidInputError.field(
        'name',
        `paling banyak ${CASE_VIEWS_PER_USER} tampilan; hapus yang tidak dipakai`,
      );
    return saved[0];
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    const gone = isUuid(id)
      ? await writeRows<{ id: string }>(
          this.dataSource,
          'DELETE FROM case_views WHERE id = $1 AND user_id = $2 RETURNING id',
          [id, user.id],
        )
      : [];
    if (!gone.length) throw new NotFoundError('Tampilan tersimpan');
  }
}
