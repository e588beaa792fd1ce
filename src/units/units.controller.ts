import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Roles } from '../common/auth.decorators';
import { InvalidInputError } from '../common/errors';
import { UnitsService } from './units.service';

const ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];

/** Units are data: the ministry reorganises, and names and parents change with it. */
export class UpsertUnitDto {
  @ApiProperty()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ['PUSAT', 'KANWIL'] })
  @IsIn(['PUSAT', 'KANWIL'])
  kind: 'PUSAT' | 'KANWIL';

  @ApiProperty({ enum: ZONES })
  @IsIn(ZONES)
  timeZone: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  provinceCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  parentCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

@ApiTags('units')
@ApiBearerAuth()
@Controller()
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Put('units/:code')
  @Roles('ADMIN')
  async upsert(@Param('code') code: string, @Body() dto: UpsertUnitDto) {
    if (!/^[A-Z0-9-]{3,32}$/.test(code))
      throw InvalidInputError.field('code', 'huruf besar, angka dan tanda hubung; 3-32 karakter');
    const problems = [];
    if (dto.provinceCode && !(await this.units.provinceExists(dto.provinceCode))) {
      problems.push({ field: 'provinceCode', reason: `kode provinsi "${dto.provinceCode}" tidak dikenal` });
    }
    if (dto.parentCode && (dto.parentCode === code || !(await this.units.unitExists(dto.parentCode)))) {
      problems.push({ field: 'parentCode', reason: `unit induk "${dto.parentCode}" tidak dikenal` });
    }
    if (problems.length) throw new InvalidInputError(problems);
    return this.units.upsert({
      code,
      name: dto.name,
      kind: dto.kind,
      provinceCode: dto.provinceCode ?? null,
      timeZone: dto.timeZone,
      parentCode: dto.parentCode ?? null,
      active: dto.active ?? true,
    });
  }

  @Get('units')
  list() {
    return this.units.list();
  }

  @Get('provinces')
  provinces() {
    return this.units.provinces();
  }
}
