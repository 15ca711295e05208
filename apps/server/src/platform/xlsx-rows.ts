import { createInflateRaw, inflateRawSync } from 'node:zlib';
import type ExcelJS from 'exceljs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

/**
 * A lean streaming reader of one worksheet of an xlsx, for large imports: the zip's central directory is read
 * from the upload's bytes, only the parts needed are inflated (workbook, its relationships, styles, shared
 * strings, the one sheet), and the sheet's XML goes through a SAX parser row by row. No workbook, Row or Cell
 * objects: a row is an array of cell values, dropped once the caller has read it.
 *
 * Cell values are given as ExcelJS's reader gives them, so that the same cell helpers (cellText, cellDate,
 * isErrorCell) apply: strings (shared, inline, rich text joined), numbers, numbers in a date format as UTC
 * Dates (1900 and 1904 date systems), booleans, `{ error }`, and formulas as `{ formula, result }` with the
 * value stored in the file (formulas are never evaluated). Call `inspectXlsx` on the bytes first.
 */

export interface XlsxRow {
  /** Row number as Excel shows it. */
  row: number;
  /** Cell values by column number (1-based); empty cells are holes. */
  values: ExcelJS.CellValue[];
}

/** A structural problem of the workbook (bad zip entry, broken XML, missing part). */
export class XlsxReadError extends Error {}

interface ZipEntry {
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

function zipEntries(buf: Buffer): Map<string, ZipEntry> {
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new XlsxReadError('no zip directory');
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== 0x02014b50) throw new XlsxReadError('bad zip entry');
    const nameLength = buf.readUInt16LE(p + 28);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    entries.set(name.replace(/\\/g, '/'), {
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      offset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

/** The compressed bytes of an entry (no copy: a view of the upload). */
function entryData(buf: Buffer, e: ZipEntry): Buffer {
  if (e.offset + 30 > buf.length || buf.readUInt32LE(e.offset) !== 0x04034b50) throw new XlsxReadError('bad zip entry');
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  if (start + e.compressedSize > buf.length) throw new XlsxReadError('truncated zip entry');
  if (e.method !== 0 && e.method !== 8) throw new XlsxReadError(`zip compression method ${e.method}`);
  return buf.subarray(start, start + e.compressedSize);
}

/** A small part, whole (workbook, relationships, styles). */
function entryText(buf: Buffer, e: ZipEntry): string {
  const data = entryData(buf, e);
  // At most the declared size: a part that inflates to more than its directory entry says is damaged (or a bomb).
  const bytes = e.method === 0 ? data : inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
  return new TextDecoder('utf-8').decode(bytes);
}

/** A large part as text chunks, inflated as they are read; a character split across chunks is decoded whole. */
async function* entryChunks(buf: Buffer, e: ZipEntry): AsyncGenerator<string> {
  const data = entryData(buf, e);
  const decoder = new TextDecoder('utf-8');
  let total = 0;
  const chunkSize = 64 * 1024;
  if (e.method === 0) {
    for (let i = 0; i < data.length; i += chunkSize) yield decoder.decode(data.subarray(i, i + chunkSize), { stream: true });
  } else {
    const inflate = createInflateRaw({ chunkSize });
    inflate.end(data);
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > e.size) {
        inflate.destroy();
        throw new XlsxReadError('a part inflates to more than its declared size');
      }
      yield decoder.decode(chunk, { stream: true });
    }
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Tag name without its namespace prefix (some writers prefix the main namespace: `x:row`). */
const local = (name: string) => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

function parser(): SaxesParser {
  return new SaxesParser({ position: false });
}

/** Runs a parser over a whole small part. */
function parseText(text: string, handlers: { open?: (tag: SaxesTagPlain) => void }) {
  const p = parser();
  if (handlers.open) p.on('opentag', handlers.open);
  p.write(text).close();
}

/** Target of a relationship, as a zip entry name (relative to xl/ unless absolute). */
function resolvePart(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

// Built-in number formats that are dates or times (ECMA-376 18.8.30, and the CJK ones 27–36, 50–58).
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** ExcelJS's rule: a format with y, m, d, h, s (outside quotes and [..]) shows a date. */
const isDateFormat = (code: string) => /[ymdhMsb]+/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

/** Style index → whether its number format is a date, from styles.xml (cellXfs). */
function dateStyles(text: string): boolean[] {
  const custom = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  const p = parser();
  p.on('opentag', (tag) => {
    const name = local(tag.name);
    if (name === 'numFmt') custom.set(Number(tag.attributes.numFmtId), String(tag.attributes.formatCode ?? ''));
    else if (name === 'cellXfs') inCellXfs = true;
    else if (name === 'xf' && inCellXfs) {
      const id = Number(tag.attributes.numFmtId ?? 0);
      const code = custom.get(id);
      styles.push(code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id));
    }
  });
  p.on('closetag', (tag) => {
    if (local(tag.name) === 'cellXfs') inCellXfs = false;
  });
  p.write(text).close();
  return styles;
}

/**
 * Text of a string item (`<si>` of the shared strings, `<is>` of an inline string): the `<t>` runs joined,
 * phonetic runs (`<rPh>`) left out. Returns handlers to plug into a parser.
 */
function stringCollector(container: string) {
  let inside = false;
  let inT = false;
  let phonetic = 0;
  let text = '';
  return {
    open(name: string) {
      if (name === container) {
        inside = true;
        text = '';
      } else if (inside && name === 'rPh') phonetic++;
      else if (inside && name === 't' && phonetic === 0) inT = true;
    },
    text(t: string) {
      if (inT) text += t;
    },
    /** The finished text when `name` closes the container, else undefined. */
    close(name: string): string | undefined {
      if (name === 't') inT = false;
      else if (name === 'rPh') phonetic--;
      else if (name === container && inside) {
        inside = false;
        return text;
      }
      return undefined;
    },
  };
}

async function sharedStrings(buf: Buffer, e: ZipEntry): Promise<string[]> {
  const out: string[] = [];
  const items = stringCollector('si');
  const p = parser();
  p.on('opentag', (tag) => items.open(local(tag.name)));
  p.on('text', items.text);
  p.on('cdata', items.text);
  p.on('closetag', (tag) => {
    const s = items.close(local(tag.name));
    if (s !== undefined) out.push(s);
  });
  for await (const chunk of entryChunks(buf, e)) p.write(chunk);
  p.close();
  return out;
}

/** Column number of a cell reference like "AB12" (1-based); NaN when there is none. */
function columnOf(ref: string | undefined): number {
  if (!ref) return Number.NaN;
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return n || Number.NaN;
}

export interface XlsxSheet {
  name: string;
  rows: AsyncGenerator<XlsxRow>;
}

/**
 * Opens the first worksheet (in workbook order) whose name is not in `skip`; undefined when there is none.
 * Throws XlsxReadError (or a parser error) for a workbook it cannot read.
 */
export async function openXlsxSheet(buf: Buffer, skip: string[] = []): Promise<XlsxSheet | undefined> {
  const entries = zipEntries(buf);
  const part = (name: string) => entries.get(name);
  const workbookEntry = part('xl/workbook.xml');
  if (!workbookEntry) throw new XlsxReadError('no xl/workbook.xml');
  const sheets: { name: string; rid: string }[] = [];
  let date1904 = false;
  parseText(entryText(buf, workbookEntry), {
    open(tag) {
      const name = local(tag.name);
      if (name === 'sheet') {
        const rid = Object.entries(tag.attributes).find(([k]) => local(k) === 'id' && k.includes(':'))?.[1];
        sheets.push({ name: String(tag.attributes.name ?? ''), rid: String(rid ?? '') });
      } else if (name === 'workbookPr') {
        const v = String(tag.attributes.date1904 ?? '');
        date1904 = v === '1' || v === 'true';
      }
    },
  });
  const rels = new Map<string, { type: string; target: string }>();
  const relsEntry = part('xl/_rels/workbook.xml.rels');
  if (relsEntry) {
    parseText(entryText(buf, relsEntry), {
      open(tag) {
        if (local(tag.name) !== 'Relationship') return;
        rels.set(String(tag.attributes.Id), {
          type: String(tag.attributes.Type ?? ''),
          target: resolvePart('xl/workbook.xml', String(tag.attributes.Target ?? '')),
        });
      },
    });
  }
  const relOfType = (suffix: string, fallback: string) =>
    [...rels.values()].find((r) => r.type.endsWith(suffix))?.target ?? (entries.has(fallback) ? fallback : undefined);

  const chosen = sheets.find((s) => !skip.includes(s.name) && rels.get(s.rid)?.type.endsWith('/worksheet') !== false);
  if (!chosen) return undefined;
  const sheetPart = rels.get(chosen.rid)?.target ?? `xl/worksheets/sheet${sheets.indexOf(chosen) + 1}.xml`;
  const sheetEntry = part(sheetPart);
  if (!sheetEntry) throw new XlsxReadError(`no ${sheetPart}`);

  const stylesPart = relOfType('/styles', 'xl/styles.xml');
  const stylesEntry = stylesPart ? part(stylesPart) : undefined;
  const isDate = stylesEntry ? dateStyles(entryText(buf, stylesEntry)) : [];
  const stringsPart = relOfType('/sharedStrings', 'xl/sharedStrings.xml');
  const stringsEntry = stringsPart ? part(stringsPart) : undefined;
  const strings = stringsEntry ? await sharedStrings(buf, stringsEntry) : [];
  return { name: chosen.name, rows: sheetRows(buf, sheetEntry, strings, isDate, date1904) };
}

const DAY_MS = 86_400_000;

async function* sheetRows(buf: Buffer, entry: ZipEntry, strings: string[], isDate: boolean[], date1904: boolean): AsyncGenerator<XlsxRow> {
  const ready: XlsxRow[] = [];
  let rowNumber = 0;
  let values: ExcelJS.CellValue[] = [];
  let inRow = false;
  let col = 0;
  let type = '';
  let style = 0;
  let v: string | undefined;
  let f: string | undefined;
  let capture: 'v' | 'f' | null = null;
  const inline = stringCollector('is');
  let inlineText: string | undefined;

  const cellValue = (): ExcelJS.CellValue | undefined => {
    let value: ExcelJS.CellValue | undefined;
    switch (type) {
      case 's':
        value = v === undefined ? undefined : (strings[Number(v)] ?? '');
        break;
      case 'inlineStr':
        value = inlineText ?? v;
        break;
      case 'str':
        value = v;
        break;
      case 'b':
        value = v === undefined ? undefined : v.trim() === '1' || v.trim() === 'true';
        break;
      case 'e':
        value = v === undefined ? undefined : { error: v.trim() as ExcelJS.CellErrorValue['error'] };
        break;
      case 'd':
        value = v === undefined ? undefined : new Date(v.trim());
        break;
      default:
        if (v !== undefined && v.trim() !== '') {
          const n = Number(v);
          value = isDate[style] && Number.isFinite(n) ? new Date(Math.round((n - 25569 + (date1904 ? 1462 : 0)) * DAY_MS)) : n;
        }
    }
    if (f !== undefined) return { formula: f, result: value } as ExcelJS.CellFormulaValue;
    return value;
  };

  const p = parser();
  p.on('opentag', (tag) => {
    const name = local(tag.name);
    if (name === 'row') {
      inRow = true;
      const r = Number(tag.attributes.r);
      rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
      values = [];
      col = 0;
    } else if (!inRow) {
      return;
    } else if (name === 'c') {
      const c = columnOf(tag.attributes.r as string | undefined);
      col = Number.isNaN(c) ? col + 1 : c;
      type = String(tag.attributes.t ?? 'n');
      style = Number(tag.attributes.s ?? 0);
      v = undefined;
      f = undefined;
      inlineText = undefined;
    } else if (name === 'v') {
      capture = 'v';
      v = '';
    } else if (name === 'f') {
      capture = 'f';
      f = '';
    } else inline.open(name);
  });
  const onText = (t: string) => {
    if (capture === 'v') v += t;
    else if (capture === 'f') f += t;
    else inline.text(t);
  };
  p.on('text', onText);
  p.on('cdata', onText);
  p.on('closetag', (tag) => {
    if (!inRow) return;
    const name = local(tag.name);
    if (name === 'v' || name === 'f') capture = null;
    else if (name === 'c') {
      const value = cellValue();
      if (value !== undefined && value !== null) values[col] = value;
    } else if (name === 'row') {
      inRow = false;
      ready.push({ row: rowNumber, values });
    } else {
      const s = inline.close(name);
      if (s !== undefined) inlineText = s;
    }
  });

  for await (const chunk of entryChunks(buf, entry)) {
    p.write(chunk);
    if (ready.length) yield* ready.splice(0);
  }
  p.close();
  if (ready.length) yield* ready.splice(0);
}
