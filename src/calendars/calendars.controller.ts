import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Roles } from '../common/auth.decorators';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { DeadlineRecomputeService } from './deadline-recompute.service';

export class DayOffDto {
  @ApiProperty({ enum: ['LIBUR', 'CUTI_BERSAMA'] })
  @IsIn(['LIBUR', 'CUTI_BERSAMA'])
  kind: 'LIBUR' | 'CUTI_BERSAMA';

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

function yearOf(raw: string): number {
  const year = Number(raw);
  if (!/^\d{4}$/.test(raw) || year < 2000 || year > 2100)
    throw InvalidInputError.field('year', 'harus tahun empat digit, 2000-2100');
  return year;
}

function dateOf(raw: string): string {
  const date = DateTime.fromFormat(raw, 'yyyy-MM-dd');
  if (!date.isValid) throw InvalidInputError.field('date', 'harus tanggal YYYY-MM-DD yang valid');
  return raw;
}

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('calendars')
export class CalendarsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recompute: DeadlineRecomputeService,
  ) {}

  @Get(':year')
  async year(@Param('year') raw: string) {
    const year = yearOf(raw);
    const [known] = await this.dataSource.query('SELECT source FROM calendar_years WHERE year = $1', [year]);
    const daysOff = await this.dataSource.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_days_off
        WHERE date >= make_date($1, 1, 1) AND date < make_date($1 + 1, 1, 1) ORDER BY date`,
      [year],
    );
    return {
      year,
      daysOff,
      provisional: !known,
      ...(known
        ? { source: known.source }
        : { warning: `Kalender ${year} belum ditetapkan: tenggat dihitung hanya tanpa Sabtu/Minggu` }),
    };
  }

  @Put(':year/days/:date')
  @Roles('ADMIN')
  async put(@Param('year') rawYear: string, @Param('date') rawDate: string, @Body() dto: DayOffDto) {
    const { year, date } = this.inYear(rawYear, rawDate);
    const recomputed = await this.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO calendar_days_off (date, kind, name) VALUES ($1, $2, $3)
         ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name`,
        [date, dto.kind, dto.name],
      );
      await em.query(
        `INSERT INTO calendar_years (year, source) VALUES ($1, 'diisi oleh admin') ON CONFLICT (year) DO NOTHING`,
        [year],
      );
      return this.recompute.recomputeOpenDeadlines(em, date);
    });
    return { date, kind: dto.kind, name: dto.name, recomputedCases: recomputed };
  }

  @Delete(':year/days/:date')
  @Roles('ADMIN')
  @HttpCode(200)
  async remove(@Param('year') rawYear: string, @Param('date') rawDate: string) {
    const { date } = this.inYear(rawYear, rawDate);
    const recomputed = await this.dataSource.transaction(async (em) => {
      const [, affected] = await em.query('DELETE FROM calendar_days_off WHERE date = $1', [date]);
      if (!affected) throw new NotFoundError('Hari libur');
      return this.recompute.recomputeOpenDeadlines(em, date);
    });
    return { date, removed: true, recomputedCases: recomputed };
  }

  private inYear(rawYear: string, rawDate: string): { year: number; date: string } {
    const year = yearOf(rawYear);
    const date = dateOf(rawDate);
    if (!date.startsWith(`${year}-`)) throw InvalidInputError.field('date', `harus jatuh pada tahun ${year}`);
    return { year, date };
  }
}
