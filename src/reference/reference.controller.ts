import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles } from '../common/auth.decorators';
import { InvalidInputError } from '../common/errors';
import { REFERENCE_KINDS, ReferenceKind } from './reference-item.entity';

export class UpsertReferenceItemDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ required: false })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

function kindOf(raw: string): ReferenceKind {
  const kind = raw.toUpperCase().replace(/-/g, '_') as ReferenceKind;
  if (!REFERENCE_KINDS.includes(kind))
    throw InvalidInputError.field('kind', `harus salah satu dari: ${REFERENCE_KINDS.join(', ')}`);
  return kind;
}

/** Basic rights (HAK), themes (TEMA), channels (SALURAN), reported parties (PIHAK_TERADU). */
@ApiTags('reference')
@ApiBearerAuth()
@Controller('reference')
export class ReferenceController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':kind')
  list(@Param('kind') kind: string) {
    return this.dataSource.query(
      `SELECT code, name, active FROM reference_items WHERE kind = $1 ORDER BY sort_order, code`,
      [kindOf(kind)],
    );
  }

  @Put(':kind/:code')
  @Roles('ADMIN')
  async upsert(
    @Param('kind') kind: string,
    @Param('code') code: string,
    @Body() dto: UpsertReferenceItemDto,
  ) {
    if (!/^[A-Z0-9_]{2,64}$/.test(code))
      throw InvalidInputError.field('code', 'hanya huruf besar, angka dan garis bawah; 2-64 karakter');
    const [row] = await this.dataSource.query(
      `INSERT INTO reference_items (kind, code, name, active, sort_order)
       VALUES ($1, $2, $3, $4, (SELECT coalesce(max(sort_order), 0) + 1 FROM reference_items))
       ON CONFLICT (kind, code) DO UPDATE SET name = EXCLUDED.name, active = EXCLUDED.active
       RETURNING code, name, active`,
      [kindOf(kind), code, dto.name, dto.active ?? true],
    );
    return row;
  }
}
