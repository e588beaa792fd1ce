import { Body, Controller, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser, clientAddress, CurrentUser, Roles } from '../common/auth.decorators';
import { NotFoundError } from '../common/errors';
import { isUuid } from '../database/query-results';
import { sendTable } from '../reports/reports.controller';
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

const MONTHS = Array.from({ length: 12 }, (_, i) => `B${String(i + 1).padStart(2, '0')}`);
const asNumber = (x: string | null) => (x === null ? null : Number(x));

/**
 * IKM (Indeks Kepuasan Masyarakat) of the complaint service, 1-4: a response's value is the
 * unweighted mean of its elements, a month's value the mean of its responses, and the year's the
 * mean of the monthly values (months without respondents do not count), as the offices report it.
 * Computed in the database with exact decimals; rounded half up to two decimals only at the end.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('indicators/ikm')
export class IkmController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async ikm(@CurrentUser() user: AuthUser, @Query() q: IkmQuery, @Res({ passthrough: true }) res: Response) {
    this.reports.assertScope(user, q.unitCode);
    const months: { month: string; respondents: number; nilai: string }[] = await this.dataSource.query(
      `SELECT 'B' || to_char(r.answered_at AT TIME ZONE u.time_zone, 'MM') AS month, count(*)::int AS respondents, avg(r.score) AS nilai
         FROM survey_responses r JOIN units u ON u.code = r.unit_code
        WHERE ($1 = 'ALL' OR r.unit_code = $1) AND extract(year FROM r.answered_at AT TIME ZONE u.time_zone) = $2
        GROUP BY 1 ORDER BY 1`,
      [q.unitCode, q.year],
    );
    // Over no months at all the aggregate still gives one row, of nulls: N/A.
    const [year] = await this.dataSource.query(
      `WITH t AS (SELECT target FROM ikm_targets WHERE unit_code = $2 AND year = $3)
       SELECT round(avg(x), 2)::text AS nilai, (SELECT target::text FROM t) AS target,
              round(avg(x) / (SELECT target FROM t) * 100, 2)::text AS capaian
         FROM unnest($1::numeric[]) AS x`,
      [months.map((m) => m.nilai), q.unitCode, q.year],
    );
    const byMonth = new Map(months.map((m) => [m.month, m]));
    const series = MONTHS.map((month) => {
      const m = byMonth.get(month);
      return {
        month,
        respondents: m?.respondents ?? 0,
        nilai: m ? Number(Number(m.nilai).toFixed(6)) : null,
        display: m ? roundHalfUp(m.nilai) : 'N/A',
      };
    });
    const result = {
      unitCode: q.unitCode,
      year: q.year,
      respondents: series.reduce((sum, m) => sum + m.respondents, 0),
      nilai: asNumber(year.nilai),
      target: asNumber(year.target),
      capaian: year.nilai === null ? null : asNumber(year.capaian),
      display: {
        nilai: year.nilai ?? 'N/A',
        target: year.target ?? 'belum ditetapkan',
        capaian: year.nilai === null || year.capaian === null ? 'N/A' : `${year.capaian}%`,
      },
      months: series,
    };
    const table = {
      title: 'INDEKS KEPUASAN MASYARAKAT (IKM) LAYANAN PENGADUAN HAM',
      meta: [
        `Unit: ${q.unitCode}`,
        `Tahun: ${q.year}`,
        `Target: ${result.display.target}`,
        'Skala 1-4; nilai tahunan = rata-rata nilai bulanan',
      ],
      headers: ['Bulan', 'Responden', 'Nilai IKM'],
      rows: series.map((m) => [m.month, m.respondents, m.display]),
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
  async responses(@CurrentUser() user: AuthUser, @Query() q: IkmQuery) {
    this.reports.assertScope(user, q.unitCode);
    return this.dataSource.query(
      `SELECT r.id, r.unit_code AS "unitCode", r.answered_at AS "answeredAt", r.channel, r.score::float AS score, r.answers
         FROM survey_responses r JOIN units u ON u.code = r.unit_code
        WHERE ($1 = 'ALL' OR r.unit_code = $1) AND extract(year FROM r.answered_at AT TIME ZONE u.time_zone) = $2
          AND ($3::text IS NULL OR 'B' || to_char(r.answered_at AT TIME ZONE u.time_zone, 'MM') = $3)
        ORDER BY r.answered_at`,
      [q.unitCode, q.year, q.month ?? null],
    );
  }

  /** The case of one response, for ADMIN only, audited. */
  @Get('responses/:id/case')
  @Roles('ADMIN')
  async responseCase(@CurrentUser() user: AuthUser, @Param('id') id: string, @Req() req: Request) {
    const [row]: { caseId: string; registerNumber: string }[] = isUuid(id)
      ? await this.dataSource.query(
          'SELECT c.id AS "caseId", c.register_number AS "registerNumber" FROM survey_responses r JOIN cases c ON c.id = r.case_id WHERE r.id = $1',
          [id],
        )
      : [];
    if (!row) throw new NotFoundError('Tanggapan survei');
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
    const [row] = await this.dataSource.query(
      `INSERT INTO ikm_targets (unit_code, year, target) VALUES ($1, $2, $3)
       ON CONFLICT (unit_code, year) DO UPDATE SET target = EXCLUDED.target, updated_at = now()
       RETURNING unit_code AS "unitCode", year, target::float AS target`,
      [unitCode, year, dto.target],
    );
    return row;
  }
}

/** Two decimals, half up, from the exact decimal text PostgreSQL gives. */
function roundHalfUp(exact: string): string {
  const [whole, fraction = ''] = exact.split('.');
  const cents = BigInt(whole + (fraction + '000').slice(0, 3));
  const rounded = (cents + 5n) / 10n;
  return `${rounded / 100n}.${String(rounded % 100n).padStart(2, '0')}`;
}
