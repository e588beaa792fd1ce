import type { Request, Response } from 'express';
import multer from 'multer';
import { ApiError } from '../api-client';
import type { ConsoleRoutes, PageContext } from '../console.router';
import { bodyField } from '../../common/body-field';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const IMPORT_MAX_BYTES = 25 * 1024 * 1024;
/** More rows than a person reads: the summary counts them all, the table shows the first. */
const SHOWN_ROWS = 500;

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: IMPORT_MAX_BYTES, files: 1 },
}).single('file');

function receive(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) =>
    upload(req, res, (error: unknown) =>
      error ? reject(error instanceof Error ? error : new Error('upload failed')) : resolve(),
    ),
  );
}

interface ImportReport {
  dryRun: boolean;
  summary: { rows: number; created: number; skipped: number; refused: number };
  missingColumns?: string[];
  rows: {
    row: number;
    registerNumber: string | null;
    status: string;
    problems: { field: string; reason: string }[];
    caseId?: string;
  }[];
}

/** Legacy spreadsheets into cases, through the API's import: a trial run first, then the real one. */
export function registerImportPages(routes: ConsoleRoutes): void {
  const importPage = (ctx: PageContext, extra: Record<string, unknown> = {}, status = 200) =>
    ctx.render('import', { title: 'Impor data lama', shownRows: SHOWN_ROWS, ...extra }, status);

  routes.page('get', '/impor', (ctx) => Promise.resolve(importPage(ctx)));

  routes.page('post', '/impor', async (ctx) => {
    try {
      await receive(ctx.req, ctx.res);
    } catch (error) {
      const tooLarge = (error as { code?: string }).code === 'LIMIT_FILE_SIZE';
      return importPage(
        ctx,
        { error: tooLarge ? 'Berkas terlalu besar (maksimal 25 MB).' : 'Berkas tidak dapat dibaca.' },
        tooLarge ? 413 : 400,
      );
    }
    const file = (ctx.req as Request & { file?: Express.Multer.File }).file;
    const dryRun = bodyField(ctx.req, 'dryRun') === 'ya';
    if (!file || file.size === 0)
      return importPage(ctx, { error: 'Pilih berkas CSV atau XLSX untuk diimpor.', dryRun }, 400);
    const name = file.originalname.toLowerCase();
    const type = name.endsWith('.csv') ? 'text/csv' : name.endsWith('.xlsx') ? XLSX_TYPE : null;
    if (!type)
      return importPage(ctx, { error: 'Hanya berkas .csv atau .xlsx yang dapat diimpor.', dryRun }, 400);
    try {
      const report = await ctx.api.postFile<ImportReport>('/imports/cases', file.buffer, type, {
        dryRun: dryRun ? 'true' : 'false',
      });
      importPage(ctx, {
        report,
        fileName: Buffer.from(file.originalname, 'latin1').toString('utf8'),
        dryRun,
      });
    } catch (error) {
      if (!(error instanceof ApiError) || ![400, 413].includes(error.status)) throw error;
      importPage(ctx, { error: error.message, dryRun }, error.status);
    }
  });
}
