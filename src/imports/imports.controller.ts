import { Body, Controller, Headers, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth.decorators';
import { InvalidInputError } from '../common/errors';
import { CaseImportService } from './case-import.service';
import { keyed, parseCsv, readXlsx } from './table-reader';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: CaseImportService) {}

  /** The body is the file itself: `text/csv` or XLSX. `dryRun=true` reports without writing. */
  @Post('cases')
  @HttpCode(200)
  @ApiConsumes('text/csv', XLSX_TYPE)
  @ApiQuery({ name: 'dryRun', required: false, enum: ['true', 'false'] })
  async cases(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers('content-type') type: string | undefined, @Query('dryRun') dryRun?: string) {
    this.imports.assertMayImport(user);
    if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false') throw InvalidInputError.field('dryRun', 'harus true atau false');
    let rows: string[][];
    if (type?.startsWith('text/csv') && typeof body === 'string') rows = parseCsv(body);
    else if (type?.startsWith(XLSX_TYPE) && Buffer.isBuffer(body)) rows = await readXlsx(body);
    else throw InvalidInputError.field('Content-Type', `harus text/csv atau ${XLSX_TYPE}, dengan isi berkas`);
    const table = keyed(rows);
    if (table.rows.length === 0) throw InvalidInputError.field('body', 'berkas tidak berisi baris data');
    return this.imports.import(user, table.headers, table.rows, dryRun === 'true');
  }
}
