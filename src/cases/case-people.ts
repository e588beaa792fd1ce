import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/sql';

/** A user as a case names them: its assignee, a note's author. */
export interface Person {
  id: string;
  username: string;
  fullName: string;
}

/** How long a name is kept: a renamed officer shows under the new name within this time. */
const KEPT_MS = 30_000;
const MOST_KEPT = 5_000;

/**
 * The names of the people a case shows, read once for many cases and kept briefly: the event path
 * answers every event with its case, whose assignee rarely changes.
 */
@Injectable()
export class CasePeople {
  private readonly kept = new Map<string, { person: Person | null; until: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async of(ids: readonly (string | null | undefined)[]): Promise<Map<string, Person>> {
    const now = Date.now();
    const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
    const missing = wanted.filter((id) => (this.kept.get(id)?.until ?? 0) <= now);
    if (missing.length > 0) {
      const rows = await queryRows<Person>(
        this.dataSource,
        'SELECT id, username, full_name AS "fullName" FROM users WHERE id = ANY($1::uuid[])',
        [missing],
      );
      if (this.kept.size + missing.length > MOST_KEPT) this.kept.clear();
      for (const id of missing)
        this.kept.set(id, { person: rows.find((r) => r.id === id) ?? null, until: now + KEPT_MS });
    }
    const found = new Map<string, Person>();
    for (const id of wanted) {
      const person = this.kept.get(id)?.person;
      if (person) found.set(id, person);
    }
    return found;
  }
}

/** The person read for `id`, or one named by the username recorded with the row (a deleted account). */
export function personOr(people: ReadonlyMap<string, Person>, id: string, username: string): Person {
  return people.get(id) ?? { id, username, fullName: username };
}
