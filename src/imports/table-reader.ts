/**
 * Reads the rows of a legacy spreadsheet, CSV (RFC 4180, comma or semicolon) or the first XLSX
 * sheet, within bounds that a hostile file cannot slip: the body's size (checked before it is
 * read), the declared size of the unzipped parts (checked before anything is unzipped), the
 * number of rows, and the parser's memory and time (it runs in a worker thread with its own heap
 * limit and is ended at the deadline, so the service keeps answering meanwhile).
 */
import { Worker } from 'node:worker_threads';

export type SheetRow = Record<string, string>;

/** Data rows an import may hold (the header row aside); stated in the README. */
export const MAX_IMPORT_ROWS = 50_000;
/** What the parts of an XLSX file may declare unzipped, in all. */
export const MAX_XLSX_UNZIPPED_BYTES = 100 * 1024 * 1024;
const PARSE_DEADLINE_MS = 30_000;
const WORKER_HEAP_MB = 384;

export class TableTooLargeError extends Error {}
export class UnreadableTableError extends Error {}

export function parseCsv(text: string): string[][] {
  const input = text.replace(/^\uFEFF/, '');
  const firstLine = input.split(/\r?\n/, 1)[0] ?? '';
  // Indonesian spreadsheet programs save with semicolons (the comma is the decimal separator).
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < input.length; i += 1) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

/**
 * The sum of the uncompressed sizes a ZIP archive's central directory declares, or null when the
 * buffer is not a ZIP archive. Read from the end record and the directory only: nothing is unzipped.
 */
export function declaredUnzippedBytes(zip: Buffer): number | null {
  const END = 0x06054b50;
  const ENTRY = 0x02014b50;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at -= 1) {
    if (zip.readUInt32LE(at) !== END) continue;
    const entries = zip.readUInt16LE(at + 10);
    let cursor = zip.readUInt32LE(at + 16);
    let total = 0;
    for (let i = 0; i < entries; i += 1) {
      if (cursor + 46 > zip.length || zip.readUInt32LE(cursor) !== ENTRY) return null;
      const size = zip.readUInt32LE(cursor + 24);
      // ZIP64 marks its sizes 0xFFFFFFFF: more than any spreadsheet of ours needs.
      total += size === 0xffffffff ? Number.MAX_SAFE_INTEGER : size;
      cursor +=
        46 + zip.readUInt16LE(cursor + 28) + zip.readUInt16LE(cursor + 30) + zip.readUInt16LE(cursor + 32);
    }
    return total;
  }
  return null;
}

/**
 * The worker's program. Self-contained (it is sent to the worker as source): it requires what it
 * uses and reads `parseCsv` from the source sent beside it.
 */
function tableWorker(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- this function runs from its source text in a worker, where imports are not rewritten
  const threads = require('node:worker_threads') as typeof import('node:worker_threads');
  const parentPort = threads.parentPort;
  const { kind, body, maxRows } = threads.workerData as {
    kind: 'csv' | 'xlsx';
    body: Uint8Array;
    maxRows: number;
  };
  const tooMany = () => parentPort!.postMessage({ error: 'rows' });
  const done = (rows: string[][]) =>
    rows.length > maxRows + 1 ? tooMany() : parentPort!.postMessage({ rows });
  if (kind === 'csv') {
    done(parseCsv(Buffer.from(body).toString('utf8')));
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- this function runs from its source text in a worker, where imports are not rewritten
  const ExcelJS = require('exceljs') as typeof import('exceljs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- this function runs from its source text in a worker, where imports are not rewritten
  const { Readable } = require('node:stream') as typeof import('node:stream');
  const cell = (v: unknown): string => {
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if (v && typeof v === 'object' && 'text' in v) return String(v.text);
    if (v && typeof v === 'object' && 'richText' in v)
      return (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('');
    if (v && typeof v === 'object' && 'result' in v) return cell(v.result);
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  };
  void (async () => {
    const rows: string[][] = [];
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(Buffer.from(body)), {
      sharedStrings: 'cache',
      styles: 'cache',
      worksheets: 'emit',
      hyperlinks: 'ignore',
    });
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<{ values: unknown[] }>) {
        const values = (row.values ?? []).slice(1).map(cell);
        if (values.some((v) => v.trim() !== '')) rows.push(values);
        if (rows.length > maxRows + 1) return tooMany();
      }
      break; // the first sheet only
    }
    done(rows);
  })().catch((error: Error) => parentPort!.postMessage({ error: 'unreadable', detail: error.name }));
}

const WORKER_SOURCE = `${parseCsv.toString()}\n(${tableWorker.toString()})();`;

/** The rows of a CSV or XLSX body, parsed in a bounded worker thread. */
export async function readTable(kind: 'csv' | 'xlsx', body: Buffer): Promise<string[][]> {
  if (kind === 'xlsx') {
    const declared = declaredUnzippedBytes(body);
    if (declared === null) throw new UnreadableTableError('not a ZIP archive');
    if (declared > MAX_XLSX_UNZIPPED_BYTES) throw new TableTooLargeError('unzipped');
  }
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { kind, body, maxRows: MAX_IMPORT_ROWS },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 64 },
  });
  return new Promise<string[][]>((resolve, reject) => {
    const deadline = setTimeout(() => {
      void worker.terminate();
      reject(new TableTooLargeError('time'));
    }, PARSE_DEADLINE_MS);
    const finish = (outcome: () => void) => {
      clearTimeout(deadline);
      void worker.terminate();
      outcome();
    };
    worker.once('message', (message: { rows?: string[][]; error?: 'rows' | 'unreadable' }) =>
      finish(() => {
        if (message.rows) resolve(message.rows);
        else
          reject(
            message.error === 'rows'
              ? new TableTooLargeError('rows')
              : new UnreadableTableError('unreadable'),
          );
      }),
    );
    // Past its heap limit the worker is ended by the runtime: the file was too large to parse.
    worker.once('error', (error: Error & { code?: string }) =>
      finish(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new TableTooLargeError('memory')
            : new UnreadableTableError(error.name),
        ),
      ),
    );
  });
}

/** Rows as objects keyed by the (lower-cased, trimmed) header row. */
export function keyed(rows: string[][]): { headers: string[]; rows: SheetRow[] } {
  const [header = [], ...body] = rows;
  const headers = header.map((h) => h.trim().toLowerCase());
  return {
    headers,
    rows: body.map((cells) => Object.fromEntries(headers.map((h, i) => [h, (cells[i] ?? '').trim()]))),
  };
}
