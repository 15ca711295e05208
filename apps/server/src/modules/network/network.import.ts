import { createHash } from 'node:crypto';
import {
  type Labelled,
  UNIT_FUNCTION_LABELS,
  UNIT_KIND_LABELS,
  UNIT_STATUS_LABELS,
  type UnitFunction,
  type UnitKind,
  type UnitStatus,
} from '@wushe/domain';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import {
  claimIdempotencyKey,
  findIdempotencyKey,
  parseIdempotencyKey,
  replayIdempotent,
  saveIdempotentResponse,
} from '../../platform/idempotency.js';
import { scopeWhere } from '../../platform/scope.js';
import { cellDate, cellText, isErrorCell, loadXlsx, styleHeader, writeXlsx } from '../../platform/xlsx.js';
import { writeAudit } from '../audit/audit.service.js';
import { type UnitInput, UnitInputSchema } from './network.schemas.js';
import { createUnit } from './network.service.js';

/**
 * Bulk creation of units from an xlsx sheet. Every row goes through `createUnit` (the same placement
 * rules, scope checks and audit as a single create), each in its own savepoint, all inside ONE
 * transaction: a dry run, or a file with any bad row, rolls the whole transaction back, so nothing is
 * ever half imported.
 */

export const MAX_IMPORT_ROWS = 5000;
export const IMPORT_PURPOSE = 'units.import';
export const INSTRUCTIONS_SHEET = '说明';
export const UNITS_SHEET = '服务网络单位';

export const ImportErrorSchema = z.object({
  row: z.number().int().describe('row number in the sheet, as Excel shows it (the header is row 1)'),
  column: z.string().nullable().describe('header of the column at fault (单位名称, 上级单位…), null for the whole row'),
  code: z.string().describe('machine code: required, unknown_kind, unknown_parent, wrong_region_level, …'),
  message: z.string(),
});
export const ImportReportSchema = z.object({
  committed: z.boolean().describe('true only when the units were written'),
  rows: z.number().int().describe('data rows read (empty rows skipped)'),
  valid: z.number().int().describe('rows without errors'),
  errors: z.array(ImportErrorSchema),
  created: z.number().int().describe('units created (0 in a dry run or when any row has errors)'),
});
export type ImportError = z.infer<typeof ImportErrorSchema>;
export type ImportReport = z.infer<typeof ImportReportSchema>;

type Field =
  | 'name'
  | 'kind'
  | 'regionCode'
  | 'parent'
  | 'status'
  | 'operator'
  | 'contractStart'
  | 'contractEnd'
  | 'address'
  | 'phone'
  | 'openingHours'
  | 'functions';

interface ColumnSpec {
  field: Field;
  header: string;
  required: boolean;
  width: number;
  aliases: string[];
  help: string;
  example: string;
}

const labels = (list: readonly Labelled[]) => list.map((l) => l.zh).join('、');
const TEMPLATE_KINDS = UNIT_KIND_LABELS.filter((k) => k.value !== 'bureau');

/** The columns of the import sheet, in template order. Headers are matched exactly (trimmed, '*' ignored). */
export const IMPORT_COLUMNS: ColumnSpec[] = [
  {
    field: 'name',
    header: '单位名称',
    required: true,
    width: 32,
    aliases: ['name'],
    help: '2 至 100 个字。同一文件中，类型、行政区划和名称都相同的两行视为重复。',
    example: '某某街道社会工作服务站',
  },
  {
    field: 'kind',
    header: '单位类型',
    required: true,
    width: 18,
    aliases: ['kind', 'type'],
    help: `${labels(TEMPLATE_KINDS)}（也接受英文值 centre、station、office、point）。`,
    example: '社会工作服务站',
  },
  {
    field: 'regionCode',
    header: '行政区划代码',
    required: true,
    width: 16,
    aliases: ['regionCode', 'region'],
    help: '统计用区划代码：指导中心填区县 6 位，服务站填乡镇（街道）9 位，工作室和社工点填村（社区）12 位。请设为文本格式。',
    example: '500103001',
  },
  {
    field: 'parent',
    header: '上级单位',
    required: true,
    width: 30,
    aliases: ['parent', 'parentId'],
    help: '您管辖范围内已有单位的名称或 ID，或本表中位于前面行的单位名称（先写上级，再写下级）。',
    example: '某某区社会工作指导中心',
  },
  {
    field: 'status',
    header: '状态',
    required: true,
    width: 10,
    aliases: ['status'],
    help: `${labels(UNIT_STATUS_LABELS)}。`,
    example: '运营中',
  },
  {
    field: 'operator',
    header: '承接机构',
    required: false,
    width: 30,
    aliases: ['operator'],
    help: '已登记且您可见的承接机构名称（或统一社会信用代码）；须先在“承接机构”中登记。',
    example: '某某社会工作服务中心',
  },
  {
    field: 'contractStart',
    header: '合同开始',
    required: false,
    width: 12,
    aliases: ['contractStart'],
    help: 'Excel 日期，或文本 YYYY-MM-DD。',
    example: '2024-01-01',
  },
  {
    field: 'contractEnd',
    header: '合同结束',
    required: false,
    width: 12,
    aliases: ['contractEnd'],
    help: 'Excel 日期，或文本 YYYY-MM-DD；不得早于合同开始。',
    example: '2026-12-31',
  },
  {
    field: 'address',
    header: '地址',
    required: false,
    width: 36,
    aliases: ['address'],
    help: '最多 200 字。',
    example: '重庆市渝中区某某路 1 号',
  },
  {
    field: 'phone',
    header: '电话',
    required: false,
    width: 16,
    aliases: ['phone'],
    help: '数字、空格和 + - ( )，5 至 30 个字符。',
    example: '023-6300 0000',
  },
  {
    field: 'openingHours',
    header: '开放时间',
    required: false,
    width: 22,
    aliases: ['openingHours'],
    help: '最多 100 字。',
    example: '周一至周五 9:00-17:30',
  },
  {
    field: 'functions',
    header: '功能',
    required: false,
    width: 36,
    aliases: ['functions'],
    help: `可多选，用“、”或“,”分隔：${labels(UNIT_FUNCTION_LABELS)}。`,
    example: '社会工作站、未成年人保护工作站',
  },
];

const COLUMN_OF: Record<Field, string> = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.field, c.header])) as Record<Field, string>;

/** Where a field of `UnitInput` (as named in AppError details and Zod issues) sits in the sheet. */
const INPUT_FIELD_COLUMN: Record<string, string> = {
  name: COLUMN_OF.name,
  kind: COLUMN_OF.kind,
  regionCode: COLUMN_OF.regionCode,
  parentId: COLUMN_OF.parent,
  status: COLUMN_OF.status,
  operatorId: COLUMN_OF.operator,
  contractStart: COLUMN_OF.contractStart,
  contractEnd: COLUMN_OF.contractEnd,
  address: COLUMN_OF.address,
  phone: COLUMN_OF.phone,
  openingHours: COLUMN_OF.openingHours,
  functions: COLUMN_OF.functions,
};

const normaliseHeader = (s: string) => s.replace(/[\s*＊]/g, '').replace(/[（(]必填[）)]$/, '');
const HEADER_FIELD = new Map<string, Field>();
for (const c of IMPORT_COLUMNS) {
  HEADER_FIELD.set(normaliseHeader(c.header), c.field);
  for (const a of c.aliases) HEADER_FIELD.set(a.toLowerCase(), c.field);
}
const fieldOfHeader = (text: string): Field | undefined => {
  const h = normaliseHeader(text);
  return HEADER_FIELD.get(h) ?? HEADER_FIELD.get(h.toLowerCase());
};

/** A label lookup accepting the Chinese label, the English value and the English label (any case). */
function labelLookup<T extends string>(list: readonly Labelled<T>[]): (s: string) => T | undefined {
  const map = new Map<string, T>();
  for (const l of list) {
    map.set(l.zh, l.value);
    map.set(l.value.toLowerCase(), l.value);
    map.set(l.en.toLowerCase(), l.value);
  }
  return (s) => map.get(s) ?? map.get(s.toLowerCase());
}
const kindOf = labelLookup<UnitKind>(UNIT_KIND_LABELS);
const statusOf = labelLookup<UnitStatus>(UNIT_STATUS_LABELS);
const functionOf = labelLookup<UnitFunction>(UNIT_FUNCTION_LABELS);

interface SheetRow {
  row: number;
  cells: Partial<Record<Field, ExcelJS.CellValue>>;
}

/** The sheet to import: the first one that is not the instructions sheet. */
function importSheet(wb: ExcelJS.Workbook): ExcelJS.Worksheet {
  const ws = wb.worksheets.find((w) => w.name !== INSTRUCTIONS_SHEET);
  if (!ws) throw fileError('missing_header', 'the workbook has no sheet to import');
  return ws;
}

function fileError(code: string, message: string, details = [{ path: 'file', code, message }]): AppError {
  return new AppError('validation_failed', { message, details });
}

/**
 * Reads the rows of an uploaded workbook. The header row is the one among the first five with the most
 * known headers (a title line above it is allowed). Bad files throw 4xx `AppError`s: not an xlsx (415),
 * no header row or missing required columns (400), more than MAX_IMPORT_ROWS rows (413).
 */
export async function readImportSheet(file: Buffer): Promise<SheetRow[]> {
  const wb = await loadXlsx(file);
  const ws = importSheet(wb);
  let headerRow = 0;
  let best = new Map<number, Field>();
  for (let r = 1; r <= Math.min(5, ws.rowCount); r++) {
    const found = new Map<number, Field>();
    const seen = new Map<Field, string>();
    ws.getRow(r).eachCell({ includeEmpty: false }, (cell, col) => {
      const text = cellText(cell.value);
      const field = fieldOfHeader(text);
      if (!field) return;
      if (seen.has(field)) {
        throw fileError('duplicate_column', `the column ${COLUMN_OF[field]} appears twice`, [
          { path: COLUMN_OF[field], code: 'duplicate_column', message: `the column ${COLUMN_OF[field]} appears twice in row ${r}` },
        ]);
      }
      seen.set(field, text);
      found.set(col, field);
    });
    if (found.size > best.size) {
      best = found;
      headerRow = r;
    }
  }
  if (best.size === 0) {
    throw fileError(
      'missing_header',
      `no header row: the first row must name the columns (${IMPORT_COLUMNS.map((c) => c.header).join(', ')})`,
    );
  }
  const present = new Set(best.values());
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !present.has(c.field));
  if (missing.length > 0) {
    throw fileError(
      'missing_column',
      `required columns missing: ${missing.map((c) => c.header).join(', ')}`,
      missing.map((c) => ({ path: c.header, code: 'missing_column', message: `the column ${c.header} is required` })),
    );
  }
  const rows: SheetRow[] = [];
  // eachRow visits stored rows only: a sheet formatted down to row 1,048,576 costs nothing.
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    if (r <= headerRow) return;
    const cells: SheetRow['cells'] = {};
    let empty = true;
    for (const [col, field] of best) {
      const v = row.getCell(col).value;
      cells[field] = v;
      if (isErrorCell(v) || cellText(v) !== '') empty = false;
    }
    if (empty) return;
    rows.push({ row: r, cells });
    if (rows.length > MAX_IMPORT_ROWS) {
      throw new AppError('too_large', {
        status: 413,
        message: `at most ${MAX_IMPORT_ROWS} rows per file; split the sheet`,
        details: [{ path: 'file', code: 'too_many_rows', message: `at most ${MAX_IMPORT_ROWS} rows per file` }],
      });
    }
  });
  if (rows.length === 0) throw fileError('no_rows', 'the sheet has a header row but no data rows');
  return rows;
}

interface Draft {
  row: number;
  cells: SheetRow['cells'];
  input: UnitInput;
  parentRef: string;
  operatorRef: string;
  errors: ImportError[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everything about a row that needs no database: required cells, labels, dates, formats. */
function parseRow(r: SheetRow): Draft {
  const errors: ImportError[] = [];
  const err = (field: Field, code: string, message: string) => errors.push({ row: r.row, column: COLUMN_OF[field], code, message });
  const text: Partial<Record<Field, string>> = {};
  for (const c of IMPORT_COLUMNS) {
    const v = r.cells[c.field];
    if (isErrorCell(v)) err(c.field, 'cell_error', 'the cell holds an Excel error (#N/A, #REF!…); enter a value');
    text[c.field] = cellText(v ?? null);
    // An empty parent is checked later: global administrators may create top units.
    if (c.required && c.field !== 'parent' && !text[c.field] && !isErrorCell(v)) err(c.field, 'required', `${c.header} is required`);
  }
  const kindText = text.kind ?? '';
  const kind = kindText ? kindOf(kindText) : undefined;
  if (kindText && !kind) err('kind', 'unknown_kind', `unknown unit type "${kindText}"; use ${labels(TEMPLATE_KINDS)}`);
  const statusText = text.status ?? '';
  const status = statusText ? statusOf(statusText) : undefined;
  if (statusText && !status) err('status', 'unknown_status', `unknown status "${statusText}"; use ${labels(UNIT_STATUS_LABELS)}`);
  const functions: UnitFunction[] = [];
  for (const part of (text.functions ?? '').split(/[、,，;；\n]+/)) {
    const s = part.trim();
    if (!s) continue;
    const f = functionOf(s);
    if (!f) err('functions', 'unknown_function', `unknown function "${s}"; use ${labels(UNIT_FUNCTION_LABELS)}`);
    else if (!functions.includes(f)) functions.push(f);
  }
  const dates: Partial<Record<'contractStart' | 'contractEnd', string | null>> = {};
  for (const field of ['contractStart', 'contractEnd'] as const) {
    const d = cellDate(r.cells[field] ?? null);
    if (d === undefined) {
      if (!isErrorCell(r.cells[field] ?? null))
        err(field, 'invalid_date', `"${text[field]}" is not a date; use an Excel date or YYYY-MM-DD`);
    } else dates[field] = d;
  }
  if (dates.contractStart && dates.contractEnd && dates.contractEnd < dates.contractStart) {
    err('contractEnd', 'before_start', 'the contract cannot end before it starts');
  }
  const candidate = {
    name: text.name ?? '',
    kind: kind ?? 'station',
    regionCode: text.regionCode ?? '',
    parentId: null,
    status: status ?? 'planned',
    contractStart: dates.contractStart ?? null,
    contractEnd: dates.contractEnd ?? null,
    functions,
    address: text.address || null,
    phone: text.phone || null,
    openingHours: text.openingHours || null,
  };
  const parsed = UnitInputSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const column = INPUT_FIELD_COLUMN[key] ?? null;
      // Empty required cells are already reported as `required`.
      if (column && errors.some((e) => e.column === column)) continue;
      errors.push({ row: r.row, column, code: issue.code, message: issue.message });
    }
  }
  return {
    row: r.row,
    cells: r.cells,
    input: parsed.success ? parsed.data : (candidate as UnitInput),
    parentRef: text.parent ?? '',
    operatorRef: text.operator ?? '',
    errors,
  };
}

const unitKey = (d: Draft) => `${d.input.kind}|${d.input.regionCode}|${d.input.name}`;

const sheetCell = (d: Draft, field: Field): ExcelJS.CellValue => d.cells[field] ?? null;

/** Thrown at the end of a dry run, or of a run with errors, to roll the transaction back. */
class Rollback extends Error {
  constructor(readonly report: ImportReport) {
    super('import rolled back');
  }
}

/** Re-exported: the header check moved to platform/idempotency.ts. */
export { parseIdempotencyKey };

/** Maps what `createUnit` threw to errors of the row; anything but an AppError is a bug and goes up. */
function rowErrors(row: number, err: unknown): ImportError[] {
  if (!(err instanceof AppError)) throw err;
  if (err.details.length === 0) return [{ row, column: null, code: err.code, message: err.message }];
  return err.details.map((d) => ({
    row,
    column: INPUT_FIELD_COLUMN[d.path] ?? null,
    code: d.code,
    message: d.message ?? err.message,
  }));
}

/**
 * Imports units from an xlsx file: validates every row, then (only when `commit` and no row has errors)
 * keeps them; otherwise rolls everything back and reports. With an idempotency key, a committed import
 * is remembered: the same key and the same file answer the stored report again and write nothing.
 * Opens its own transaction on `db`.
 */
export async function importUnits(opts: {
  db: Db;
  actor: Actor;
  file: Buffer;
  commit: boolean;
  idempotencyKey?: string;
  fileName?: string;
}): Promise<{ report: ImportReport; replayed: boolean }> {
  const { db, actor, file, commit } = opts;
  const hash = createHash('sha256').update(file).digest('hex');
  const key = commit && actor.userId ? opts.idempotencyKey : undefined;
  if (key) {
    // A retry after success is answered before the file is even read.
    const prior = await findIdempotencyKey<ImportReport>(db, actor, IMPORT_PURPOSE, key);
    if (prior) return replayIdempotent(prior, hash);
  }
  const sheet = await readImportSheet(file);
  const drafts = sheet.map(parseRow);

  // Duplicates within the file: same kind, region and name.
  const seen = new Map<string, number>();
  for (const d of drafts) {
    if (!d.input.name || !d.input.regionCode || d.errors.some((e) => e.column === COLUMN_OF.kind)) continue;
    const k = unitKey(d);
    const first = seen.get(k);
    if (first) {
      d.errors.push({
        row: d.row,
        column: COLUMN_OF.name,
        code: 'duplicate_in_file',
        message: `the same unit (type, region and name) is already in row ${first}`,
      });
    } else seen.set(k, d.row);
  }
  const rowsByName = new Map<string, Draft[]>();
  for (const d of drafts) {
    if (!d.input.name) continue;
    const list = rowsByName.get(d.input.name) ?? [];
    list.push(d);
    rowsByName.set(d.input.name, list);
  }

  try {
    return await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      if (key) {
        // A concurrent request with the same key may have committed first.
        const prior = await claimIdempotencyKey<ImportReport>(tx, actor, IMPORT_PURPOSE, key, hash);
        if (prior) return prior;
      }
      const scope = scopeWhere(actor, sql`path`);
      const createdByRow = new Map<number, string>();
      const createdIds = new Set<string>();
      const operatorCache = new Map<string, { id: string }[]>();
      const unitNameCache = new Map<string, { id: string }[]>();
      const errors: ImportError[] = [];
      // Units of the file that exist already, in one query rather than one per row.
      const existing = await query<{ kind: string; regionCode: string; name: string }>(
        tx,
        sql`select kind, region_code as "regionCode", name from units
            where (kind, region_code, name) in (select * from unnest(${sql.param(drafts.map((d) => d.input.kind))}::text[],
              ${sql.param(drafts.map((d) => d.input.regionCode))}::text[], ${sql.param(drafts.map((d) => d.input.name))}::text[]))
            and ${scope}`,
      );
      const existingUnits = new Set(existing.map((u) => `${u.kind}|${u.regionCode}|${u.name}`));

      for (const d of drafts) {
        const fail = (column: string, code: string, message: string) => d.errors.push({ row: d.row, column, code, message });

        if (d.operatorRef) {
          let ops = operatorCache.get(d.operatorRef);
          if (!ops) {
            const visible =
              actor.scopePath === null
                ? sql`true`
                : sql`(owner_path <@ ${actor.scopePath}::ltree or owner_path @> ${actor.scopePath}::ltree)`;
            ops = await query<{ id: string }>(
              tx,
              sql`select id from operators where (name = ${d.operatorRef} or credit_code = ${d.operatorRef.toUpperCase()}) and ${visible} limit 2`,
            );
            operatorCache.set(d.operatorRef, ops);
          }
          if (ops.length === 0)
            fail(COLUMN_OF.operator, 'unknown_operator', `no operator organization "${d.operatorRef}" that you can use`);
          else if (ops.length > 1)
            fail(COLUMN_OF.operator, 'ambiguous_operator', `several operators are named "${d.operatorRef}"; give the credit code`);
          else d.input.operatorId = ops[0].id;
        }

        if (!d.parentRef) {
          if (actor.scopePath !== null && !isErrorCell(sheetCell(d, 'parent')))
            fail(COLUMN_OF.parent, 'required', `${COLUMN_OF.parent} is required`);
        } else {
          if (UUID.test(d.parentRef)) {
            const p = await queryOne<{ id: string }>(tx, sql`select id from units where id = ${d.parentRef} and ${scope}`);
            if (p) d.input.parentId = p.id;
            else fail(COLUMN_OF.parent, 'unknown_parent', `no unit with id ${d.parentRef} in your scope`);
          } else {
            let existing = unitNameCache.get(d.parentRef);
            if (!existing) {
              existing = await query<{ id: string }>(tx, sql`select id from units where name = ${d.parentRef} and ${scope} limit 10`);
              unitNameCache.set(d.parentRef, existing);
            }
            const inDb = existing.filter((u) => !createdIds.has(u.id));
            const sameName = rowsByName.get(d.parentRef) ?? [];
            const earlier = sameName.filter((o) => o.row < d.row);
            if (inDb.length + earlier.length > 1) {
              fail(COLUMN_OF.parent, 'ambiguous_parent', `several units are named "${d.parentRef}"; give the unit id instead`);
            } else if (inDb.length === 1) {
              d.input.parentId = inDb[0].id;
            } else if (earlier.length === 1) {
              const id = createdByRow.get(earlier[0].row);
              if (id) d.input.parentId = id;
              else fail(COLUMN_OF.parent, 'parent_row_invalid', `the parent unit in row ${earlier[0].row} has errors`);
            } else if (sameName.some((o) => o.row > d.row)) {
              fail(COLUMN_OF.parent, 'parent_after_child', `"${d.parentRef}" comes later in the sheet; put parents above their children`);
            } else {
              fail(COLUMN_OF.parent, 'unknown_parent', `no unit named "${d.parentRef}" in your scope`);
            }
          }
        }

        if (d.errors.length === 0 && existingUnits.has(unitKey(d))) {
          // Importing the same sheet twice should not double the network.
          fail(COLUMN_OF.name, 'already_exists', 'a unit of this type, region and name already exists');
        }

        if (d.errors.length === 0) {
          try {
            // A savepoint per row: a failed row leaves the transaction usable for the rows after it.
            const unit = await tx.transaction(async (sp) => createUnit({ db: sp as unknown as Db, actor, input: d.input }));
            createdByRow.set(d.row, unit.id);
            createdIds.add(unit.id);
          } catch (err) {
            d.errors.push(...rowErrors(d.row, err));
          }
        }
        errors.push(...d.errors);
      }

      const valid = drafts.filter((d) => d.errors.length === 0).length;
      const ok = errors.length === 0;
      const report: ImportReport = { committed: commit && ok, rows: drafts.length, valid, errors, created: commit && ok ? valid : 0 };
      if (!report.committed) throw new Rollback(report);
      await writeAudit(tx, {
        actor,
        action: 'unit.import',
        entityType: 'unit',
        unitPath: actor.scopePath,
        after: { rows: report.rows, created: report.created, fileName: opts.fileName ?? null, sha256: hash, idempotencyKey: key ?? null },
      });
      if (key) await saveIdempotentResponse(tx, actor, IMPORT_PURPOSE, key, report);
      return { report, replayed: false };
    });
  } catch (err) {
    if (err instanceof Rollback) return { report: err.report, replayed: false };
    throw err;
  }
}

/** The import template: the sheet to fill (headers, drop-downs, text and date formats) and the instructions. */
export async function importTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Wushe';
  wb.created = new Date();
  const ws = wb.addWorksheet(UNITS_SHEET);
  ws.columns = IMPORT_COLUMNS.map((c) => ({
    header: c.header,
    key: c.field,
    width: c.width,
    style:
      c.field === 'regionCode' ? { numFmt: '@' } : c.field === 'contractStart' || c.field === 'contractEnd' ? { numFmt: 'yyyy-mm-dd' } : {},
  }));
  styleHeader(ws);
  IMPORT_COLUMNS.forEach((c, i) => {
    const cell = ws.getRow(1).getCell(i + 1);
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC0392B' } };
    cell.note = `${c.required ? '必填。' : '选填。'}${c.help}`;
  });
  const list = (field: Field, values: string[]) => {
    const col = IMPORT_COLUMNS.findIndex((c) => c.field === field) + 1;
    const letter = ws.getColumn(col).letter;
    // Range validations exist at runtime (ExcelJS 4.4) but not in its typings.
    (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
      `${letter}2:${letter}${MAX_IMPORT_ROWS + 1}`,
      {
        type: 'list',
        allowBlank: true,
        formulae: [`"${values.join(',')}"`],
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: COLUMN_OF[field],
        error: `请从列表中选择：${values.join('、')}`,
      },
    );
  };
  list(
    'kind',
    TEMPLATE_KINDS.map((k) => k.zh),
  );
  list(
    'status',
    UNIT_STATUS_LABELS.map((s) => s.zh),
  );

  const help = wb.addWorksheet(INSTRUCTIONS_SHEET);
  help.columns = [{ width: 16 }, { width: 10 }, { width: 80 }, { width: 30 }];
  help.addRow(['服务网络单位批量导入说明']).font = { bold: true, size: 14 };
  for (const line of [
    `1. 在“${UNITS_SHEET}”工作表中填写，每行一个单位；第一行是列名，请勿修改。本“说明”工作表不会被导入。`,
    `2. 每个文件最多 ${MAX_IMPORT_ROWS} 行。先“校验”（不写入），没有错误后再“导入”；任何一行有错误时，整个文件都不会写入。`,
    '3. 上级单位可以是已有单位，也可以是本表前面某行新建的单位（例如先写服务站，再写其下的社会工作室）。',
    '4. 只能在您管辖的单位之下建立单位；站点所在的乡镇（街道）须在上级指导中心的区县之内。',
  ]) {
    help.addRow([line]);
  }
  help.addRow([]);
  const head = help.addRow(['列名', '是否必填', '填写说明', '示例']);
  styleHeader(help, head.number);
  help.views = [];
  for (const c of IMPORT_COLUMNS) help.addRow([c.header, c.required ? '必填' : '选填', c.help, c.example]);
  help.addRow([]);
  help.addRow(['示例行（复制到“服务网络单位”工作表中使用，请按实际情况修改）']).font = { bold: true };
  const exampleHead = help.addRow(IMPORT_COLUMNS.map((c) => c.header));
  exampleHead.font = { bold: true };
  help.addRow(IMPORT_COLUMNS.map((c) => c.example));
  help.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
  return writeXlsx(wb);
}
