import { randomBytes } from 'node:crypto';
import { idCheckChar } from '@wushe/domain';
import ExcelJS from 'exceljs';
import { CLIENT_SHEET_COLUMNS } from '../src/modules/clients/clients.sheet.js';
import { XLSX_MIME } from '../src/platform/http.js';

/** Client-sheet fixtures shared by the import tests. */

export const CLIENT_HEADERS = CLIENT_SHEET_COLUMNS.map((c) => c.header);

/** A valid ID number of someone born in 渝中区 on `birth` (YYYYMMDD); odd seq = male. */
export function yuzhongIdNumber(birth: string, seq: number): string {
  const first17 = `500103${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** A row in template column order from cells named by their Chinese header. */
export function clientRow(cells: Partial<Record<string, unknown>>): unknown[] {
  return CLIENT_HEADERS.map((h) => cells[h] ?? null);
}

/** A workbook with the template's headers (or others) and the given rows, as bytes. */
export async function clientSheet(rows: unknown[][], headers: string[] | null = CLIENT_HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('服务对象');
  if (headers) ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A multipart/form-data body with the field `file` and optionally `mapping`. */
export function multipartBody(file: Buffer, opts: { filename?: string; field?: string; mapping?: string; type?: string } = {}) {
  const boundary = `----wushe${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  if (opts.mapping !== undefined) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n${opts.mapping}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="${opts.filename ?? 'clients.xlsx'}"\r\nContent-Type: ${opts.type ?? XLSX_MIME}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
