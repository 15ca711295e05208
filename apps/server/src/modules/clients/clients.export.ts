import { RISK_LEVEL_LABELS, SEX_LABELS } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Actor } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Db, query } from '../../platform/db.js';
import { neutralise, streamingWorkbook, styleHeader, writeXlsx } from '../../platform/xlsx.js';
import { loadCategories } from '../settings/settings.service.js';
import type { ClientListQuery } from './clients.schemas.js';
import { findClients } from './clients.service.js';
import {
  CLIENT_SHEET_COLUMNS,
  CLIENTS_SHEET,
  type ClientField,
  categoriesHelp,
  INSTRUCTIONS_SHEET,
  MAX_CLIENT_IMPORT_ROWS,
} from './clients.sheet.js';

/**
 * The client sheet out: the import template (headers, drop-downs, text formats, instructions) and the export
 * of the ledger with the template's columns, so that an export (with full numbers) imports back as a no-op.
 */

const EXPORT_PAGE = 1000;
const zh = (list: readonly { value: string; zh: string }[]) => new Map(list.map((l) => [l.value, l.zh]));
const SEX_ZH = zh(SEX_LABELS);
const RISK_ZH = zh(RISK_LEVEL_LABELS);

/** The import template: the sheet to fill and the instructions sheet, naming the deployment's active categories. */
export async function clientImportTemplate(db: Db): Promise<Buffer> {
  const activeLabels = (await loadCategories(db)).list.filter((c) => c.active).map((c) => c.labelZh);
  const helpOf = (c: (typeof CLIENT_SHEET_COLUMNS)[number]) => (c.field === 'categories' ? categoriesHelp(activeLabels) : c.help);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Wushe';
  wb.created = new Date();
  const ws = wb.addWorksheet(CLIENTS_SHEET);
  ws.columns = CLIENT_SHEET_COLUMNS.map((c) => ({ header: c.header, key: c.field, width: c.width, style: c.text ? { numFmt: '@' } : {} }));
  styleHeader(ws);
  CLIENT_SHEET_COLUMNS.forEach((c, i) => {
    const cell = ws.getRow(1).getCell(i + 1);
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC0392B' } };
    cell.note = `${c.required ? '必填。' : '选填。'}${helpOf(c)}`;
  });
  const list = (field: ClientField, values: string[]) => {
    const col = CLIENT_SHEET_COLUMNS.findIndex((c) => c.field === field) + 1;
    const letter = ws.getColumn(col).letter;
    // Range validations exist at runtime (ExcelJS 4.4) but not in its typings.
    (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
      `${letter}2:${letter}${MAX_CLIENT_IMPORT_ROWS + 1}`,
      {
        type: 'list',
        allowBlank: true,
        formulae: [`"${values.join(',')}"`],
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: CLIENT_SHEET_COLUMNS[col - 1].header,
        error: `请从列表中选择：${values.join('、')}`,
      },
    );
  };
  list(
    'sex',
    SEX_LABELS.map((s) => s.zh),
  );
  list(
    'riskLevel',
    RISK_LEVEL_LABELS.map((s) => s.zh),
  );

  const help = wb.addWorksheet(INSTRUCTIONS_SHEET);
  help.columns = [{ width: 16 }, { width: 10 }, { width: 80 }, { width: 30 }];
  help.addRow(['服务对象台账批量导入说明']).font = { bold: true, size: 14 };
  for (const line of [
    `1. 在“${CLIENTS_SHEET}”工作表中填写，每行一位服务对象；第一行是列名，请勿修改。本“说明”工作表不会被导入。也可上传 CSV 文件（UTF-8 或 GBK 编码）。`,
    `2. 每个文件最多 ${MAX_CLIENT_IMPORT_ROWS} 行。先“校验”（不写入），确认后再“导入”。可选择“全部或全不”（任何一行有错误时整个文件都不写入）或“只导入正确的行”。`,
    '3. 身份证号码已在台账中的对象按“更新”处理，只改动填写了且与台账不同的内容；空白单元格不会清除台账中已有的信息。没有身份证号码的对象按姓名、所属社区和出生日期识别。',
    '4. 同一人在文件中出现两次的行都不会导入。已由其他街道登记的身份证号码不能导入，请联系对方办理转移。',
    '5. 身份证号码、联系电话和所属社区代码请设为文本格式，以免 Excel 把长数字改成科学计数法。公式单元格只读取其保存的计算结果，不会重新计算。',
  ]) {
    help.addRow([line]);
  }
  help.addRow([]);
  const head = help.addRow(['列名', '是否必填', '填写说明', '示例']);
  styleHeader(help, head.number);
  help.views = [];
  for (const c of CLIENT_SHEET_COLUMNS) help.addRow([c.header, c.required ? '必填' : '选填', helpOf(c), c.example]);
  help.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
  return writeXlsx(wb);
}

/** Export filters: those of GET /api/clients without paging. */
export type ClientExportFilter = Omit<ClientListQuery, 'limit' | 'cursor'>;

/**
 * The clients matching `filter` in the actor's scope as an xlsx with the template's columns, streamed page by
 * page (findClients keyset paging) into a streaming workbook writer: memory holds one page, not the ledger.
 * ID numbers and phones are masked unless `reveal` (the route checks the permission and audits it). Every
 * text cell goes through `neutralise` (formula injection).
 */
export async function exportClients(opts: {
  db: Db;
  actor: Actor;
  crypto: FieldCrypto;
  filter: ClientExportFilter;
  reveal: boolean;
}): Promise<{ body: Buffer; count: number }> {
  const { db, actor, crypto, filter, reveal } = opts;
  const { wb, finish } = streamingWorkbook();
  const ws = wb.addWorksheet(CLIENTS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = CLIENT_SHEET_COLUMNS.map((c) => ({ key: c.field, width: c.width }));
  const header = ws.addRow(CLIENT_SHEET_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  });
  header.commit();
  const categories = await loadCategories(db);
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await findClients(db, actor, crypto, { ...filter, limit: EXPORT_PAGE, cursor });
    const ids = page.items.map((c) => c.id);
    const starts = new Map(
      (
        await query<{ clientId: string; start: string }>(
          db,
          sql`select client_id as "clientId", min(start_date)::text as start from client_categories
              where client_id = any(${sql.param(ids)}::uuid[]) and (end_date is null or end_date >= current_date) group by client_id`,
        )
      ).map((r) => [r.clientId, r.start]),
    );
    for (const c of page.items) {
      const values: Record<ClientField, string | null> = {
        name: c.name,
        idNumber: reveal ? (c.idNumberEnc ? crypto.decrypt(c.idNumberEnc) : null) : c.idNumberMasked,
        sex: c.sex ? (SEX_ZH.get(c.sex) ?? c.sex) : null,
        birthDate: c.birthDate,
        ethnicity: c.ethnicity,
        phone: reveal ? (c.phoneEnc ? crypto.decrypt(c.phoneEnc) : null) : c.phoneMasked,
        address: c.address,
        community: c.regionName ?? c.regionCode,
        unit: c.unitName,
        categories: (c.categories ?? []).map((k) => categories.labelZh(k)).join('、') || null,
        categoryStart: starts.get(c.id) ?? null,
        riskLevel: RISK_ZH.get(c.riskLevel) ?? c.riskLevel,
        tags: (c.tags ?? []).join('、') || null,
      };
      ws.addRow(CLIENT_SHEET_COLUMNS.map((col) => (values[col.field] === null ? null : neutralise(values[col.field] as string)))).commit();
      count++;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  ws.commit();
  return { body: await finish(), count };
}
