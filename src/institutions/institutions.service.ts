import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { holdsAny, INSTITUTION_KEEPERS } from '../common/access-policy';
import type { AuthUser } from '../common/auth.decorators';
import { ConflictError, ForbiddenActionError, InvalidInputError, NotFoundError } from '../common/errors';
import { isUuid } from '../database/query-results';
import { exists, firstRow, queryRows } from '../database/sql';
import { ReferenceValidator } from '../reference/reference-validator';
import { RequestAudit } from '../audit/request-audit';
import { newId } from '../common/ids';

export interface InstitutionRow {
  id: string;
  name: string;
  email: string;
  extraEmails: string[];
  type: string | null;
  provinceCode: string | null;
  parentId: string | null;
  registeredByUnit: string | null;
  createdAt: Date;
}

export interface InstitutionInput {
  name?: string;
  email?: string;
  extraEmails?: string[];
  type?: string;
  provinceCode?: string;
  parentId?: string;
}

const COLUMNS = `id, name, email, extra_emails AS "extraEmails", type, province_code AS "provinceCode",
  parent_id AS "parentId", registered_by_unit AS "registeredByUnit", created_at AS "createdAt"`;
const AUDITED_FIELDS = ['name', 'email', 'extraEmails', 'type', 'provinceCode', 'parentId'] as const;

function mayChange(user: AuthUser, institution: { registeredByUnit: string | null }): boolean {
  if (user.roles.includes('ADMIN')) return true;
  return institution.registeredByUnit === user.unitCode && holdsAny(user.roles, INSTITUTION_KEEPERS);
}

/** "Polda Sumsel" and "POLDA  sumsel." are the same institution: compare names folded. */
export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Owner of `institutions`: the shared register of the institutions that receive letters. */
@Injectable()
export class InstitutionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly references: ReferenceValidator,
    private readonly audit: AuditService,
  ) {}

  async create(
    user: AuthUser,
    input: InstitutionInput & { name: string; email: string },
  ): Promise<InstitutionRow> {
    await this.check(input);
    await this.assertNameFree(input.name);
    const id = newId();
    RequestAudit.current()?.names(id);
    const [row] = await this.dataSource.transaction((em) =>
      queryRows<InstitutionRow>(
        em,
        `INSERT INTO institutions (id, name, name_key, email, extra_emails, type, province_code, parent_id,
         registered_by_unit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [
          id,
          input.name.trim(),
          nameKey(input.name),
          input.email.toLowerCase(),
          (input.extraEmails ?? []).map((e) => e.toLowerCase()),
          input.type ?? null,
          input.provinceCode ?? null,
          input.parentId ?? null,
          user.unitCode,
        ],
      ),
    );
    return row;
  }

  list(q?: string, provinceCode?: string): Promise<InstitutionRow[]> {
    return queryRows<InstitutionRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM institutions
        WHERE ($1::text IS NULL OR name_key LIKE '%' || $1 || '%')
          AND ($2::text IS NULL OR province_code = $2)
        ORDER BY name LIMIT 200`,
      [q?.trim() ? nameKey(q) : null, provinceCode ?? null],
    );
  }

  async get(id: string): Promise<InstitutionRow> {
    const row = isUuid(id)
      ? await firstRow<InstitutionRow>(this.dataSource, `SELECT ${COLUMNS} FROM institutions WHERE id = $1`, [
          id,
        ])
      : undefined;
    if (!row) throw new NotFoundError('Instansi');
    return row;
  }

  /** Changes an institution and audits the change with the values it replaced, in one transaction. */
  async update(
    user: AuthUser,
    id: string,
    input: InstitutionInput,
    address: string,
  ): Promise<InstitutionRow> {
    const current = await this.get(id);
    if (!mayChange(user, current)) {
      throw new ForbiddenActionError(
        'Data instansi hanya dapat diubah oleh ADMIN atau KASUBBID/KABID unit yang mendaftarkannya',
      );
    }
    await this.check(input, id);
    if (input.name) await this.assertNameFree(input.name, id);
    const name = input.name?.trim() ?? current.name;
    return this.dataSource.transaction(async (em) => {
      const [updated] = await queryRows<InstitutionRow>(
        em,
        `UPDATE institutions SET name = $2, name_key = $3, email = $4, extra_emails = $5, type = $6,
           province_code = $7, parent_id = $8
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          name,
          nameKey(name),
          input.email?.toLowerCase() ?? current.email,
          input.extraEmails?.map((e) => e.toLowerCase()) ?? current.extraEmails,
          input.type ?? current.type,
          input.provinceCode ?? current.provinceCode,
          input.parentId ?? current.parentId,
        ],
      );
      const changes = Object.fromEntries(
        AUDITED_FIELDS.filter((f) => JSON.stringify(current[f]) !== JSON.stringify(updated[f])).map((f) => [
          f,
          { from: current[f], to: updated[f] },
        ]),
      );
      await this.audit.record(
        {
          actor: user,
          address,
          action: 'INSTITUTION_UPDATED',
          method: 'PATCH',
          path: `/api/institutions/${id}`,
          entityType: 'institution',
          entityId: id,
          statusCode: 200,
          details: { changes },
        },
        em,
      );
      return updated;
    });
  }

  private async assertNameFree(name: string, selfId?: string): Promise<void> {
    const duplicate = await firstRow<{ id: string; name: string }>(
      this.dataSource,
      'SELECT id, name FROM institutions WHERE name_key = $1 AND ($2::uuid IS NULL OR id <> $2)',
      [nameKey(name), selfId ?? null],
    );
    if (duplicate)
      throw new ConflictError(`Instansi dengan nama yang sama sudah terdaftar: ${duplicate.name}`, {
        existingId: duplicate.id,
      });
  }

  private async check(input: InstitutionInput, selfId?: string): Promise<void> {
    const problems = await this.references.check([
      ...(input.type ? [{ field: 'type', kind: 'PIHAK_TERADU' as const, code: input.type }] : []),
      ...(input.provinceCode
        ? [{ field: 'provinceCode', kind: 'PROVINSI' as const, code: input.provinceCode }]
        : []),
    ]);
    if (input.parentId) {
      const found = await exists(this.dataSource, 'SELECT 1 FROM institutions WHERE id = $1', [
        input.parentId,
      ]);
      if (!found || input.parentId === selfId)
        problems.push({ field: 'parentId', reason: 'instansi induk tidak ditemukan' });
    }
    if (problems.length) throw new InvalidInputError(problems);
  }
}
