import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min, registerDecorator } from 'class-validator';
import { DateTime } from 'luxon';

/** No list is paged further than this; a larger page number is a mistake or a probe. */
export const MAX_PAGE = 100_000;

/** The `page` of every paged list: a whole number from 1 to MAX_PAGE. */
export function PageField(description = 'halaman, mulai 1'): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE, description }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_PAGE),
  );
}

/** A local date `YYYY-MM-DD` that exists in the calendar (not 2026-02-31), between 1900 and 2100. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = DateTime.fromISO(value, { zone: 'UTC' });
  return date.isValid && date.year >= 1900 && date.year <= 2100;
}

export const CALENDAR_DATE_REASON = 'harus tanggal YYYY-MM-DD yang ada di kalender, mis. 2026-02-28';

export function IsCalendarDate(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: { validate: isCalendarDate, defaultMessage: () => CALENDAR_DATE_REASON },
    });
}

/**
 * An ISO 8601 date or date-time that exists in the calendar: `2026-02-31` and `2026-02-31T09:00Z`
 * are refused rather than rolled over into March.
 */
export function IsIsoInstant(): PropertyDecorator {
  return IsISO8601({ strict: true, strictSeparator: true });
}
