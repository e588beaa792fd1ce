import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';

@ApiTags('units')
@ApiBearerAuth()
@Controller()
export class UnitsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('units')
  async units() {
    const rows = await this.dataSource.query(
      `SELECT code, name, kind, province_code AS "provinceCode", time_zone AS "timeZone", parent_code AS "parentCode", active
         FROM units ORDER BY kind DESC, code`,
    );
    return rows;
  }

  @Get('provinces')
  async provinces() {
    return this.dataSource.query(
      `SELECT code, name, kind, time_zone AS "timeZone" FROM provinces ORDER BY sort_order`,
    );
  }
}
