import { Controller, Headers, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, type AuthUser } from '../common/auth.decorators';
import { InvalidInputError, PayloadTooLargeError } from '../common/errors';
import { CaseImportService } from './case-import.service';
import {
  keyed,
  MAX_IMPORT_ROWS,
  MAX_XLSX_UNZIPPED_BYTES,
  readTable,
  TableTooLargeError,
} from './table-reader';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The largest import file: a legacy spreadsheet is larger than any JSON request. */
export const IMPORT_BODY_BYTES = 25 * 1024 * 1024;

/**
 * The request body, read only now: the guard has already checked the token and this handler the
 * role, so a stranger's 25 MB is never read. Refused as soon as it passes the limit.
 */
async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    throw new PayloadTooLargeError(`Berkas terlalu besar (maksimal ${limit / 1024 / 1024} MB)`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.destroy();
      throw new PayloadTooLargeError(`Berkas terlalu besar (maksimal ${limit / 1024 / 1024} MB)`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

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
  async cases(
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @Headers('content-type') type: string | undefined,
    @Query('dryRun') dryRun?: string,
  ) {
    this.imports.assertMayImport(user);
    if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false')
      throw InvalidInputError.field('dryRun', 'harus true atau false');
    const kind = type?.startsWith('text/csv') ? 'csv' : type?.startsWith(XLSX_TYPE) ? 'xlsx' : null;
    if (!kind)
      throw InvalidInputError.field('Content-Type', `harus text/csv atau ${XLSX_TYPE}, dengan isi berkas`);
    const body = await readBody(req, IMPORT_BODY_BYTES);
    if (body.length === 0) throw InvalidInputError.field('body', 'berkas kosong');
    let rows: string[][];
    try {
      rows = await readTable(kind, body);
    } catch (error) {
      if (error instanceof TableTooLargeError) {
        throw new PayloadTooLargeError(
          `Berkas terlalu besar untuk diimpor (maksimal ${MAX_IMPORT_ROWS.toLocaleString('id-ID')} baris, ${MAX_XLSX_UNZIPPED_BYTES / 1024 / 1024} MB setelah diekstrak); bagi menjadi beberapa berkas`,
        );
      }
      throw InvalidInputError.field(
        'body',
        kind === 'xlsx' ? 'bukan berkas XLSX yang dapat dibaca' : 'bukan berkas CSV yang dapat dibaca',
      );
    }
    const table = keyed(rows);
    if (table.rows.length === 0) throw InvalidInputError.field('body', 'berkas tidak berisi baris data');
    return this.imports.import(user, table.headers, table.rows, dryRun === 'true');
  }
}
