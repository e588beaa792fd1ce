import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn } from 'class-validator';
import { DataSource } from 'typeorm';
import { type AuthUser, CurrentUser, Roles } from '../common/auth.decorators';
import { NotFoundError } from '../common/errors';
import { assertUnitVisible } from '../common/unit-scope';
import { returnedRows } from '../database/query-results';
import { MILESTONES } from './milestones';

export class ComplainantNoticesDto {
  @IsArray()
  @ArrayUnique()
  @IsIn(MILESTONES, { each: true })
  milestones: string[];
}

/** Which milestones a unit's complainants are told of by mail. */
@ApiTags('complainants')
@ApiBearerAuth()
@Controller('units/:code/complainant-notices')
export class ComplainantNoticesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async get(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    assertUnitVisible(user, code);
    const [row] = await this.dataSource.query(
      'SELECT complainant_notices AS milestones FROM unit_settings WHERE unit_code = $1',
      [code],
    );
    if (!row) throw new NotFoundError('Unit');
    return { unitCode: code, milestones: row.milestones, available: MILESTONES };
  }

  @Put()
  @Roles('ADMIN')
  async put(@Param('code') code: string, @Body() dto: ComplainantNoticesDto) {
    const [row] = returnedRows<{ milestones: string[] }>(
      await this.dataSource.query(
        'UPDATE unit_settings SET complainant_notices = $2 WHERE unit_code = $1 RETURNING complainant_notices AS milestones',
        [code, MILESTONES.filter((m) => dto.milestones.includes(m))],
      ),
    );
    if (!row) throw new NotFoundError('Unit');
    return { unitCode: code, milestones: row.milestones, available: MILESTONES };
  }
}
