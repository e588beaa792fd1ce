import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Roles } from '../common/auth.decorators';
import { InvalidInputError } from '../common/errors';

export class CreateInstitutionDto {
  @ApiProperty({ example: 'Kepolisian Daerah Sumatera Selatan' })
  @IsString() @MinLength(2) @MaxLength(300)
  name: string;

  @ApiProperty() @IsEmail()
  email: string;

  @ApiPropertyOptional({ description: 'induk institusi, untuk eskalasi' }) @IsOptional() @IsUUID()
  parentId?: string;
}

const COLUMNS = `id, name, email, parent_id AS "parentId", created_at AS "createdAt"`;

@ApiTags('institutions')
@ApiBearerAuth()
@Controller('institutions')
export class InstitutionsController {
  constructor(private readonly dataSource: DataSource) {}

  @Post()
  @Roles('ADMIN', 'PETUGAS', 'KASUBBID', 'KABID', 'KADIV', 'KAKANWIL')
  async create(@Body() dto: CreateInstitutionDto) {
    if (dto.parentId) {
      const [parent] = await this.dataSource.query('SELECT 1 FROM institutions WHERE id = $1', [dto.parentId]);
      if (!parent) throw InvalidInputError.field('parentId', 'institusi induk tidak ditemukan');
    }
    const [row] = await this.dataSource.query(
      `INSERT INTO institutions (id, name, email, parent_id) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [randomUUID(), dto.name.trim(), dto.email.toLowerCase(), dto.parentId ?? null],
    );
    return row;
  }

  @Get()
  list(@Query('q') q?: string) {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM institutions WHERE ($1::text IS NULL OR name ILIKE '%' || $1 || '%') ORDER BY name LIMIT 200`,
      [q?.trim() || null],
    );
  }
}
