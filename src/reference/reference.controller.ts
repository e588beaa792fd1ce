import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ReferenceValidator } from './reference-validator';
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
  constructor(private readonly references: ReferenceValidator) {}

  @Get(':kind')
  list(@Param('kind') kind: string) {
    return this.references.list(kindOf(kind));
  }

  @Put(':kind/:code')
  @Roles('ADMIN')
  upsert(@Param('kind') kind: string, @Param('code') code: string, @Body() dto: UpsertReferenceItemDto) {
    if (!/^[A-Z0-9_]{2,64}$/.test(code))
      throw InvalidInputError.field('code', 'hanya huruf besar, angka dan garis bawah; 2-64 karakter');
    return this.references.upsert(kindOf(kind), { code, name: dto.name, active: dto.active ?? true });
  }
}
