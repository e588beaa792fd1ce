import { IsCalendarDate, PageField } from '../common/query-fields';
import { formatLocalDate } from '../common/format';
import { Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { UnitsService } from '../units/units.service';
import { restore, stepMeta, WorkflowRegistry } from '../../workflows';
import { AuthUser, CurrentUser, Roles } from '../common/auth.decorators';
import { InvalidInputError } from '../common/errors';
import { parsePeriod, type Period } from './period';
import { sendTable, type ReportTable } from './report-table';
import { CATEGORY_COLUMNS, RECAP_COLUMN_SPECS } from './recap-columns';
import {
  DIMENSIONS,
  RECAP_COLUMNS,
  ReportsService,
  type Dimension,
  type RecapColumn,
  type RecapRow,
} from './reports.service';

export class ReportQuery {
  @ApiProperty({ example: 'KANWIL-SS', description: 'kode unit, atau ALL (nasional)' })
  @IsString()
  unitCode: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: [1, 2] })
  @IsOptional()
  @Type(() => Number)
  @IsIn([1, 2])
  semester?: number;

  @ApiPropertyOptional({ enum: [1, 2, 3, 4], description: 'triwulan' })
  @IsOptional()
  @Type(() => Number)
  @IsIn([1, 2, 3, 4])
  quarter?: number;

  @ApiPropertyOptional({ example: 'B03' })
  @IsOptional()
  @IsString()
  month?: string;

  @ApiPropertyOptional({ example: '2024-01-01' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2024-12-31' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ example: '2025-01-08', description: 'tanggal batas data (cut-off)' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'] })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class DrillDownQuery extends ReportQuery {
  @ApiProperty({ enum: RECAP_COLUMNS })
  @IsIn(RECAP_COLUMNS)
  column: RecapColumn;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  provinceCode?: string;

  @PageField('halaman; tanpa ini semua kasus')
  page?: number;

  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  pageSize?: number;
}

export class BreakdownQuery extends ReportQuery {
  @ApiProperty({ enum: Object.keys(DIMENSIONS) })
  @IsIn(Object.keys(DIMENSIONS))
  dimension: Dimension;
}

export class IndicatorQuery {
  @ApiProperty()
  @IsString()
  unitCode: string;

  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  @ApiPropertyOptional({ example: '2025-01-08', description: 'tanggal batas data (cut-off)' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class SeriesQuery extends IndicatorQuery {
  @ApiPropertyOptional({ enum: ['month', 'quarter'] })
  @IsOptional()
  @IsIn(['month', 'quarter'])
  by?: 'month' | 'quarter';

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'] })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class ExaminationQuery extends IndicatorQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'] })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class TargetDto {
  @ApiProperty({ example: 50 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(1000)
  targetPercent: number;

  @ApiProperty({ enum: ['DITERIMA', 'TARGET'] })
  @IsIn(['DITERIMA', 'TARGET'])
  denominator: 'DITERIMA' | 'TARGET';

  @ApiPropertyOptional({ example: 288, description: 'jumlah penanganan yang direncanakan (untuk TARGET)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  targetCount?: number;
}

const DIMENSION_TITLES: Record<Dimension, string> = {
  rights: 'Hak Dasar',
  theme: 'Tema',
  reportedParty: 'Pihak Teradu',
  channel: 'Saluran',
  regency: 'Kabupaten/Kota',
  unit: 'Unit',
  month: 'Bulan',
};

const HEADERS = ['No', 'Provinsi', ...RECAP_COLUMN_SPECS.map((c) => c.header)];
const CATEGORY_HEADERS = CATEGORY_COLUMNS.map((c) => c.header);
const CATEGORY_KEYS = CATEGORY_COLUMNS.map((c) => c.key);

@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly units: UnitsService,
    private readonly registry: WorkflowRegistry,
  ) {}

  @Get('reports/rekapitulasi')
  async recap(
    @CurrentUser() user: AuthUser,
    @Query() q: ReportQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    this.reports.assertScope(user, q.unitCode);
    const period = parsePeriod(q);
    const asOf = await this.reports.cutOff(q.unitCode, q.asOf);
    const recap = await this.reports.recap(q.unitCode, period, asOf);
    const meta = {
      unitCode: q.unitCode,
      period: { from: period.from, to: period.to, label: period.label },
      asOf: asOf.toISOString(),
    };
    const table: ReportTable = {
      title: 'Rekapitulasi Pengaduan Dugaan Pelanggaran HAM',
      meta: await this.metaLines(q.unitCode, period, asOf),
      headers: HEADERS,
      rows: recap.rows.map((r: RecapRow, i: number) => [
        i + 1,
        r.provinceName,
        ...RECAP_COLUMNS.map((c) => r[c]),
      ]),
      total: ['', 'JUMLAH', ...RECAP_COLUMNS.map((c) => recap.totals[c])],
      sheetName: 'Rekapitulasi',
    };
    return (
      (await sendTable(res, q.format, table, `rekapitulasi-${q.unitCode}-${period.from}`)) ?? {
        ...meta,
        ...recap,
      }
    );
  }

  /** The lines above an export's table; the cut-off is a local date of the unit's zone, as the page shows it. */
  private async metaLines(unitCode: string, period: Period, asOf: Date): Promise<string[]> {
    const unitName = unitCode === 'ALL' ? 'Nasional (semua unit)' : await this.units.name(unitCode);
    const zone = await this.reports.zoneOf(unitCode);
    return [`Unit: ${unitName}`, `Periode: ${period.label}`, `Data per: ${formatLocalDate(asOf, zone)}`];
  }

  @Get('reports/rekapitulasi/cases')
  async drillDown(@CurrentUser() user: AuthUser, @Query() q: DrillDownQuery) {
    this.reports.assertScope(user, q.unitCode);
    const period = parsePeriod(q);
    const asOf = await this.reports.cutOff(q.unitCode, q.asOf);
    // Without `page` the whole list, as the export and older clients expect; with it, one page
    // (cut in the database).
    const size = q.pageSize ?? 100;
    const { cases: shown, total } = q.page
      ? await this.reports.casesPage(q.unitCode, period, asOf, q.column, q.provinceCode, q.page, size)
      : await this.reports
          .cases(q.unitCode, period, asOf, q.column, q.provinceCode)
          .then((all) => ({ cases: all, total: all.length }));
    return {
      unitCode: q.unitCode,
      period,
      asOf: asOf.toISOString(),
      column: q.column,
      provinceCode: q.provinceCode ?? null,
      total,
      ...(q.page ? { page: q.page, pageSize: size } : {}),
      cases: shown,
    };
  }

  @Get('reports/breakdown')
  async breakdown(
    @CurrentUser() user: AuthUser,
    @Query() q: BreakdownQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    this.reports.assertScope(user, q.unitCode);
    const period = parsePeriod(q);
    const asOf = await this.reports.cutOff(q.unitCode, q.asOf);
    const result = await this.reports.breakdown(q.unitCode, period, asOf, q.dimension);
    const table: ReportTable = {
      title: `Pengaduan Dugaan Pelanggaran HAM menurut ${DIMENSION_TITLES[q.dimension]}`,
      meta: [
        ...(await this.metaLines(q.unitCode, period, asOf)),
        ...(result.multiValued ? ['Satu pengaduan dapat menyangkut lebih dari satu hak'] : []),
      ],
      headers: ['No', DIMENSION_TITLES[q.dimension], ...CATEGORY_HEADERS],
      rows: result.rows.map((r, i) => [i + 1, r.name ?? r.key, ...CATEGORY_KEYS.map((k) => r[k])]),
      total: ['', 'JUMLAH', ...CATEGORY_KEYS.map((k) => result.totals[k])],
      sheetName: DIMENSION_TITLES[q.dimension],
    };
    return (
      (await sendTable(res, q.format, table, `rincian-${q.dimension}-${q.unitCode}-${period.from}`)) ?? {
        unitCode: q.unitCode,
        period,
        asOf: asOf.toISOString(),
        ...result,
      }
    );
  }

  @Get('indicators/ditindaklanjuti/series')
  async series(
    @CurrentUser() user: AuthUser,
    @Query() q: SeriesQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    this.reports.assertScope(user, q.unitCode);
    const asOf = await this.reports.cutOff(q.unitCode, q.asOf);
    const series = await this.reports.indicatorSeries(q.unitCode, q.year, q.by ?? 'month', asOf);
    const table: ReportTable = {
      title: 'Persentase Dugaan Pelanggaran HAM yang Ditindaklanjuti oleh Pemangku Kepentingan',
      meta: await this.metaLines(q.unitCode, parsePeriod({ year: q.year }), asOf),
      headers: [
        'Periode',
        'Ditindaklanjuti',
        'Penyebut',
        'Dasar penyebut',
        'Realisasi (%)',
        'Target (%)',
        'Capaian (%)',
      ],
      rows: series.points.map((p) => [
        p.period,
        p.numerator,
        p.denominator,
        p.denominatorBasis,
        p.display.realisasi,
        p.target,
        p.display.capaian,
      ]),
      sheetName: 'Ditindaklanjuti',
    };
    return (await sendTable(res, q.format, table, `ditindaklanjuti-${q.unitCode}-${q.year}`)) ?? series;
  }

  @Get('reports/pemeriksaan-kabupaten')
  async examination(
    @CurrentUser() user: AuthUser,
    @Query() q: ExaminationQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    this.reports.assertScope(user, q.unitCode);
    const asOf = await this.reports.cutOff(q.unitCode, q.asOf);
    const rows = await this.reports.regencyExamination(q.unitCode, q.year, asOf);
    const items = rows.map((r) => {
      const definition = this.registry.get(r.workflowId, r.workflowVersion);
      const step = stepMeta(restore(definition, { value: r.stateValue as never, context: r.context })).nama;
      const followUp =
        r.responses > 0
          ? `${r.responses} tanggapan, terakhir ${r.lastResponseOn}`
          : r.awaiting > 0
            ? `menunggu tanggapan ${r.awaiting} instansi`
            : '-';
      return {
        id: r.id,
        regency: r.regency,
        registerNumber: r.registerNumber,
        receivedOn: r.receivedOn,
        rights: r.rights,
        theme: r.theme,
        status: step,
        categoryAsOf: r.categoryAsOf,
        followUp,
      };
    });
    const table: ReportTable = {
      title: `Pengaduan Dugaan Pelanggaran HAM per Kabupaten/Kota Tahun ${q.year}`,
      meta: await this.metaLines(q.unitCode, parsePeriod({ year: q.year }), asOf),
      headers: [
        'No',
        'Kabupaten/Kota',
        'Nomor Register',
        'Tanggal Diterima',
        'Hak',
        'Tema',
        'Status',
        'Kategori',
        'Tindak Lanjut',
      ],
      rows: items.map((x: Record<string, unknown>, i: number) => [
        i + 1,
        String(x.regency),
        String(x.registerNumber),
        String(x.receivedOn),
        (x.rights as string[]).join(', '),
        String(x.theme),
        String(x.status),
        String(x.categoryAsOf),
        String(x.followUp),
      ]),
      sheetName: 'Kabupaten Kota',
    };
    return (
      (await sendTable(res, q.format, table, `pemeriksaan-kabupaten-${q.unitCode}-${q.year}`)) ?? {
        unitCode: q.unitCode,
        year: q.year,
        asOf: asOf.toISOString(),
        items,
      }
    );
  }

  @Get('indicators/ditindaklanjuti')
  async indicator(@CurrentUser() user: AuthUser, @Query() q: IndicatorQuery) {
    this.reports.assertScope(user, q.unitCode);
    return this.reports.indicator(q.unitCode, q.year, await this.reports.cutOff(q.unitCode, q.asOf));
  }

  @Put('indicators/ditindaklanjuti/targets/:unitCode/:year')
  @Roles('ADMIN')
  async setTarget(
    @Param('unitCode') unitCode: string,
    @Param('year') rawYear: string,
    @Body() dto: TargetDto,
  ) {
    const year = await this.reports.targetYear(unitCode, rawYear);
    if (dto.denominator === 'TARGET' && !dto.targetCount)
      throw InvalidInputError.field('targetCount', 'wajib diisi untuk penyebut TARGET');
    return this.reports.setIndicatorTarget(unitCode, year, {
      targetPercent: dto.targetPercent,
      denominator: dto.denominator,
      targetCount: dto.denominator === 'TARGET' ? (dto.targetCount ?? null) : null,
    });
  }
}
