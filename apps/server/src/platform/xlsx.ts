import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from './errors.js';

/**
 * Spreadsheet helpers shared by the imports and exports: checking that an upload really is an xlsx before
 * ExcelJS opens it, reading cell values as text or dates, and writing workbooks with formula injection
 * neutralised. (Moved here from modules/network/network.xlsx.ts, which re-exports them.)
 */

/** More uncompressed bytes than this is not a 5,000-row sheet but a zip bomb (or a sheet full of pictures). */
export const MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 5000;

const ZIP_LOCAL_HEADER = 0x04034b50;
const ZIP_CENTRAL_HEADER = 0x02014b50;
const ZIP_END = 0x06054b50;

function notXlsx(code: string, message: string): AppError {
  return new AppError('unsupported_media_type', { status: 415, message, details: [{ path: 'file', code, message }] });
}

/**
 * Checks the bytes, not the file name: an xlsx is a zip (`PK\x03\x04`) whose central directory lists
 * `[Content_Types].xml` and `xl/workbook.xml`, and whose declared uncompressed size stays reasonable.
 * Throws 400/413/415 `AppError`s; returns the entry names. `maxUncompressed` defaults to MAX_UNCOMPRESSED_BYTES.
 */
export function inspectXlsx(buf: Buffer, maxUncompressed = MAX_UNCOMPRESSED_BYTES): string[] {
  if (buf.length === 0) {
    throw new AppError('validation_failed', {
      message: 'the file is empty',
      details: [{ path: 'file', code: 'empty', message: 'the file is empty' }],
    });
  }
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0 && buf.readUInt32BE(4) === 0xa1b11ae1) {
    throw notXlsx('xls_not_supported', 'this is an old .xls workbook; save it as .xlsx (Excel 2007 or later) and upload again');
  }
  if (buf.length < 30 || buf.readUInt32LE(0) !== ZIP_LOCAL_HEADER) throw notXlsx('not_xlsx', 'the file is not an xlsx workbook');
  // End of central directory: 22 bytes plus a comment of up to 65,535 bytes, at the end of the file.
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw notXlsx('corrupt_xlsx', 'the workbook is damaged or incomplete (no zip directory)');
  const count = buf.readUInt16LE(end + 10);
  const dirSize = buf.readUInt32LE(end + 12);
  const dirOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw notXlsx('corrupt_xlsx', 'zip64 workbooks are not supported');
  if (count > MAX_ZIP_ENTRIES) throw notXlsx('corrupt_xlsx', 'the workbook has too many parts');
  if (dirOffset + dirSize > end) throw notXlsx('corrupt_xlsx', 'the workbook is damaged or incomplete (bad zip directory)');
  const names: string[] = [];
  let total = 0;
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== ZIP_CENTRAL_HEADER) {
      throw notXlsx('corrupt_xlsx', 'the workbook is damaged or incomplete (bad zip entry)');
    }
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLength > end) throw notXlsx('corrupt_xlsx', 'the workbook is damaged or incomplete (bad zip entry)');
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLength));
    total += size;
    p += 46 + nameLength + extraLength + commentLength;
  }
  if (total > maxUncompressed) {
    throw new AppError('too_large', {
      status: 413,
      message: `the workbook unpacks to more than ${maxUncompressed / 1024 / 1024} MB`,
      details: [{ path: 'file', code: 'uncompressed_too_large' }],
    });
  }
  if (!names.includes('[Content_Types].xml') || !names.includes('xl/workbook.xml')) {
    throw notXlsx('not_xlsx', 'the file is a zip archive but not an xlsx workbook');
  }
  return names;
}

/** Opens an uploaded workbook after `inspectXlsx`; anything ExcelJS cannot read is a 415, never a 500. */
export async function loadXlsx(buf: Buffer): Promise<ExcelJS.Workbook> {
  inspectXlsx(buf);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw notXlsx('corrupt_xlsx', 'the workbook could not be read; open it in Excel or WPS and save it again as .xlsx');
  }
  return wb;
}

/** True for a cell holding an Excel error (#N/A, #REF!…), directly or as a formula result. */
export function isErrorCell(v: ExcelJS.CellValue): boolean {
  if (v === null || typeof v !== 'object' || v instanceof Date) return false;
  if ('error' in v) return true;
  if ('result' in v && v.result !== null && typeof v.result === 'object' && !(v.result instanceof Date)) return 'error' in v.result;
  return false;
}

/** A cell as trimmed text: rich text joined, formulas by their cached result, whole numbers without '.0'. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return isoDay(v);
  if ('richText' in v)
    return v.richText
      .map((r) => r.text)
      .join('')
      .trim();
  if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in v) return cellText(v.text as ExcelJS.CellValue);
  return '';
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function validDay(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d || y < 1900 || y > 2200) return undefined;
  return isoDay(t);
}

/**
 * A date cell as YYYY-MM-DD: an Excel date (ExcelJS gives a UTC Date), an Excel serial number, or text
 * like 2024-01-31, 2024/1/31, 2024.1.31 or 2024年1月31日. null when empty, undefined when not a date.
 */
export function cellDate(v: ExcelJS.CellValue): string | null | undefined {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : isoDay(v);
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 1 || v > 2958465) return undefined;
    return isoDay(new Date(Date.UTC(1899, 11, 30) + v * 86_400_000));
  }
  if (typeof v === 'object' && ('formula' in v || 'sharedFormula' in v))
    return cellDate((v as { result?: ExcelJS.CellValue }).result ?? null);
  const s = cellText(v);
  if (!s) return null;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  return m ? validDay(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe. */
export function neutralise(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Neutralises every text cell of every sheet, then writes the workbook. Every xlsx we send goes through here. */
export async function writeXlsx(wb: ExcelJS.Workbook): Promise<Buffer> {
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value;
        if (typeof v === 'string') cell.value = neutralise(v);
        else if (v && typeof v === 'object' && 'richText' in v && v.richText.length > 0) {
          const [first, ...rest] = v.richText;
          cell.value = { richText: [{ ...first, text: neutralise(first.text) }, ...rest] };
        } else if (v && typeof v === 'object' && 'hyperlink' in v && typeof v.text === 'string') {
          cell.value = { ...v, text: neutralise(v.text) };
        } else if (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) {
          // We never write formulas; a value that looks like one is turned into its text.
          cell.value = neutralise(`=${(v as { formula?: string }).formula ?? ''}`);
        }
      });
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Bold, shaded, frozen header row. */
export function styleHeader(ws: ExcelJS.Worksheet, rowNumber = 1): void {
  const row = ws.getRow(rowNumber);
  row.font = { bold: true };
  row.alignment = { vertical: 'middle' };
  row.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF9AA5B1' } } };
  });
  ws.views = [{ state: 'frozen', ySplit: rowNumber }];
}

/**
 * A streaming workbook (rows are written out as they are committed, so a big sheet is not held as cell objects)
 * collected into one buffer: add sheets and rows to `wb`, commit them, then `finish()`. Callers neutralise their
 * text cells (`neutralise`), as `writeXlsx` does for whole workbooks.
 */
export function streamingWorkbook(): { wb: ExcelJS.stream.xlsx.WorkbookWriter; finish(): Promise<Buffer> } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.creator = 'Wushe';
  return {
    wb,
    finish: async () => {
      await wb.commit();
      await done;
      return Buffer.concat(chunks);
    },
  };
}
