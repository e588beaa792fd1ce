import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { DateTime } from 'luxon';
import { Roles } from '../common/auth.decorators';
import { InvalidInputError } from '../common/errors';
import { CalendarEditor } from './calendar-editor.service';

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
  constructor(private readonly editor: CalendarEditor) {}

  @Get(':year')
  async year(@Param('year') raw: string) {
    const year = yearOf(raw);
    const { source, daysOff } = await this.editor.year(year);
    return {
      year,
      daysOff,
      provisional: source === null,
      ...(source !== null
        ? { source }
        : { warning: `Kalender ${year} belum ditetapkan: tenggat dihitung hanya tanpa Sabtu/Minggu` }),
    };
  }

  @Put(':year/days/:date')
  @Roles('ADMIN')
  async put(@Param('year') rawYear: string, @Param('date') rawDate: string, @Body() dto: DayOffDto) {
    const { year, date } = this.inYear(rawYear, rawDate);
    const recomputed = await this.editor.putDayOff(year, { date, kind: dto.kind, name: dto.name });
    return { date, kind: dto.kind, name: dto.name, recomputedCases: recomputed };
  }

  @Delete(':year/days/:date')
  @Roles('ADMIN')
  @HttpCode(200)
  async remove(@Param('year') rawYear: string, @Param('date') rawDate: string) {
    const { date } = this.inYear(rawYear, rawDate);
    const recomputed = await this.editor.removeDayOff(date);
    return { date, removed: true, recomputedCases: recomputed };
  }

  private inYear(rawYear: string, rawDate: string): { year: number; date: string } {
    const year = yearOf(rawYear);
    const date = dateOf(rawDate);
    if (!date.startsWith(`${year}-`)) throw InvalidInputError.field('date', `harus jatuh pada tahun ${year}`);
    return { year, date };
  }
}
