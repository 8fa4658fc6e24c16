import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { spreadsheetCell } from '@muckwatch/contracts';

/** One column of an export: its zh-CN header, width in characters, and the cell of a row. */
export interface XlsxColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | boolean | null | undefined;
}

export interface XlsxExport<T> {
  /** Download name without extension; the date is not added here. */
  fileName: string;
  sheetName: string;
  columns: ReadonlyArray<XlsxColumn<T>>;
  rows: AsyncIterable<T>;
}

/** One sheet of a workbook with several (streamXlsxSheets). */
export interface XlsxSheet<T> {
  sheetName: string;
  columns: ReadonlyArray<XlsxColumn<T>>;
  rows: AsyncIterable<T> | Iterable<T>;
}

/**
 * Streams an xlsx to the response (exceljs' streaming WorkbookWriter: each row is committed and
 * leaves memory as it is written, so a 100,000-row export never holds the sheet). Every text cell
 * goes through `spreadsheetCell`, so text that would start a formula is shown as the text it is.
 * Resolves with the number of rows written.
 */
export async function streamXlsx<T>(res: Response, spec: XlsxExport<T>): Promise<number> {
  return streamXlsxSheets(res, spec.fileName, [{ sheetName: spec.sheetName, columns: spec.columns, rows: spec.rows }]);
}

/** The same with several sheets, written one after the other; resolves with the rows of all. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each sheet has its own row type
export async function streamXlsxSheets(res: Response, fileName: string, sheets: ReadonlyArray<XlsxSheet<any>>): Promise<number> {
  res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}.xlsx`);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  let count = 0;
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = spec.columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 16 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const row of spec.rows) {
      sheet.addRow(spec.columns.map((c) => xlsxCell(c.value(row)))).commit();
      count += 1;
    }
    sheet.commit();
  }
  await workbook.commit();
  return count;
}

/** A number stays a number; everything else is neutralised text. */
function xlsxCell(value: string | number | boolean | null | undefined): string | number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const text = spreadsheetCell(value);
  return text === '' ? null : text;
}
