import { Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AuthUser, CurrentUser, Roles } from '../common/auth.decorators';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { parsePeriod } from './period';
import { DIMENSIONS, RECAP_COLUMNS, ReportsService, type Dimension, type RecapColumn, type RecapRow } from './reports.service';

export class ReportQuery {
  @ApiProperty({ example: 'KANWIL-SS', description: 'kode unit, atau ALL (nasional)' }) @IsString()
  unitCode: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: [1, 2] }) @IsOptional() @Type(() => Number) @IsIn([1, 2])
  semester?: number;

  @ApiPropertyOptional({ enum: [1, 2, 3, 4], description: 'triwulan' }) @IsOptional() @Type(() => Number) @IsIn([1, 2, 3, 4])
  quarter?: number;

  @ApiPropertyOptional({ example: 'B03' }) @IsOptional() @IsString()
  month?: string;

  @ApiPropertyOptional({ example: '2024-01-01' }) @IsOptional() @IsString()
  from?: string;

  @ApiPropertyOptional({ example: '2024-12-31' }) @IsOptional() @IsString()
  to?: string;

  @ApiPropertyOptional({ example: '2025-01-08', description: 'tanggal batas data (cut-off)' }) @IsOptional() @IsString()
  asOf?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class DrillDownQuery extends ReportQuery {
  @ApiProperty({ enum: RECAP_COLUMNS }) @IsIn(RECAP_COLUMNS)
  column: RecapColumn;

  @ApiPropertyOptional() @IsOptional() @IsString()
  provinceCode?: string;
}

export class BreakdownQuery extends ReportQuery {
  @ApiProperty({ enum: Object.keys(DIMENSIONS) }) @IsIn(Object.keys(DIMENSIONS))
  dimension: Dimension;
}

export class IndicatorQuery {
  @ApiProperty() @IsString()
  unitCode: string;

  @ApiProperty() @Type(() => Number) @IsInt() @Min(2000) @Max(2100)
  year: number;

  @ApiPropertyOptional() @IsOptional() @IsString()
  asOf?: string;
}

export class SeriesQuery extends IndicatorQuery {
  @ApiPropertyOptional({ enum: ['month', 'quarter'] }) @IsOptional() @IsIn(['month', 'quarter'])
  by?: 'month' | 'quarter';
}

export class TargetDto {
  @ApiProperty({ example: 50 }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.01) @Max(1000)
  targetPercent: number;

  @ApiProperty({ enum: ['DITERIMA', 'TARGET'] }) @IsIn(['DITERIMA', 'TARGET'])
  denominator: 'DITERIMA' | 'TARGET';

  @ApiPropertyOptional({ example: 288, description: 'jumlah penanganan yang direncanakan (untuk TARGET)' })
  @IsOptional() @IsInt() @Min(1)
  targetCount?: number;
}

const HEADERS = ['No', 'Provinsi', 'PROSES', 'FILE', 'TELAAH FILE', 'TELAAH REKOMENDASI', 'REKOMENDASI', 'JUMLAH', 'TANGGAPAN', 'KASUS DITANGGAPI'];

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly dataSource: DataSource,
  ) {}

  @Get('reports/rekapitulasi')
  async recap(@CurrentUser() user: AuthUser, @Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    this.reports.assertScope(user, q.unitCode);
    const period = parsePeriod(q);
    const asOf = await this.reports.cutOff(q.unitCode, q.asOf);
    const recap = await this.reports.recap(q.unitCode, period, asOf);
    const meta = { unitCode: q.unitCode, period: { from: period.from, to: period.to, label: period.label }, asOf: asOf.toISOString() };
    if (q.format !== 'csv') return { ...meta, ...recap };
    const unitName = q.unitCode === 'ALL' ? 'Nasional (semua unit)' : (await this.dataSource.query('SELECT name FROM units WHERE code = $1', [q.unitCode]))[0]?.name;
    const line = (cells: (string | number)[]) => cells.map(csvCell).join(',');
    const body = [
      line(['Rekapitulasi Pengaduan Dugaan Pelanggaran HAM']),
      line([`Unit: ${unitName}`]),
      line([`Periode: ${period.label}`]),
      line([`Data per: ${q.asOf ?? asOf.toISOString().slice(0, 10)}`]),
      line(HEADERS),
      ...recap.rows.map((r: RecapRow, i: number) => line([i + 1, r.provinceName, ...RECAP_COLUMNS.map((c) => r[c])])),
      line(['', 'JUMLAH', ...RECAP_COLUMNS.map((c) => recap.totals[c])]),
    ].join('\r\n');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="rekapitulasi-${q.unitCode}-${period.from}.csv"`);
    // A byte-order mark, so spreadsheet programs read the names as UTF-8.
    return `\uFEFF${body}\r\n`;
  }

  @Get('reports/rekapitulasi/cases')
  async drillDown(@CurrentUser() user: AuthUser, @Query() q: DrillDownQuery) {
    this.reports.assertScope(user, q.unitCode);
    const period = parsePeriod(q);
    const asOf = await this.reports.cutOff(q.unitCode, q.asOf);
    const cases = await this.reports.cases(q.unitCode, period, asOf, q.column, q.provinceCode);
    return { unitCode: q.unitCode, period, asOf: asOf.toISOString(), column: q.column, provinceCode: q.provinceCode ?? null, total: cases.length, cases };
  }

  @Get('reports/breakdown')
  async breakdown(@CurrentUser() user: AuthUser, @Query() q: BreakdownQuery) {
    this.reports.assertScope(user, q.unitCode);
    const period = parsePeriod(q);
    const asOf = await this.reports.cutOff(q.unitCode, q.asOf);
    return { unitCode: q.unitCode, period, asOf: asOf.toISOString(), ...(await this.reports.breakdown(q.unitCode, period, asOf, q.dimension)) };
  }

  @Get('indicators/ditindaklanjuti/series')
  async series(@CurrentUser() user: AuthUser, @Query() q: SeriesQuery) {
    this.reports.assertScope(user, q.unitCode);
    return this.reports.indicatorSeries(q.unitCode, q.year, q.by ?? 'month', await this.reports.cutOff(q.unitCode, q.asOf));
  }

  @Get('indicators/ditindaklanjuti')
  async indicator(@CurrentUser() user: AuthUser, @Query() q: IndicatorQuery) {
    this.reports.assertScope(user, q.unitCode);
    return this.reports.indicator(q.unitCode, q.year, await this.reports.cutOff(q.unitCode, q.asOf));
  }

  @Put('indicators/ditindaklanjuti/targets/:unitCode/:year')
  @Roles('ADMIN')
  async setTarget(@Param('unitCode') unitCode: string, @Param('year') rawYear: string, @Body() dto: TargetDto) {
    const year = Number(rawYear);
    if (!/^\d{4}$/.test(rawYear)) throw InvalidInputError.field('year', 'harus tahun empat digit');
    if (dto.denominator === 'TARGET' && !dto.targetCount) throw InvalidInputError.field('targetCount', 'wajib diisi untuk penyebut TARGET');
    if (unitCode !== 'ALL' && !(await this.dataSource.query('SELECT 1 FROM units WHERE code = $1', [unitCode])).length) throw new NotFoundError('Unit');
    const [row] = await this.dataSource.query(
      `INSERT INTO indicator_targets (unit_code, year, target_percent, denominator, target_count) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (unit_code, year) DO UPDATE SET target_percent = EXCLUDED.target_percent, denominator = EXCLUDED.denominator,
         target_count = EXCLUDED.target_count, updated_at = now()
       RETURNING unit_code AS "unitCode", year, target_percent::float AS "targetPercent", denominator, target_count AS "targetCount"`,
      [unitCode, year, dto.targetPercent, dto.denominator, dto.denominator === 'TARGET' ? dto.targetCount : null],
    );
    return row;
  }
}
