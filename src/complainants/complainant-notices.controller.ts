import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn } from 'class-validator';
import { type AuthUser, CurrentUser, Roles } from '../common/auth.decorators';
import { Scope } from '../common/access-policy';
import { UnitsService } from '../units/units.service';
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
  constructor(private readonly units: UnitsService) {}

  @Get()
  async get(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    Scope.of(user).assertSees(code);
    return { unitCode: code, milestones: await this.units.complainantNotices(code), available: MILESTONES };
  }

  @Put()
  @Roles('ADMIN')
  async put(@Param('code') code: string, @Body() dto: ComplainantNoticesDto) {
    const chosen = MILESTONES.filter((m) => dto.milestones.includes(m));
    return {
      unitCode: code,
      milestones: await this.units.putComplainantNotices(code, chosen),
      available: MILESTONES,
    };
  }
}
