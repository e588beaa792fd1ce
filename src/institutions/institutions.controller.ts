import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { isUuid, returnedRows } from '../database/query-results';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { type AuthUser, clientAddress, CurrentUser, Roles } from '../common/auth.decorators';
import { ConflictError, ForbiddenActionError, InvalidInputError, NotFoundError } from '../common/errors';
import { ReferenceValidator } from '../reference/reference-validator';

export class CreateInstitutionDto {
  @ApiProperty({ example: 'Kepolisian Daerah Sumatera Selatan' })
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name: string;

  @ApiProperty()
  @IsEmail()
  email: string;

  @ApiPropertyOptional({ description: 'induk institusi, untuk eskalasi' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ type: [String], description: 'alamat lain yang menerima setiap surat' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(10)
  @IsEmail({}, { each: true })
  extraEmails?: string[];

  @ApiPropertyOptional({ example: 'KEPOLISIAN', description: 'jenis, dari daftar pihak teradu' })
  @IsOptional()
  @IsString()
  type?: string;

  @ApiPropertyOptional({ example: 'ID-SS' })
  @IsOptional()
  @IsString()
  provinceCode?: string;
}

export class UpdateInstitutionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(10)
  @IsEmail({}, { each: true })
  extraEmails?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  provinceCode?: string;
}

const COLUMNS = `id, name, email, extra_emails AS "extraEmails", type, province_code AS "provinceCode", parent_id AS "parentId",
  registered_by_unit AS "registeredByUnit", created_at AS "createdAt"`;
const WRITERS = ['ADMIN', 'PETUGAS', 'KASUBBID', 'KABID', 'KADIV', 'KAKANWIL'] as const;
/** Who may change a registered institution, besides ADMIN: the supervisors of the unit that registered it. */
const KEEPERS = ['KASUBBID', 'KABID'];
const AUDITED_FIELDS = ['name', 'email', 'extraEmails', 'type', 'provinceCode', 'parentId'] as const;

function mayChange(user: AuthUser, institution: { registeredByUnit: string | null }): boolean {
  if (user.roles.includes('ADMIN')) return true;
  return institution.registeredByUnit === user.unitCode && user.roles.some((r) => KEEPERS.includes(r));
}

/** "Polda Sumsel" and "POLDA  sumsel." are the same institution: compare names folded. */
export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

@ApiTags('institutions')
@ApiBearerAuth()
@Controller('institutions')
export class InstitutionsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly references: ReferenceValidator,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @Roles(...WRITERS)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateInstitutionDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.check(dto);
    const [duplicate] = await this.dataSource.query('SELECT id, name FROM institutions WHERE name_key = $1', [
      nameKey(dto.name),
    ]);
    if (duplicate) {
      throw new ConflictError(`Institusi dengan nama yang sama sudah terdaftar: ${duplicate.name}`, {
        existingId: duplicate.id,
      });
    }
    const [row] = await this.dataSource.query(
      `INSERT INTO institutions (id, name, name_key, email, extra_emails, type, province_code, parent_id, registered_by_unit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        randomUUID(),
        dto.name.trim(),
        nameKey(dto.name),
        dto.email.toLowerCase(),
        (dto.extraEmails ?? []).map((e) => e.toLowerCase()),
        dto.type ?? null,
        dto.provinceCode ?? null,
        dto.parentId ?? null,
        user.unitCode,
      ],
    );
    res.locals.auditEntityId = row.id;
    return row;
  }

  @Get()
  list(@Query('q') q?: string, @Query('provinceCode') provinceCode?: string) {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM institutions
        WHERE ($1::text IS NULL OR name_key LIKE '%' || $1 || '%')
          AND ($2::text IS NULL OR province_code = $2)
        ORDER BY name LIMIT 200`,
      [q?.trim() ? nameKey(q) : null, provinceCode ?? null],
    );
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const [row] = isUuid(id)
      ? await this.dataSource.query(`SELECT ${COLUMNS} FROM institutions WHERE id = $1`, [id])
      : [];
    if (!row) throw new NotFoundError('Institusi');
    return row;
  }

  /**
   * Changes an institution: ADMIN, or a supervisor of the unit that registered it. The change and
   * the values it replaced are audited in the same transaction. Mails already queued keep the
   * addresses they were queued with (the outbox seals them): nothing queued is redirected.
   */
  @Patch(':id')
  @Roles(...WRITERS)
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateInstitutionDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const current = (await this.get(id)) as Record<(typeof AUDITED_FIELDS)[number], unknown> & {
      name: string;
      registeredByUnit: string | null;
    };
    if (!mayChange(user, current)) {
      throw new ForbiddenActionError(
        'Data institusi hanya dapat diubah oleh ADMIN atau KASUBBID/KABID unit yang mendaftarkannya',
      );
    }
    await this.check(dto, id);
    if (dto.name) {
      const [duplicate] = await this.dataSource.query(
        'SELECT id, name FROM institutions WHERE name_key = $1 AND id <> $2',
        [nameKey(dto.name), id],
      );
      if (duplicate)
        throw new ConflictError(`Institusi dengan nama yang sama sudah terdaftar: ${duplicate.name}`, {
          existingId: duplicate.id,
        });
    }
    const name = dto.name?.trim() ?? current.name;
    return this.dataSource.transaction(async (em) => {
      const result: unknown[] = await em.query(
        `UPDATE institutions SET name = $2, name_key = $3, email = $4, extra_emails = $5, type = $6, province_code = $7, parent_id = $8
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          name,
          nameKey(name),
          dto.email?.toLowerCase() ?? current.email,
          dto.extraEmails?.map((e) => e.toLowerCase()) ?? current.extraEmails,
          dto.type ?? current.type,
          dto.provinceCode ?? current.provinceCode,
          dto.parentId ?? current.parentId,
        ],
      );
      const updated = returnedRows<Record<string, unknown>>(result)[0];
      const changes = Object.fromEntries(
        AUDITED_FIELDS.filter((f) => JSON.stringify(current[f]) !== JSON.stringify(updated[f])).map((f) => [
          f,
          { from: current[f], to: updated[f] },
        ]),
      );
      await this.audit.record(
        {
          actor: user,
          address: clientAddress(req),
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
      res.locals.audited = true;
      return updated;
    });
  }

  private async check(
    dto: { parentId?: string; type?: string; provinceCode?: string },
    selfId?: string,
  ): Promise<void> {
    const problems = await this.references.check([
      ...(dto.type ? [{ field: 'type', kind: 'PIHAK_TERADU' as const, code: dto.type }] : []),
      ...(dto.provinceCode
        ? [{ field: 'provinceCode', kind: 'PROVINSI' as const, code: dto.provinceCode }]
        : []),
    ]);
    if (dto.parentId) {
      const [parent] = await this.dataSource.query('SELECT 1 FROM institutions WHERE id = $1', [
        dto.parentId,
      ]);
      if (!parent || dto.parentId === selfId)
        problems.push({ field: 'parentId', reason: 'institusi induk tidak ditemukan' });
    }
    if (problems.length) throw new InvalidInputError(problems);
  }
}
