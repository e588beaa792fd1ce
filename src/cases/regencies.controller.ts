import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../common/auth.decorators';
import { CasesService } from './cases.service';

/** Regency names recorded for a province's complaints, most used first: suggestions for the intake form. */
@ApiTags('units')
@ApiBearerAuth()
@Controller('provinces/:code/regencies')
export class RegenciesController {
  constructor(private readonly cases: CasesService) {}

  /** Taken from the cases the caller may see: another unit's complaints tell it nothing. */
  @Get()
  regencies(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    return this.cases.regenciesOf(user, code);
  }
}
