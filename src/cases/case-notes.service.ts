import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth.decorators';
import { ForbiddenActionError } from '../common/errors';
import { holdsAny, NOTE_WRITERS } from '../common/access-policy';
import { validateInto } from '../common/validation';
import { queryRows, writeRows } from '../database/sql';
import { NoteDto } from './case-event.dtos';
import { CasePeople, personOr, type Person } from './case-people';
import { CasesService } from './cases.service';
import { newId } from '../common/ids';

export interface CaseNote {
  id: string;
  text: string;
  author: Person;
  createdAt: string;
}

/**
 * Internal notes (catatan internal) of a case: written and read by the handling staff of its unit,
 * never edited nor deleted (the table refuses both), and never part of a mail, a letter, an
 * export or the public status: nothing but this service reads the table.
 */
@Injectable()
export class CaseNotesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CasesService,
    private readonly people: CasePeople,
  ) {}

  async add(user: AuthUser, caseId: string, body: Record<string, unknown>): Promise<CaseNote> {
    const row = await this.cases.findVisible(user, caseId);
    this.assertHandles(user, row.unitCode);
    const { text } = validateInto(NoteDto, body);
    // The request's audit row names the case (its route's id) and is written with the note.
    const [note] = await writeRows<{ id: string; createdAt: Date }>(
      this.dataSource,
      `INSERT INTO case_notes (id, case_id, author_id, author_username, text) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, created_at AS "createdAt"`,
      [newId(), row.id, user.id, user.username, text.trim()],
    );
    const author = personOr(await this.people.of([user.id]), user.id, user.username);
    return { id: note.id, text: text.trim(), author, createdAt: note.createdAt.toISOString() };
  }

  /** The case's notes, oldest first. */
  async list(user: AuthUser, caseId: string): Promise<CaseNote[]> {
    const row = await this.cases.findVisible(user, caseId);
    this.assertHandles(user, row.unitCode);
    const notes = await queryRows<{
      id: string;
      text: string;
      authorId: string;
      authorUsername: string;
      createdAt: Date;
    }>(
      this.dataSource,
      `SELECT id, text, author_id AS "authorId", author_username AS "authorUsername", created_at AS "createdAt"
         FROM case_notes WHERE case_id = $1 ORDER BY created_at, id`,
      [row.id],
    );
    const people = await this.people.of(notes.map((n) => n.authorId));
    return notes.map((n) => ({
      id: n.id,
      text: n.text,
      author: personOr(people, n.authorId, n.authorUsername),
      createdAt: n.createdAt.toISOString(),
    }));
  }

  private assertHandles(user: AuthUser, unitCode: string): void {
    if (user.unitCode !== unitCode || !holdsAny(user.roles, NOTE_WRITERS))
      throw new ForbiddenActionError(
        'Catatan internal hanya untuk petugas penanganan unit yang menangani kasus ini',
        {
          requiredRoles: [...NOTE_WRITERS],
        },
      );
  }
}
