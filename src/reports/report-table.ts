/**
 * A report laid out as the LKj tables are: a title, lines saying unit, period and cut-off, a
 * header row, the rows, and a total row. The same table renders to CSV and to XLSX, so what is
 * pasted into the performance report is what the API computed.
 */
import { StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Response } from 'express';

export type Cell = string | number | null;

export interface ReportTable {
  title: string;
  meta: string[];
  headers: string[];
  rows: Cell[][];
  total?: Cell[];
  sheetName: string;
}

/**
 * Text that a spreadsheet program would run as a formula (OWASP's CSV injection rule: a leading
 * =, +, -, @, tab or carriage return) is prefixed with an apostrophe, so it is shown as typed.
 * Numbers stay numbers: only text typed by people is neutralised.
 */
export function neutraliseFormula(value: Cell): Cell {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvCell(value: Cell): string {
  const safe = neutraliseFormula(value);
  const text = safe === null ? '' : String(safe);
  return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** With a byte-order mark, so spreadsheet programs read Indonesian names as UTF-8. */
export function toCsv(table: ReportTable): string {
  const lines = [
    [table.title],
    ...table.meta.map((m) => [m]),
    table.headers,
    ...table.rows,
    ...(table.total ? [table.total] : []),
  ];
  return `\uFEFF${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export async function toXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Yankomas';
  const sheet = workbook.addWorksheet(table.sheetName.slice(0, 31));
  const width = table.headers.length;
  const titleRow = sheet.addRow([table.title]);
  titleRow.font = { bold: true, size: 13 };
  sheet.mergeCells(titleRow.number, 1, titleRow.number, width);
  for (const line of table.meta)
    sheet.mergeCells(sheet.addRow([line]).number, 1, sheet.lastRow!.number, width);
  sheet.addRow([]);
  const header = sheet.addRow(table.headers);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.border = {
      top: { style: 'thin' },
      bottom: { style: 'thin' },
      left: { style: 'thin' },
      right: { style: 'thin' },
    };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  for (const row of table.rows) sheet.addRow(row);
  if (table.total) sheet.addRow(table.total).font = { bold: true };
  sheet.columns.forEach((column, i) => {
    column.width = Math.min(
      60,
      Math.max(
        6,
        ...[table.headers[i] ?? '', ...table.rows.map((r) => String(r[i] ?? ''))].map((v) => v.length + 2),
      ),
    );
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Sends a report table as the requested file, or lets the caller answer JSON. */
export async function sendTable(
  res: Response,
  format: string | undefined,
  table: ReportTable,
  fileName: string,
): Promise<string | StreamableFile | null> {
  if (format === 'csv') {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}.csv"`);
    return toCsv(table);
  }
  if (format === 'xlsx') {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}.xlsx"`);
    return new StreamableFile(await toXlsx(table));
  }
  return null;
}
