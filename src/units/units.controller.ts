import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { type AuthUser, CurrentUser, Roles } from '../common/auth.decorators';
import { InvalidInputError } from '../common/errors';
import { UnitDirectory } from './unit-directory';

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
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: UnitDirectory,
  ) {}

  @Put('units/:code')
  @Roles('ADMIN')
  async upsert(@Param('code') code: string, @Body() dto: UpsertUnitDto) {
    if (!/^[A-Z0-9-]{3,32}$/.test(code))
      throw InvalidInputError.field('code', 'huruf besar, angka dan tanda hubung; 3-32 karakter');
    const problems = [];
    if (
      dto.provinceCode &&
      !(await this.dataSource.query('SELECT 1 FROM provinces WHERE code = $1', [dto.provinceCode])).length
    ) {
      problems.push({ field: 'provinceCode', reason: `kode provinsi "${dto.provinceCode}" tidak dikenal` });
    }
    if (
      dto.parentCode &&
      (dto.parentCode === code ||
        !(await this.dataSource.query('SELECT 1 FROM units WHERE code = $1', [dto.parentCode])).length)
    ) {
      problems.push({ field: 'parentCode', reason: `unit induk "${dto.parentCode}" tidak dikenal` });
    }
    if (problems.length) throw new InvalidInputError(problems);
    const [row] = await this.dataSource.query(
      `INSERT INTO units (code, name, kind, province_code, time_zone, parent_code, active) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, province_code = EXCLUDED.province_code,
         time_zone = EXCLUDED.time_zone, parent_code = EXCLUDED.parent_code, active = EXCLUDED.active
       RETURNING code, name, kind, province_code AS "provinceCode", time_zone AS "timeZone", parent_code AS "parentCode", active`,
      [
        code,
        dto.name,
        dto.kind,
        dto.provinceCode ?? null,
        dto.timeZone,
        dto.parentCode ?? null,
        dto.active ?? true,
      ],
    );
    await this.dataSource.query(
      'INSERT INTO unit_settings (unit_code) VALUES ($1) ON CONFLICT (unit_code) DO NOTHING',
      [code],
    );
    this.directory.invalidate();
    return row;
  }

  @Get('units')
  async units() {
    const rows = await this.dataSource.query(
      `SELECT code, name, kind, province_code AS "provinceCode", time_zone AS "timeZone", parent_code AS "parentCode", active
         FROM units ORDER BY kind DESC, code`,
    );
    return rows;
  }

  /** Regency names recorded for a province's complaints, most used first: suggestions for the intake form. */
  @Get('provinces/:code/regencies')
  async regencies(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    // Taken from the cases the caller may see: another unit's complaints tell it nothing.
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT locus_regency AS name FROM cases WHERE locus_province_code = $1 AND locus_regency IS NOT NULL AND ($2::boolean OR unit_code = $3)
        GROUP BY locus_regency ORDER BY count(*) DESC, locus_regency LIMIT 500`,
      [code, user.seesAllUnits, user.unitCode],
    );
    return rows.map((r) => r.name);
  }

  @Get('provinces')
  async provinces() {
    return this.dataSource.query(
      `SELECT code, name, kind, time_zone AS "timeZone" FROM provinces ORDER BY sort_order`,
    );
  }
}
