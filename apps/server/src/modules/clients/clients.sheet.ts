import { type Labelled, RISK_LEVEL_LABELS, type RiskLevel, SEX_LABELS } from '@wushe/domain';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../../platform/errors.js';
import { cellText, inspectXlsx } from '../../platform/xlsx.js';
import { openXlsxSheet, type XlsxSheet } from '../../platform/xlsx-rows.js';

/**
 * The sheet side of the client import and export: the columns (template order, Chinese headers and the
 * variants other ledgers use), reading an upload (xlsx streamed row by row, or CSV in UTF-8 or GBK/GB18030)
 * into rows of cells, and finding the header row and its mapping to our fields. No database here.
 */

export const MAX_CLIENT_IMPORT_ROWS = 100_000;
/** A 100,000-row sheet unpacks to ~80 MB of XML; the sheet is streamed, so this bounds time, not memory. */
export const MAX_CLIENT_UNCOMPRESSED_BYTES = 300 * 1024 * 1024;
export const CLIENTS_SHEET = '服务对象';
export const INSTRUCTIONS_SHEET = '说明';

export type ClientField =
  | 'name'
  | 'idNumber'
  | 'sex'
  | 'birthDate'
  | 'ethnicity'
  | 'phone'
  | 'address'
  | 'community'
  | 'unit'
  | 'categories'
  | 'categoryStart'
  | 'riskLevel'
  | 'tags';

export interface ClientColumn {
  field: ClientField;
  header: string;
  required: boolean;
  width: number;
  /** Other headers that mean the same column (matched without spaces, '*' and case). */
  aliases: string[];
  help: string;
  example: string;
  /** Stored as text in the template (long digit strings must not become numbers). */
  text?: boolean;
}

const labels = (list: readonly Labelled[]) => list.map((l) => l.zh).join('、');
/** Help of the 对象类别 column, naming the deployment's categories (系统设置 → 对象类别). */
export const categoriesHelp = (zhLabels?: string[]) =>
  `可多选，用“、”或“,”分隔：${zhLabels?.length ? zhLabels.join('、') : '“系统设置 → 对象类别”中的类别名称'}。导入只增加类别，不结束已有类别。`;

/** The columns of the template and of the export, in order. */
export const CLIENT_SHEET_COLUMNS: ClientColumn[] = [
  {
    field: 'name',
    header: '姓名',
    required: true,
    width: 12,
    aliases: ['名字', '对象姓名', '服务对象姓名', '服务对象', 'name'],
    help: '1 至 50 个字。',
    example: '张三丰',
  },
  {
    field: 'idNumber',
    header: '身份证号码',
    required: false,
    width: 22,
    aliases: ['身份证号', '身份证', '证件号码', '证件号', '公民身份号码', '身份证件号码', '公民身份证号码', 'idNumber'],
    help: '18 位（或 15 位）居民身份证号码，请设为文本格式。已在台账中的号码按“更新”处理；同一号码在文件中只能出现一次。',
    example: '500103194203151234',
    text: true,
  },
  {
    field: 'sex',
    header: '性别',
    required: false,
    width: 8,
    aliases: ['sex', 'gender'],
    help: '男、女；有身份证号码时可不填（须与号码一致）。',
    example: '男',
  },
  {
    field: 'birthDate',
    header: '出生日期',
    required: false,
    width: 12,
    aliases: ['出生年月日', '生日', 'birthDate'],
    help: 'Excel 日期或 YYYY-MM-DD；有身份证号码时可不填（须与号码一致）。',
    example: '1942-03-15',
  },
  {
    field: 'ethnicity',
    header: '民族',
    required: false,
    width: 8,
    aliases: ['ethnicity'],
    help: '最多 20 字，如 汉族。',
    example: '汉族',
  },
  {
    field: 'phone',
    header: '联系电话',
    required: false,
    width: 16,
    aliases: ['电话', '手机号', '手机号码', '手机', '联系方式', '电话号码', '联系电话号码', 'phone'],
    help: '数字、空格和 + - ( )，5 至 30 个字符；请设为文本格式。',
    example: '13812345678',
    text: true,
  },
  {
    field: 'address',
    header: '现住址',
    required: false,
    width: 32,
    aliases: ['地址', '住址', '家庭住址', '居住地址', '现居住地址', '现居住地', 'address'],
    help: '最多 200 字。',
    example: '幸福路 12 号 3 单元 201',
  },
  {
    field: 'community',
    header: '所属社区',
    required: true,
    width: 24,
    aliases: ['社区', '所在社区', '村(社区)', '所属村(社区)', '所在村(社区)', '社区名称', '社区代码', 'community', 'regionCode'],
    help: '您管辖范围内的村（社区）名称（如 幸福社区），或 12 位统计用区划代码。',
    example: '幸福社区',
    text: true,
  },
  {
    field: 'unit',
    header: '所属单位',
    required: false,
    width: 28,
    aliases: ['单位', '服务单位', '所属站点', '所属工作室', 'unit', 'unitId'],
    help: '选填：社会工作站、社会工作室或社工点的名称；不填时为该社区的社会工作室（没有时为所在街道的社会工作站）。',
    example: '幸福社区社会工作室',
  },
  {
    field: 'categories',
    header: '对象类别',
    required: false,
    width: 24,
    aliases: ['类别', '对象类型', '人员类别', '救助类别', 'categories', 'category'],
    help: categoriesHelp(),
    example: '低保、独居老人',
  },
  {
    field: 'categoryStart',
    header: '类别开始日期',
    required: false,
    width: 14,
    aliases: ['开始日期', '纳入日期', '认定日期', 'categoryStart', 'startDate'],
    help: '新增类别的开始日期（Excel 日期或 YYYY-MM-DD）；不填为导入当天。',
    example: '2024-01-01',
  },
  {
    field: 'riskLevel',
    header: '风险等级',
    required: false,
    width: 10,
    aliases: ['风险', '风险级别', 'riskLevel'],
    help: `${labels(RISK_LEVEL_LABELS)}；新对象不填为一般。`,
    example: '重点',
  },
  {
    field: 'tags',
    header: '标签',
    required: false,
    width: 20,
    aliases: ['tags'],
    help: '可多个，用“、”或“,”分隔，每个最多 20 字，最多 20 个。',
    example: '行动不便',
  },
];

export const COLUMN_OF = Object.fromEntries(CLIENT_SHEET_COLUMNS.map((c) => [c.field, c])) as Record<ClientField, ClientColumn>;
export const CLIENT_FIELDS = CLIENT_SHEET_COLUMNS.map((c) => c.field);

export const normaliseHeader = (s: string) =>
  s
    .replace(/[\s*＊:：]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\((必填|选填)\)$/, '')
    .toLowerCase();

const HEADER_FIELD = new Map<string, ClientField>();
for (const c of CLIENT_SHEET_COLUMNS) {
  HEADER_FIELD.set(normaliseHeader(c.header), c.field);
  HEADER_FIELD.set(normaliseHeader(c.field), c.field);
  for (const a of c.aliases) HEADER_FIELD.set(normaliseHeader(a), c.field);
}
export const fieldOfHeader = (text: string): ClientField | undefined => HEADER_FIELD.get(normaliseHeader(text));

/** A label lookup accepting the Chinese label, the English value and the English label (any case). */
export function labelLookup<T extends string>(list: readonly Labelled<T>[], extra: Record<string, T> = {}): (s: string) => T | undefined {
  const map = new Map<string, T>(Object.entries(extra));
  for (const l of list) {
    map.set(l.zh, l.value);
    map.set(l.value.toLowerCase(), l.value);
    map.set(l.en.toLowerCase(), l.value);
  }
  return (s) => map.get(s) ?? map.get(s.toLowerCase());
}
export const sexOf = labelLookup(SEX_LABELS, { 男性: 'male', 女性: 'female', m: 'male', f: 'female' });
export const riskOf = labelLookup<RiskLevel>(RISK_LEVEL_LABELS, { 高: 'high', 较高: 'key', 中: 'key', 低: 'general', 普通: 'general' });

// ------------------------------------------------------------------------------------------ reading

export function fileError(code: string, message: string, details = [{ path: 'file', code, message }]): AppError {
  return new AppError('validation_failed', { message, details });
}

function unsupported(code: string, message: string): AppError {
  return new AppError('unsupported_media_type', { status: 415, message, details: [{ path: 'file', code, message }] });
}

export function tooManyRows(): AppError {
  return new AppError('too_large', {
    status: 413,
    message: `at most ${MAX_CLIENT_IMPORT_ROWS} rows per file; split the sheet`,
    details: [{ path: 'file', code: 'too_many_rows', message: `at most ${MAX_CLIENT_IMPORT_ROWS} rows per file` }],
  });
}

/** One row of the upload: the cells by column number (1-based, as Excel counts them). */
export interface RawRow {
  row: number;
  values: ExcelJS.CellValue[];
}

export type FileKind = 'xlsx' | 'csv';

/** What the bytes are: an xlsx (checked like the network import, with a larger unpacked limit), or CSV text. */
export function detectFile(buf: Buffer): FileKind {
  if (buf.length === 0) throw fileError('empty', 'the file is empty');
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) {
    inspectXlsx(buf, MAX_CLIENT_UNCOMPRESSED_BYTES);
    return 'xlsx';
  }
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0 && buf.readUInt32BE(4) === 0xa1b11ae1) {
    throw unsupported('xls_not_supported', 'this is an old .xls workbook; save it as .xlsx (Excel 2007 or later) or CSV and upload again');
  }
  // Text has no NUL bytes and few control characters; pictures, PDFs, archives and random bytes do.
  if (buf.includes(0)) throw unsupported('not_xlsx_or_csv', 'the file is neither an xlsx workbook nor a CSV text file');
  const sample = buf.subarray(0, 65536);
  let control = 0;
  for (const b of sample) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
  if (control > sample.length / 100) throw unsupported('not_xlsx_or_csv', 'the file is neither an xlsx workbook nor a CSV text file');
  return 'csv';
}

/** CSV bytes as text: UTF-8 (with or without BOM) when they are valid UTF-8, else GB18030 (a superset of GBK). */
export function decodeCsv(buf: Buffer): { text: string; encoding: 'utf-8' | 'gb18030' } {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    const text = iconv.decode(buf, 'gb18030');
    const bad = (text.match(/\uFFFD/g) ?? []).length;
    if (bad > text.length / 100) throw unsupported('not_xlsx_or_csv', 'the text is neither UTF-8 nor GBK/GB18030');
    return { text, encoding: 'gb18030' };
  }
}

/** RFC 4180 records: quoted fields with "" escapes and line breaks; the separator is guessed from the first line. */
export function* csvRows(text: string): Generator<RawRow> {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', '\t', ';'].map((s) => [s, firstLine.split(s).length] as const).sort((a, b) => b[1] - a[1]);
  const sep = counts[0][1] > 1 ? counts[0][0] : ',';
  let row = 1;
  let values: ExcelJS.CellValue[] = [null];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endField = () => {
    values.push(field);
    field = '';
  };
  while (i < n) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === sep) {
      endField();
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endField();
      yield { row, values };
      row++;
      values = [null];
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || values.length > 1) {
    endField();
    yield { row, values };
  }
}

/**
 * The rows of the first sheet that is not the instructions sheet, streamed by the lean reader of
 * platform/xlsx-rows.ts (only the sheet's XML is inflated, chunk by chunk; a row is an array of values):
 * ExcelJS's streaming reader cost ~2 KB of Row and Cell objects per row. Anything it cannot read is a 415.
 */
export async function* xlsxRows(buf: Buffer): AsyncGenerator<RawRow> {
  let sheet: XlsxSheet | undefined;
  try {
    sheet = await openXlsxSheet(buf, [INSTRUCTIONS_SHEET]);
    if (sheet) for await (const r of sheet.rows) yield r;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unsupported('corrupt_xlsx', 'the workbook could not be read; open it in Excel or WPS and save it again as .xlsx');
  }
  if (!sheet) throw fileError('missing_header', 'the workbook has no sheet to import');
}

// ------------------------------------------------------------------------------------------ header

export interface SheetLayout {
  headerRow: number;
  /** Header texts of the header row, in column order. */
  headers: string[];
  /** Column number → field. */
  columns: Map<number, ClientField>;
  /** Sheet header → field, as used. */
  mapping: Record<string, ClientField>;
  /** Field → the sheet's header for it (for error messages). */
  headerOf: Record<ClientField, string>;
  /** Columns whose header cell is not empty. */
  named: Set<number>;
}

/** The user's mapping: sheet header → our field (key like idNumber, or our header like 身份证号码), null to ignore. */
export type HeaderMapping = Record<string, string | null>;

/** Parses the `mapping` form field (JSON); 400 with details for anything else. */
export function parseMapping(raw: string | undefined): HeaderMapping | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new AppError('validation_failed', {
      message: 'mapping must be a JSON object of sheet header → field',
      details: [{ path: 'mapping', code: 'invalid_json', message: 'mapping is not JSON' }],
    });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 100) {
    throw new AppError('validation_failed', {
      message: 'mapping must be a JSON object of sheet header → field',
      details: [{ path: 'mapping', code: 'invalid', message: 'an object of at most 100 entries' }],
    });
  }
  const out: HeaderMapping = {};
  const details: { path: string; code: string; message: string }[] = [];
  for (const [header, target] of Object.entries(value as Record<string, unknown>)) {
    if (target === null || target === '') {
      out[header] = null;
      continue;
    }
    const field = typeof target === 'string' && header.length <= 200 ? fieldOfHeader(target) : undefined;
    if (!field) {
      details.push({
        path: `mapping.${header.slice(0, 50)}`,
        code: 'unknown_field',
        message: `"${String(target).slice(0, 50)}" is not a column of the client sheet; use one of ${CLIENT_FIELDS.join(', ')}`,
      });
    } else out[header] = field;
  }
  if (details.length) throw new AppError('validation_failed', { message: 'mapping names unknown fields', details });
  return out;
}

/**
 * Picks the header row among the first five (the one with the most recognised headers: a title line above
 * it is allowed) and maps its columns to fields, the user's mapping first, then our headers and variants.
 */
export function findLayout(candidates: RawRow[], mapping: HeaderMapping | undefined): SheetLayout {
  const userMap = new Map<string, string | null>();
  for (const [h, f] of Object.entries(mapping ?? {})) userMap.set(normaliseHeader(h), f);
  let best: SheetLayout | undefined;
  let bestScore = 0;
  for (const r of candidates) {
    const columns = new Map<number, ClientField>();
    const headers: string[] = [];
    const map: Record<string, ClientField> = {};
    const headerOf = {} as Record<ClientField, string>;
    const seen = new Map<ClientField, string>();
    const seenMapped = new Set<string>();
    const named = new Set<number>();
    let duplicate: [ClientField, string, string] | undefined;
    r.values.forEach((v, col) => {
      const text = cellText(v ?? null);
      if (!text) return;
      headers.push(text);
      named.add(col);
      const key = normaliseHeader(text);
      let field: ClientField | undefined;
      if (userMap.has(key)) {
        seenMapped.add(key);
        const target = userMap.get(key);
        field = target ? (target as ClientField) : undefined;
      } else field = fieldOfHeader(text);
      if (!field) return;
      const prior = seen.get(field);
      if (prior !== undefined) {
        duplicate ??= [field, prior, text];
        return;
      }
      seen.set(field, text);
      columns.set(col, field);
      map[text] = field;
      headerOf[field] = text;
    });
    if (columns.size > bestScore) {
      if (duplicate) {
        const [field, a, b] = duplicate;
        throw fileError('duplicate_column', `two columns mean ${COLUMN_OF[field].header}: ${a} and ${b}`, [
          {
            path: COLUMN_OF[field].header,
            code: 'duplicate_column',
            message: `the columns ${a} and ${b} both mean ${COLUMN_OF[field].header}`,
          },
        ]);
      }
      const missingMapped = [...userMap.keys()].filter((k) => !seenMapped.has(k));
      if (mapping && missingMapped.length > 0 && columns.size > 0) {
        const names = Object.keys(mapping).filter((h) => missingMapped.includes(normaliseHeader(h)));
        throw fileError(
          'header_not_found',
          `the mapping names headers the sheet does not have: ${names.join(', ')}`,
          names.map((h) => ({ path: `mapping.${h.slice(0, 50)}`, code: 'header_not_found', message: `no column ${h} in the header row` })),
        );
      }
      bestScore = columns.size;
      best = { headerRow: r.row, headers, columns, mapping: map, headerOf, named };
    }
  }
  if (!best) {
    const message = `no header row: one of the first rows must name the columns (${CLIENT_SHEET_COLUMNS.map((c) => c.header).join(', ')})`;
    // The first non-empty row is most likely the header: offer its texts for a mapping.
    const first = candidates.find((r) => r.values.some((v) => cellText(v ?? null) !== ''));
    const texts = (first?.values ?? []).map((v) => cellText(v ?? null)).filter((t) => t !== '');
    throw fileError('missing_header', message, [
      { path: 'file', code: 'missing_header', message },
      ...texts.map((h) => ({ path: h, code: 'sheet_header', message: 'a column of the first row' })),
    ]);
  }
  const present = new Set(best.columns.values());
  const missing = CLIENT_SHEET_COLUMNS.filter((c) => c.required && !present.has(c.field));
  if (missing.length > 0) {
    throw fileError('missing_column', `required columns missing: ${missing.map((c) => c.header).join(', ')}`, [
      ...missing.map((c) => ({ path: c.header, code: 'missing_column', message: `the column ${c.header} is required` })),
      // The header row as read, so that the console can offer to map its columns.
      ...best.headers.map((h) => ({ path: h, code: 'sheet_header', message: 'a column of the header row' })),
    ]);
  }
  for (const c of CLIENT_SHEET_COLUMNS) best.headerOf[c.field] ??= c.header;
  return best;
}

export interface SheetRow {
  row: number;
  cells: Partial<Record<ClientField, ExcelJS.CellValue>>;
}

const colLetter = (n: number) => {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

/**
 * One string for each distinct text of a column that repeats (community, unit, sex, ethnicity, categories, risk…):
 * what the rows become is kept for the whole import, and a copy of 兴隆街社区 per row adds up over 100,000 rows.
 * A column with more than 1,000 distinct texts (names, ID numbers, phones, addresses) is no longer pooled.
 */
function columnPool(): (col: number, v: ExcelJS.CellValue) => ExcelJS.CellValue {
  const pools = new Map<number, Map<string, string> | null>();
  return (col, v) => {
    if (typeof v !== 'string' || v.length > 64) return v;
    let pool = pools.get(col);
    if (pool === null) return v;
    if (pool === undefined) {
      pool = new Map();
      pools.set(col, pool);
    }
    const known = pool.get(v);
    if (known !== undefined) return known;
    if (pool.size >= 1000) pools.set(col, null);
    else pool.set(v, v);
    return v;
  };
}

/**
 * Reads an upload into its layout and data rows (empty rows skipped). Bad files throw 4xx `AppError`s: not
 * an xlsx or CSV (415), no header row, missing required columns, values in a column without header (400),
 * more than MAX_CLIENT_IMPORT_ROWS rows (413, as soon as the row after the last allowed one is read).
 */
export async function readClientSheet<T = SheetRow>(
  file: Buffer,
  mapping?: HeaderMapping,
  /** Turns each row into what is kept (the import keeps parsed drafts, not cells: half the memory). */
  convert: (row: SheetRow, layout: SheetLayout) => T = (row) => row as T,
): Promise<{ kind: FileKind; encoding: string | null; layout: SheetLayout; rows: T[] }> {
  const kind = detectFile(file);
  let encoding: string | null = null;
  let source: AsyncIterable<RawRow> | Iterable<RawRow>;
  if (kind === 'csv') {
    const decoded = decodeCsv(file);
    encoding = decoded.encoding;
    source = csvRows(decoded.text);
  } else source = xlsxRows(file);
  const head: RawRow[] = [];
  let layout: SheetLayout | undefined;
  const rows: T[] = [];
  const pooled = columnPool();
  const take = (r: RawRow, l: SheetLayout) => {
    if (r.row <= l.headerRow) return;
    const cells: SheetRow['cells'] = {};
    let empty = true;
    for (const [col, field] of l.columns) {
      const v = pooled(col, r.values[col] ?? null);
      cells[field] = v;
      if (v !== null && v !== undefined && v !== '') empty = false;
    }
    // A value under an empty header is most often a merged header cell over two columns: which one is meant
    // cannot be known, so the file is refused rather than the column silently dropped.
    for (let col = 1; col < r.values.length; col++) {
      const v = r.values[col];
      if (l.named.has(col) || v === null || v === undefined || cellText(v) === '') continue;
      throw fileError(
        'unnamed_column',
        `column ${colLetter(col)} holds values but has no header of its own (merged header cells?); give every column its own header in row ${l.headerRow}`,
        [{ path: colLetter(col), code: 'merged_header', message: `column ${colLetter(col)} has values but no header` }],
      );
    }
    if (empty) return;
    rows.push(convert({ row: r.row, cells }, l));
    if (rows.length > MAX_CLIENT_IMPORT_ROWS) throw tooManyRows();
  };
  for await (const r of source) {
    if (!layout) {
      if (r.row <= 5) {
        head.push(r);
        continue;
      }
      layout = findLayout(head, mapping);
      for (const h of head) take(h, layout);
    }
    take(r, layout);
  }
  if (!layout) {
    layout = findLayout(head, mapping);
    for (const h of head) take(h, layout);
  }
  if (rows.length === 0) throw fileError('no_rows', 'the sheet has a header row but no data rows');
  return { kind, encoding, layout, rows };
}
