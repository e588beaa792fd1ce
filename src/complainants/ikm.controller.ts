import { MONTH_NAMES } from '../common/format';
import { Body, Controller, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { AuthUser, clientAddress, CurrentUser, Roles } from '../common/auth.decorators';
import { IkmService } from './ikm.service';
import { sendTable } from '../reports/report-table';
import { ReportsService } from '../reports/reports.service';

export class IkmQuery {
  @IsString()
  unitCode: string;

  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  @IsOptional()
  @Matches(/^B(0[1-9]|1[0-2])$/, { message: 'harus B01..B12' })
  month?: string;

  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class IkmTargetDto {
  @ApiProperty({ example: 3.33 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(1)
  @Max(4)
  target: number;
}

/** IKM (Indeks Kepuasan Masyarakat) of the complaint service: the figure, its responses and targets. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('indicators/ikm')
export class IkmController {
  constructor(
    private readonly ikmService: IkmService,
    private readonly reports: ReportsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async ikm(@CurrentUser() user: AuthUser, @Query() q: IkmQuery, @Res({ passthrough: true }) res: Response) {
    this.reports.assertScope(user, q.unitCode);
    const result = await this.ikmService.ikm(q.unitCode, q.year);
    const table = {
      title: 'INDEKS KEPUASAN MASYARAKAT (IKM) LAYANAN PENGADUAN HAM',
      meta: [
        `Unit: ${q.unitCode}`,
        `Tahun: ${q.year}`,
        `Target: ${result.display.target}`,
        `Nilai IKM (skala 25-100): ${result.display.konversi}; mutu pelayanan: ${result.display.mutu}`,
        'Nilai rata-rata skala 1-4; nilai tahunan = rata-rata nilai bulanan; nilai IKM = rata-rata × 25 (PermenPANRB 14/2017)',
      ],
      headers: ['Bulan', 'Responden', 'Nilai rata-rata (1-4)'],
      rows: result.months.map((m, i) => [MONTH_NAMES[i], m.respondents, m.display]),
      total: ['TAHUN', result.respondents, result.display.nilai],
      sheetName: 'IKM',
    };
    return (await sendTable(res, q.format, table, `ikm-${q.unitCode}-${q.year}`)) ?? result;
  }

  /**
   * The responses behind a figure: the year, or one month. Without their case: the unit's staff
   * must not learn which complainant judged them how. Only ADMIN opens a response into its case.
   */
  @Get('responses')
  responses(@CurrentUser() user: AuthUser, @Query() q: IkmQuery) {
    this.reports.assertScope(user, q.unitCode);
    return this.ikmService.responses(q.unitCode, q.year, q.month);
  }

  /** The case of one response, for ADMIN only, audited. */
  @Get('responses/:id/case')
  @Roles('ADMIN')
  async responseCase(@CurrentUser() user: AuthUser, @Param('id') id: string, @Req() req: Request) {
    const row = await this.ikmService.responseCase(id);
    await this.audit.record({
      actor: user,
      address: clientAddress(req),
      action: 'IKM_RESPONSE_OPENED',
      method: 'GET',
      path: `/api/indicators/ikm/responses/${id}/case`,
      entityType: 'case',
      entityId: row.caseId,
      statusCode: 200,
      details: { responseId: id },
    });
    return row;
  }

  @Put('targets/:unitCode/:year')
  @Roles('ADMIN')
  async setTarget(
    @Param('unitCode') unitCode: string,
    @Param('year') rawYear: string,
    @Body() dto: IkmTargetDto,
  ) {
    const year = await this.reports.targetYear(unitCode, rawYear);
    return this.ikmService.setTarget(unitCode, year, dto.target);
  }
}
