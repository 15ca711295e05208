import { createHash } from 'node:crypto';
import { fullPinyin, pinyinInitials, type RiskLevel } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import type ExcelJS from 'exceljs';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Db, query } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { claimIdempotencyKey, findIdempotencyKey, replayIdempotent, saveIdempotentResponse } from '../../platform/idempotency.js';
import { newId } from '../../platform/ids.js';
import { scopeWhere } from '../../platform/scope.js';
import { cellDate, cellText, isErrorCell } from '../../platform/xlsx.js';
import { type AuditInput, writeAudit, writeAuditBatch } from '../audit/audit.service.js';
import { type CategoryCatalogue, loadCategories } from '../settings/settings.service.js';
import { recomputeCadence } from '../visits/visits.cadence.js';
import { todayShanghai } from './clients.presenter.js';
import { CreateClientBodySchema } from './clients.schemas.js';
import { checkIdentity, sealSensitive } from './clients.service.js';
import { type ClientField, type HeaderMapping, readClientSheet, riskOf, type SheetLayout, type SheetRow, sexOf } from './clients.sheet.js';

/**
 * Bulk import of the client ledger from xlsx or CSV. Rows are read and validated first (the same Zod schema
 * and identity rules as POST /api/clients, the same placement rules as createClient), then resolved against
 * the ledger in a few set-based queries, then written in chunks (`unnest` arrays) inside ONE transaction:
 * a dry run always rolls back, mode=all rolls back on any row error, mode=valid keeps the valid rows, and
 * any exception rolls everything back. A row whose person is already in the ledger (same ID number, or —
 * without one — same name, community and birth date) updates only the fields whose cells are filled and
 * differ; blank cells never erase. Importing the same file twice changes nothing the second time.
 */

export const CLIENT_IMPORT_PURPOSE = 'clients.import';
const DEFAULT_CHUNK = 1000;

export const ClientImportErrorSchema = z.object({
  row: z.number().int().describe('row number in the sheet, as Excel shows it (0 for the whole file)'),
  column: z.string().nullable().describe('header of the column at fault, as the sheet names it; null for the whole row'),
  code: z.string().describe('required, checksum, mismatch, unknown_category, unknown_community, owned_elsewhere, duplicate_in_file, …'),
  message: z.string(),
});
export const ClientImportReportSchema = z.object({
  committed: z.boolean().describe('true when the import was kept: commit=true and, in mode=all, no row has errors'),
  rows: z.number().int().describe('data rows read (empty rows skipped)'),
  summary: z.object({
    new: z.number().int().describe('rows that register a new client'),
    updated: z.number().int().describe('rows that change a client already in the ledger'),
    unchanged: z.number().int().describe('rows identical to the ledger'),
    rejected: z.number().int().describe('rows with errors (not written)'),
    duplicatesInFile: z.number().int().describe('rows rejected because the same person is in the file more than once'),
    duplicatesInLedger: z.number().int().describe('rows whose person is already in the ledger (updated, unchanged or owned elsewhere)'),
  }),
  errors: z.array(ClientImportErrorSchema),
  headers: z.array(z.string()).describe('the header row of the sheet'),
  mapping: z.record(z.string(), z.string()).describe('sheet header → field, as used'),
});
export type ClientImportError = z.infer<typeof ClientImportErrorSchema>;
export type ClientImportReport = z.infer<typeof ClientImportReportSchema>;

// ------------------------------------------------------------------------------------------ rows

interface Draft {
  row: number;
  name: string;
  idNumber: string | null;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  ethnicity: string | null;
  phone: string | null;
  address: string | null;
  communityRef: string;
  unitRef: string;
  /** null: the cell is blank (keep what the ledger has). */
  categories: string[] | null;
  categoryStart: string | null;
  riskLevel: RiskLevel | null;
  tags: string[] | null;
  errors: ClientImportError[];
  regionCode?: string;
  unitId?: string;
  unitPath?: string;
  duplicate?: boolean;
  existing?: ExistingRow;
  ownedElsewhere?: boolean;
}

const SCHEMA_FIELD: Record<string, ClientField> = {
  name: 'name',
  idNumber: 'idNumber',
  sex: 'sex',
  birthDate: 'birthDate',
  ethnicity: 'ethnicity',
  phone: 'phone',
  address: 'address',
  regionCode: 'community',
  unitId: 'unit',
  riskLevel: 'riskLevel',
  tags: 'tags',
  categories: 'categories',
};

/** A cell as text, with the apostrophe our exports put before =, +, - and @ taken off again. */
function text(v: ExcelJS.CellValue | undefined): string {
  const s = cellText(v ?? null);
  return /^'[=+\-@]/.test(s) ? s.slice(1) : s;
}

const splitList = (s: string) =>
  s
    .split(/[、,，;；\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Everything about a row that needs no database: required cells, formats, labels, the ID number rules. */
function parseRow(r: SheetRow, layout: SheetLayout, today: string, categories: CategoryCatalogue): Draft {
  const errors: ClientImportError[] = [];
  const col = (f: ClientField) => layout.headerOf[f];
  const err = (f: ClientField | null, code: string, message: string) =>
    errors.push({ row: r.row, column: f ? col(f) : null, code, message });
  const has = (f: ClientField) => layout.headerOf[f] !== undefined && r.cells[f] !== undefined;
  const cell = (f: ClientField): string => {
    const v = r.cells[f];
    if (v === undefined || v === null) return '';
    if (isErrorCell(v)) {
      err(f, 'cell_error', 'the cell holds an Excel error (#N/A, #REF!…); enter a value');
      return '';
    }
    if (typeof v === 'object' && !(v instanceof Date) && ('formula' in v || 'sharedFormula' in v)) {
      const result = (v as { result?: unknown }).result;
      if (result === undefined || result === null || (typeof result === 'number' && !Number.isFinite(result))) {
        err(f, 'formula_without_value', 'the cell is a formula without a stored value (formulas are never evaluated); paste it as values');
        return '';
      }
    }
    return text(v);
  };
  const draft: Draft = {
    row: r.row,
    name: cell('name'),
    idNumber: null,
    sex: null,
    birthDate: null,
    ethnicity: cell('ethnicity') || null,
    phone: null,
    address: cell('address') || null,
    communityRef: cell('community'),
    unitRef: cell('unit'),
    categories: null,
    categoryStart: null,
    riskLevel: null,
    tags: null,
    errors,
  };
  if (!draft.name && !errors.some((e) => e.column === col('name'))) err('name', 'required', `${col('name')} is required`);

  const rawId = r.cells.idNumber;
  let idText = cell('idNumber').replace(/\s/g, '').toUpperCase();
  if (typeof rawId === 'number' && rawId >= 1e15) {
    err(
      'idNumber',
      'number_format',
      'the ID number was stored as a number and lost its last digits; format the column as text and enter it again',
    );
    idText = '';
  } else if (idText.includes('*')) {
    err('idNumber', 'masked_value', 'this is a masked ID number (from an export); export with full numbers to import it again');
    idText = '';
  }
  const sexText = cell('sex');
  if (sexText) {
    const s = sexOf(sexText);
    if (s) draft.sex = s;
    else err('sex', 'unknown_sex', `unknown sex "${sexText}"; use 男 or 女`);
  }
  if (has('birthDate')) {
    const d = cellDate(r.cells.birthDate ?? null);
    if (d === undefined) err('birthDate', 'invalid_date', `"${text(r.cells.birthDate)}" is not a date; use an Excel date or YYYY-MM-DD`);
    else draft.birthDate = d;
  }
  if (idText) {
    try {
      const identity = checkIdentity({ idNumber: idText, sex: draft.sex, birthDate: draft.birthDate });
      draft.idNumber = identity.idNumber;
      draft.sex = identity.sex;
      draft.birthDate = identity.birthDate;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      for (const d of e.details) {
        const f = SCHEMA_FIELD[d.path] ?? 'idNumber';
        err(f, d.code, d.message ?? e.message);
      }
    }
  }
  const phone = cell('phone');
  if (phone.includes('*'))
    err('phone', 'masked_value', 'this is a masked phone (from an export); export with full numbers to import it again');
  else draft.phone = phone || null;

  const cats = cell('categories');
  if (cats) {
    draft.categories = [];
    for (const c of splitList(cats)) {
      const code = categories.lookup(c)?.code;
      if (!code) err('categories', 'unknown_category', `unknown category "${c}"`);
      else if (!draft.categories.includes(code)) draft.categories.push(code);
    }
  }
  if (has('categoryStart')) {
    const d = cellDate(r.cells.categoryStart ?? null);
    if (d === undefined)
      err('categoryStart', 'invalid_date', `"${text(r.cells.categoryStart)}" is not a date; use an Excel date or YYYY-MM-DD`);
    else draft.categoryStart = d;
  }
  const risk = cell('riskLevel');
  if (risk) {
    const v = riskOf(risk);
    if (v) draft.riskLevel = v;
    else err('riskLevel', 'unknown_risk_level', `unknown risk level "${risk}"; use 高风险, 重点 or 一般`);
  }
  const tags = cell('tags');
  if (tags) draft.tags = [...new Set(splitList(tags))];

  // The same schema as POST /api/clients, on what the row would send.
  const parsed = CreateClientBodySchema.safeParse({
    name: draft.name || 'x',
    idNumber: draft.idNumber,
    sex: draft.sex,
    birthDate: draft.birthDate,
    ethnicity: draft.ethnicity,
    phone: draft.phone,
    address: draft.address,
    unitId: '00000000-0000-4000-8000-000000000000',
    riskLevel: draft.riskLevel ?? 'general',
    tags: draft.tags ?? [],
    categories: (draft.categories ?? []).map((category) => ({ category, startDate: draft.categoryStart ?? today })),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const f = SCHEMA_FIELD[String(issue.path[0] ?? '')] ?? null;
      if (f && errors.some((e) => e.column === col(f))) continue;
      err(f, issue.code, issue.message);
    }
  } else {
    draft.name = parsed.data.name;
    draft.ethnicity = parsed.data.ethnicity ?? null;
    draft.phone = parsed.data.phone ?? null;
    draft.address = parsed.data.address ?? null;
  }
  return draft;
}

// ------------------------------------------------------------------------------------------ ledger

export interface ExistingRow {
  id: string;
  name: string;
  idNumberIndex: string | null;
  idNumberMasked: string | null;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  ethnicity: string | null;
  phoneIndex: string | null;
  phoneMasked: string | null;
  address: string | null;
  householdId: string | null;
  householdRelation: string | null;
  regionCode: string;
  unitId: string;
  unitPath: string;
  status: string;
  statusDate: string | null;
  statusReason: string | null;
  riskLevel: RiskLevel;
  tags: string[];
  categories: string[];
  flags: string[];
  responsibleUserId: string | null;
  version: number;
  inScope: boolean;
}

const existingColumns = (actor: Actor) => sql`c.id, c.name, c.id_number_index as "idNumberIndex", c.id_number_masked as "idNumberMasked",
  c.sex, c.birth_date::text as "birthDate", c.ethnicity, c.phone_index as "phoneIndex", c.phone_masked as "phoneMasked", c.address,
  c.household_id as "householdId", c.household_relation as "householdRelation", c.region_code as "regionCode", c.unit_id as "unitId",
  c.unit_path::text as "unitPath", c.status, c.status_date::text as "statusDate", c.status_reason as "statusReason",
  c.risk_level as "riskLevel", c.tags,
  array(select cc.category from client_categories cc where cc.client_id = c.id and (cc.end_date is null or cc.end_date >= current_date)
        order by cc.category) as categories,
  array(select f.flag from client_flags f where f.client_id = c.id and f.cleared_at is null order by f.flag) as flags,
  c.responsible_user_id as "responsibleUserId", c.version, ${scopeWhere(actor, sql`c.unit_path`)} as "inScope"`;

/** What the audit log keeps of a client: the same shape as `auditView` of the service (never clear numbers). */
function auditShape(c: Omit<ExistingRow, 'idNumberIndex' | 'phoneIndex' | 'inScope'>) {
  return {
    id: c.id,
    name: c.name,
    idNumberMasked: c.idNumberMasked,
    sex: c.sex,
    birthDate: c.birthDate,
    ethnicity: c.ethnicity,
    phoneMasked: c.phoneMasked,
    address: c.address,
    householdId: c.householdId,
    householdRelation: c.householdRelation,
    regionCode: c.regionCode,
    unitId: c.unitId,
    unitPath: c.unitPath,
    status: c.status,
    statusDate: c.statusDate,
    statusReason: c.statusReason,
    riskLevel: c.riskLevel,
    tags: c.tags,
    categories: c.categories,
    flags: c.flags,
    responsibleUserId: c.responsibleUserId,
    version: c.version,
  };
}

const normalisePhone = (p: string) => p.replace(/[\s\-()]/g, '');
const communityKey = (name: string) =>
  name
    .replace(/\s/g, '')
    .replace(/(居民委员会|村民委员会|居委会|村委会)$/, '')
    .replace(/社区$/, '');

interface UnitRow {
  id: string;
  name: string;
  kind: string;
  path: string;
  regionCode: string;
  regionPath: string;
}

/** Resolves 所属社区 and 所属单位 of every row with two queries; the same placement rules as createClient. */
async function placeRows(db: Db, actor: Actor, drafts: Draft[]) {
  const refs = new Set<string>();
  for (const d of drafts) if (d.communityRef) refs.add(d.communityRef);
  const codes: string[] = [];
  const names: string[] = [];
  for (const ref of refs) {
    const m = /^(\d{12})(?:\D|$)/.exec(ref);
    if (m) codes.push(m[1]);
    else {
      const k = communityKey(ref);
      names.push(
        ref,
        k,
        `${k}社区`,
        `${k}社区居民委员会`,
        `${k}居民委员会`,
        `${k}村民委员会`,
        `${k}社区居委会`,
        `${k}居委会`,
        `${k}村委会`,
      );
    }
  }
  const units = await query<UnitRow>(
    db,
    sql`select id, name, kind, path::text as path, region_code as "regionCode", region_path::text as "regionPath" from units u
        where ${scopeWhere(actor, sql`u.path`)} and kind in ('station', 'office', 'point')`,
  );
  const regions = await query<{ code: string; name: string; path: string }>(
    db,
    sql`select r.code, r.name, r.path::text as path from regions r
        where r.level = 5 and (r.code = any(${sql.param(codes)}::text[]) or r.name = any(${sql.param([...new Set(names)])}::text[]))`,
  );
  const inUnits = (path: string) => units.some((u) => path === u.regionPath || path.startsWith(`${u.regionPath}.`));
  const visible = regions.filter((r) => inUnits(r.path));
  const byCode = new Map(visible.map((r) => [r.code, r]));
  const byKey = new Map<string, { code: string; path: string }[]>();
  for (const r of visible) {
    const k = communityKey(r.name);
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const unitsByName = new Map<string, UnitRow[]>();
  for (const u of units) unitsByName.set(u.name, [...(unitsByName.get(u.name) ?? []), u]);
  const unitsById = new Map(units.map((u) => [u.id, u]));

  for (const d of drafts) {
    const fail = (f: ClientField, code: string, message: string) => d.errors.push({ row: d.row, column: f, code, message });
    let unit: UnitRow | undefined;
    if (d.unitRef) {
      const found = unitsById.get(d.unitRef) ? [unitsById.get(d.unitRef) as UnitRow] : (unitsByName.get(d.unitRef) ?? []);
      if (found.length === 0) fail('unit', 'unknown_unit', `no station, office or point "${d.unitRef}" in your part of the network`);
      else if (found.length > 1) fail('unit', 'ambiguous_unit', `several units are named "${d.unitRef}"`);
      else unit = found[0];
    }
    let region: { code: string; path: string } | undefined;
    if (d.communityRef) {
      const m = /^(\d{12})(?:\D|$)/.exec(d.communityRef);
      const found = m ? [byCode.get(m[1])].filter((x) => !!x) : (byKey.get(communityKey(d.communityRef)) ?? []);
      if (found.length === 0)
        fail('community', 'unknown_community', `no village/community "${d.communityRef}" in your part of the network`);
      else if (found.length > 1)
        fail('community', 'ambiguous_community', `several communities are named "${d.communityRef}"; give the 12-digit code`);
      else region = found[0] as { code: string; path: string };
    } else if (unit && unit.kind !== 'station') {
      region = { code: unit.regionCode, path: unit.regionPath };
    } else if (!d.errors.some((e) => e.column === 'community')) {
      fail('community', 'required', 'the community is required');
    }
    if (region && !unit && !d.unitRef) {
      // Default: the office (else point) of the community, else the station of its street.
      const local = units.filter((u) => u.regionCode === region.code && u.kind !== 'station');
      const offices = local.filter((u) => u.kind === 'office');
      const pick = offices.length ? offices : local;
      if (pick.length === 1) unit = pick[0];
      else if (pick.length > 1) fail('unit', 'ambiguous_unit', 'the community has several offices; name the unit');
      else {
        const stations = units.filter((u) => u.kind === 'station' && region.path.startsWith(`${u.regionPath}.`));
        if (stations.length === 1) unit = stations[0];
        else fail('unit', stations.length ? 'ambiguous_unit' : 'no_unit', 'no station or office serves this community; name the unit');
      }
    }
    if (unit && region) {
      if (region.path !== unit.regionPath && !region.path.startsWith(`${unit.regionPath}.`)) {
        fail('community', 'outside_unit', 'the village/community must lie within the unit');
      } else {
        d.regionCode = region.code;
        d.unitId = unit.id;
        d.unitPath = unit.path;
      }
    }
  }
}

// ------------------------------------------------------------------------------------------ import

/** Thrown at the end of a dry run, or of a mode=all run with errors, to roll the transaction back. */
class Rollback extends Error {
  constructor(readonly report: ClientImportReport) {
    super('import rolled back');
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\u0001') === [...b].sort().join('\u0001');

/** Where a running import is: rows read, then rows checked against the ledger, then rows written. */
export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing';
  processed: number;
  total?: number;
}

interface Change {
  draft: Draft;
  existing: ExistingRow;
  after: ExistingRow;
  phoneSealed: ReturnType<typeof sealSensitive> | null;
  addCategories: string[];
}

/**
 * Imports clients from an xlsx or CSV file (see the module comment). With an idempotency key (commit only),
 * the same key and the same request answer the stored report again and write nothing. Opens its own
 * transaction on `db`.
 */
export async function importClients(opts: {
  db: Db;
  actor: Actor;
  crypto: FieldCrypto;
  file: Buffer;
  commit: boolean;
  mode: 'all' | 'valid';
  mapping?: HeaderMapping;
  idempotencyKey?: string;
  fileName?: string;
  chunkSize?: number;
  /** Called (synchronously, cheaply) as the import advances; background jobs show it as a progress bar. */
  onProgress?: (p: ImportProgress) => void;
  /** Runs inside the import's transaction once the rows are written (a job marks itself done with them, atomically). */
  beforeCommit?: (tx: Db, report: ClientImportReport) => Promise<void>;
}): Promise<{ report: ClientImportReport; replayed: boolean }> {
  const { db, actor, crypto, file, commit, mode } = opts;
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  const hash = createHash('sha256')
    .update(file)
    .update(`\u0000${mode}\u0000${JSON.stringify(opts.mapping ?? null)}`)
    .digest('hex');
  const key = commit && actor.userId ? opts.idempotencyKey : undefined;
  if (key) {
    const prior = await findIdempotencyKey<ClientImportReport>(db, actor, CLIENT_IMPORT_PURPOSE, key);
    if (prior) return replayIdempotent(prior, hash);
  }
  const today = todayShanghai();
  const categories = await loadCategories(db);
  const progress = opts.onProgress ?? (() => {});
  let read = 0;
  progress({ phase: 'reading', processed: 0 });
  const sheet = await readClientSheet(file, opts.mapping, (r, layout) => {
    if (++read % 500 === 0) progress({ phase: 'reading', processed: read });
    return parseRow(r, layout, today, categories);
  });
  progress({ phase: 'checking', processed: 0, total: sheet.rows.length });
  const drafts = sheet.rows;
  // Row errors name the sheet's own header; placement errors are raised with field names, mapped here.
  const headerOf = sheet.layout.headerOf;

  try {
    return await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      if (key) {
        const prior = await claimIdempotencyKey<ClientImportReport>(tx, actor, CLIENT_IMPORT_PURPOSE, key, hash);
        if (prior) return prior;
      }
      await placeRows(tx, actor, drafts);
      for (const d of drafts) for (const e of d.errors) if (e.column && e.column in headerOf) e.column = headerOf[e.column as ClientField];

      // Duplicates within the file: the same ID number, or (without one) the same name, community and birth date.
      const groups = new Map<string, Draft[]>();
      for (const d of drafts) {
        if (!d.name) continue;
        const k = d.idNumber ? `id:${d.idNumber}` : `nm:${d.name}|${d.regionCode ?? d.communityRef}|${d.birthDate ?? ''}`;
        groups.set(k, [...(groups.get(k) ?? []), d]);
      }
      for (const list of groups.values()) {
        if (list.length < 2) continue;
        for (const d of list) {
          d.duplicate = true;
          const others = list.filter((o) => o !== d).map((o) => o.row);
          d.errors.push({
            row: d.row,
            column: d.idNumber ? headerOf.idNumber : headerOf.name,
            code: 'duplicate_in_file',
            message: `the same person is also in row ${others.join(', ')}`,
          });
        }
      }

      // The ledger: by blind index of the ID number (all streets: the number is unique in the deployment) …
      const byIndex = new Map<string, Draft>();
      for (const d of drafts) if (d.idNumber && !d.duplicate) byIndex.set(crypto.blindIndex(d.idNumber, 'id'), d);
      const indexes = [...byIndex.keys()];
      for (let i = 0; i < indexes.length; i += 5000) {
        const rows = await query<ExistingRow>(
          tx,
          sql`select ${existingColumns(actor)} from clients c where c.id_number_index = any(${sql.param(indexes.slice(i, i + 5000))}::text[])`,
        );
        for (const e of rows) {
          const d = byIndex.get(e.idNumberIndex ?? '');
          if (!d) continue;
          if (e.inScope) d.existing = e;
          else {
            // Registered by another street: say so, but nothing about where.
            d.ownedElsewhere = true;
            d.errors.push({
              row: d.row,
              column: headerOf.idNumber,
              code: 'owned_elsewhere',
              message: 'this person is registered by another part of the network; ask them to transfer the client',
            });
          }
        }
      }
      // … and without one, by name, community and birth date among clients without an ID number.
      const noId = drafts.filter((d) => !d.idNumber && !d.duplicate && d.name && d.regionCode && d.errors.length === 0);
      if (noId.length) {
        const rows = await query<ExistingRow>(
          tx,
          sql`select ${existingColumns(actor)} from clients c where c.id_number_index is null and ${scopeWhere(actor, sql`c.unit_path`)}
              and (c.name, c.region_code) in (select * from unnest(${sql.param(noId.map((d) => d.name))}::text[],
                ${sql.param(noId.map((d) => d.regionCode as string))}::text[]))`,
        );
        const cands = new Map<string, ExistingRow[]>();
        for (const e of rows) cands.set(`${e.name}|${e.regionCode}`, [...(cands.get(`${e.name}|${e.regionCode}`) ?? []), e]);
        for (const d of noId) {
          const list = (cands.get(`${d.name}|${d.regionCode}`) ?? []).filter(
            (e) => !d.birthDate || !e.birthDate || e.birthDate === d.birthDate,
          );
          if (list.length === 1) d.existing = list[0];
          else if (list.length > 1)
            d.errors.push({
              row: d.row,
              column: headerOf.name,
              code: 'ambiguous_match',
              message: 'several clients without an ID number have this name in this community; add the ID number or the birth date',
            });
        }
      }

      // What each valid row does.
      const creates: Draft[] = [];
      const changes: Change[] = [];
      let unchanged = 0;
      for (const d of drafts) {
        if (d.errors.length) continue;
        const e = d.existing;
        // A retired category stays on the clients that have it (an export imports back unchanged), nobody gets it anew.
        const retired = (d.categories ?? []).filter((c) => !categories.byCode.get(c)?.active && !e?.categories.includes(c));
        if (retired.length) {
          const names = retired.map((c) => categories.labelZh(c)).join('、');
          d.errors.push({ row: d.row, column: headerOf.categories, code: 'retired_category', message: `retired category: ${names}` });
          continue;
        }
        if (!e) {
          creates.push(d);
          continue;
        }
        const after: ExistingRow = { ...e };
        if (d.name !== e.name) after.name = d.name;
        if (d.sex && d.sex !== e.sex) after.sex = d.sex;
        if (d.birthDate && d.birthDate !== e.birthDate) after.birthDate = d.birthDate;
        if (d.ethnicity && d.ethnicity !== e.ethnicity) after.ethnicity = d.ethnicity;
        if (d.address && d.address !== e.address) after.address = d.address;
        let phoneSealed: Change['phoneSealed'] = null;
        if (d.phone && crypto.blindIndex(normalisePhone(d.phone), 'phone') !== e.phoneIndex) {
          phoneSealed = sealSensitive(crypto, null, d.phone);
          after.phoneMasked = phoneSealed.phoneMasked;
        }
        const moved = d.regionCode !== e.regionCode || (d.unitRef && d.unitId !== e.unitId);
        if (moved) {
          after.regionCode = d.regionCode as string;
          after.unitId = d.unitId as string;
          after.unitPath = d.unitPath as string;
        }
        if (d.riskLevel && d.riskLevel !== e.riskLevel) after.riskLevel = d.riskLevel;
        if (d.tags && !sameSet(d.tags, e.tags)) after.tags = d.tags;
        const addCategories = (d.categories ?? []).filter((c) => !e.categories.includes(c));
        if (addCategories.length) after.categories = [...e.categories, ...addCategories].sort();
        const changed =
          phoneSealed ||
          addCategories.length > 0 ||
          (['name', 'sex', 'birthDate', 'ethnicity', 'address', 'regionCode', 'unitId', 'riskLevel', 'tags'] as const).some(
            (k) => after[k] !== e[k],
          );
        if (!changed) {
          unchanged++;
          continue;
        }
        after.version = e.version + 1;
        changes.push({ draft: d, existing: e, after, phoneSealed, addCategories });
      }

      const errors = drafts.flatMap((d) => d.errors).sort((a, b) => a.row - b.row);
      const rejected = drafts.filter((d) => d.errors.length > 0).length;
      const report: ClientImportReport = {
        committed: false,
        rows: drafts.length,
        summary: {
          new: creates.length,
          updated: changes.length,
          unchanged,
          rejected,
          duplicatesInFile: drafts.filter((d) => d.duplicate).length,
          duplicatesInLedger: drafts.filter((d) => d.existing || d.ownedElsewhere).length,
        },
        errors,
        headers: sheet.layout.headers,
        mapping: sheet.layout.mapping,
      };
      const keep = commit && (mode === 'valid' || rejected === 0);
      if (!keep) throw new Rollback(report);
      report.committed = true;
      const toWrite = changes.length + creates.length;
      let written = 0;
      const wrote = (n: number) => {
        written += n;
        progress({ phase: 'writing', processed: written, total: toWrite });
      };
      progress({ phase: 'writing', processed: 0, total: toWrite });
      try {
        await applyChanges(tx, actor, changes, today, chunkSize, wrote);
        await insertClients(tx, actor, crypto, creates, today, chunkSize, wrote);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new AppError('conflict', {
            status: 409,
            message: 'the ledger changed during the import (a client with one of these ID numbers was just registered); import again',
            details: [{ path: 'file', code: 'concurrent_change' }],
          });
        }
        throw err;
      }
      await writeAudit(tx, {
        actor,
        action: 'client.import',
        entityType: 'client',
        unitPath: actor.scopePath,
        after: {
          rows: report.rows,
          ...report.summary,
          mode,
          committed: report.committed,
          fileName: opts.fileName ?? null,
          sha256: hash,
          format: sheet.kind,
          encoding: sheet.encoding,
          idempotencyKey: key ?? null,
        },
      });
      if (key) await saveIdempotentResponse(tx, actor, CLIENT_IMPORT_PURPOSE, key, report);
      if (opts.beforeCommit) await opts.beforeCommit(tx, report);
      return { report, replayed: false };
    });
  } catch (err) {
    if (err instanceof Rollback) return { report: err.report, replayed: false };
    throw err;
  }
}

const p = (v: unknown[]) => sql.param(v);
const TAG_SEP = '\u001f';

/** New clients in chunks: the columns of createClient (pinyin, sealed fields, masks), categories, cadence, audit. */
async function insertClients(
  tx: Db,
  actor: Actor,
  crypto: FieldCrypto,
  drafts: Draft[],
  today: string,
  chunkSize: number,
  wrote: (n: number) => void,
) {
  for (let i = 0; i < drafts.length; i += chunkSize) {
    const chunk = drafts.slice(i, i + chunkSize);
    const ids = chunk.map(() => newId());
    const sealed = chunk.map((d) => sealSensitive(crypto, d.idNumber, d.phone));
    const col = <T>(f: (d: Draft, k: number) => T) => chunk.map(f);
    // Visit cadence: the rule of recomputeCadence (the shortest interval of the risk level and the active
    // categories, due that many days after registration) evaluated in the INSERT itself — a recomputeCadence
    // UPDATE of every new row would write every index of the ledger a second time.
    await tx.execute(sql`insert into clients (id, name, name_pinyin, name_initials, id_number_enc, id_number_index, id_tail_index,
        id_number_masked, sex, birth_date, ethnicity, phone_enc, phone_index, phone_tail_index, phone_masked, address,
        region_code, unit_id, unit_path, risk_level, tags, created_by, visit_interval_days, next_visit_due, category_codes)
      select id, name, name_pinyin, name_initials, id_number_enc, id_number_index, id_tail_index, id_number_masked, sex, birth_date::date,
        ethnicity, phone_enc, phone_index, phone_tail_index, phone_masked, address, region_code, unit_id, unit_path::ltree, risk_level,
        case when tags = '' then '{}'::text[] else string_to_array(tags, ${TAG_SEP}) end, ${actor.userId}::uuid,
        d.days, (now() at time zone 'Asia/Shanghai')::date + d.days,
        -- What the client_categories trigger would set (sorted, open): it then finds nothing to write.
        array(select distinct k from unnest(string_to_array(nullif(cats, ''), ${TAG_SEP})) k order by k)
      from unnest(${p(ids)}::uuid[], ${p(col((d) => d.name))}::text[], ${p(col((d) => fullPinyin(d.name)))}::text[],
        ${p(col((d) => pinyinInitials(d.name)))}::text[], ${p(col((_d, k) => sealed[k].idNumberEnc))}::text[],
        ${p(col((_d, k) => sealed[k].idNumberIndex))}::text[], ${p(col((_d, k) => sealed[k].idTailIndex))}::text[],
        ${p(col((_d, k) => sealed[k].idNumberMasked))}::text[], ${p(col((d) => d.sex))}::text[], ${p(col((d) => d.birthDate))}::text[],
        ${p(col((d) => d.ethnicity))}::text[], ${p(col((_d, k) => sealed[k].phoneEnc))}::text[], ${p(col((_d, k) => sealed[k].phoneIndex))}::text[],
        ${p(col((_d, k) => sealed[k].phoneTailIndex))}::text[], ${p(col((_d, k) => sealed[k].phoneMasked))}::text[],
        ${p(col((d) => d.address))}::text[], ${p(col((d) => d.regionCode))}::text[], ${p(col((d) => d.unitId))}::uuid[],
        ${p(col((d) => d.unitPath))}::text[], ${p(col((d) => d.riskLevel ?? 'general'))}::text[],
        ${p(col((d) => (d.tags ?? []).join(TAG_SEP)))}::text[], ${p(col((d) => (d.categories ?? []).join(TAG_SEP)))}::text[])
        as x(id, name, name_pinyin, name_initials, id_number_enc, id_number_index, id_tail_index, id_number_masked, sex, birth_date,
             ethnicity, phone_enc, phone_index, phone_tail_index, phone_masked, address, region_code, unit_id, unit_path, risk_level, tags, cats)
      cross join lateral (select least(
        coalesce((select r.interval_days from visit_cadence_rules r where r.kind = 'risk' and r.key = x.risk_level), 90),
        coalesce((select min(r.interval_days) from visit_cadence_rules r
                  where r.kind = 'category' and r.key = any(string_to_array(x.cats, ${TAG_SEP}))), 2147483647)) as days) d`);
    const cats = chunk.flatMap((d, k) =>
      (d.categories ?? []).map((category) => ({ id: ids[k], category, start: d.categoryStart ?? today, path: d.unitPath as string })),
    );
    await insertCategories(tx, cats);
    const audits: AuditInput[] = chunk.map((d, k) => ({
      actor,
      action: 'client.created',
      entityType: 'client',
      entityId: ids[k],
      unitPath: d.unitPath,
      after: auditShape({
        id: ids[k],
        name: d.name,
        idNumberMasked: sealed[k].idNumberMasked,
        sex: d.sex,
        birthDate: d.birthDate,
        ethnicity: d.ethnicity,
        phoneMasked: sealed[k].phoneMasked,
        address: d.address,
        householdId: null,
        householdRelation: null,
        regionCode: d.regionCode as string,
        unitId: d.unitId as string,
        unitPath: d.unitPath as string,
        status: 'active',
        statusDate: null,
        statusReason: null,
        riskLevel: d.riskLevel ?? 'general',
        tags: d.tags ?? [],
        categories: [...(d.categories ?? [])].sort(),
        flags: [],
        responsibleUserId: null,
        version: 1,
      }),
    }));
    await writeAuditBatch(tx, audits);
    wrote(chunk.length);
  }
}

async function insertCategories(tx: Db, cats: { id: string; category: string; start: string; path: string }[]) {
  if (!cats.length) return;
  await tx.execute(sql`insert into client_categories (id, client_id, category, start_date, source, unit_path)
    select id, client_id, category, start_date::date, '导入', unit_path::ltree
    from unnest(${p(cats.map(() => newId()))}::uuid[], ${p(cats.map((c) => c.id))}::uuid[], ${p(cats.map((c) => c.category))}::text[],
      ${p(cats.map((c) => c.start))}::text[], ${p(cats.map((c) => c.path))}::text[]) as x(id, client_id, category, start_date, unit_path)`);
}

/** Changed clients in chunks: one UPDATE … FROM unnest per chunk, guarded by version (a concurrent edit is a 409). */
async function applyChanges(tx: Db, actor: Actor, changes: Change[], today: string, chunkSize: number, wrote: (n: number) => void) {
  for (let i = 0; i < changes.length; i += chunkSize) {
    const chunk = changes.slice(i, i + chunkSize);
    const col = <T>(f: (c: Change) => T) => chunk.map(f);
    const rows = await query<{ id: string }>(
      tx,
      sql`update clients c set name = x.name, name_pinyin = x.name_pinyin, name_initials = x.name_initials, sex = x.sex,
          birth_date = x.birth_date::date, ethnicity = x.ethnicity, address = x.address, region_code = x.region_code, unit_id = x.unit_id,
          unit_path = x.unit_path::ltree, risk_level = x.risk_level,
          tags = case when x.tags = '' then '{}'::text[] else string_to_array(x.tags, ${TAG_SEP}) end,
          phone_enc = case when x.phone_changed then x.phone_enc else c.phone_enc end,
          phone_index = case when x.phone_changed then x.phone_index else c.phone_index end,
          phone_tail_index = case when x.phone_changed then x.phone_tail_index else c.phone_tail_index end,
          phone_masked = case when x.phone_changed then x.phone_masked else c.phone_masked end,
          version = c.version + 1, updated_at = now()
        from unnest(${p(col((c) => c.after.id))}::uuid[], ${p(col((c) => c.existing.version))}::int[], ${p(col((c) => c.after.name))}::text[],
          ${p(col((c) => fullPinyin(c.after.name)))}::text[], ${p(col((c) => pinyinInitials(c.after.name)))}::text[],
          ${p(col((c) => c.after.sex))}::text[], ${p(col((c) => c.after.birthDate))}::text[], ${p(col((c) => c.after.ethnicity))}::text[],
          ${p(col((c) => c.after.address))}::text[], ${p(col((c) => c.after.regionCode))}::text[], ${p(col((c) => c.after.unitId))}::uuid[],
          ${p(col((c) => c.after.unitPath))}::text[], ${p(col((c) => c.after.riskLevel))}::text[], ${p(col((c) => c.after.tags.join(TAG_SEP)))}::text[],
          ${p(col((c) => !!c.phoneSealed))}::boolean[], ${p(col((c) => c.phoneSealed?.phoneEnc ?? null))}::text[],
          ${p(col((c) => c.phoneSealed?.phoneIndex ?? null))}::text[], ${p(col((c) => c.phoneSealed?.phoneTailIndex ?? null))}::text[],
          ${p(col((c) => c.phoneSealed?.phoneMasked ?? null))}::text[])
          as x(id, version, name, name_pinyin, name_initials, sex, birth_date, ethnicity, address, region_code, unit_id, unit_path, risk_level,
               tags, phone_changed, phone_enc, phone_index, phone_tail_index, phone_masked)
        where c.id = x.id and c.version = x.version
        returning c.id`,
    );
    if (rows.length !== chunk.length) {
      throw new AppError('stale_version', {
        status: 409,
        message: 'clients of the file were changed by someone else during the import; import again',
      });
    }
    const moved = chunk.filter((c) => c.after.unitPath !== c.existing.unitPath);
    if (moved.length) {
      // Categories and flags carry the owning unit's path too.
      for (const table of ['client_categories', 'client_flags'] as const) {
        await tx.execute(sql`update ${sql.identifier(table)} t set unit_path = x.unit_path::ltree, updated_at = now()
          from unnest(${p(moved.map((c) => c.after.id))}::uuid[], ${p(moved.map((c) => c.after.unitPath))}::text[]) as x(id, unit_path)
          where t.client_id = x.id`);
      }
    }
    await insertCategories(
      tx,
      chunk.flatMap((c) =>
        c.addCategories.map((category) => ({ id: c.after.id, category, start: c.draft.categoryStart ?? today, path: c.after.unitPath })),
      ),
    );
    if (i === 0 && changes.length > chunkSize) {
      // The planner's statistics may not know the categories just added in this transaction; without them the
      // cadence query picks the category index and slows down with every chunk. ANALYZE sees our own rows.
      await tx.execute(sql`analyze client_categories`);
    }
    await recomputeCadence(
      tx,
      chunk.map((c) => c.after.id),
    );
    await writeAuditBatch(
      tx,
      chunk.map((c) => ({
        actor,
        action: 'client.updated',
        entityType: 'client',
        entityId: c.after.id,
        unitPath: c.after.unitPath,
        before: auditShape(c.existing),
        after: auditShape(c.after),
      })),
    );
    wrote(chunk.length);
  }
}
