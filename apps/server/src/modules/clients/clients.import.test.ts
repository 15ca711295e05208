import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import {
  CLIENT_HEADERS as HEADERS,
  yuzhongIdNumber as idNumber,
  multipartBody as multipart,
  clientRow as row,
  clientSheet as sheet,
} from '../../../test/sheets.js';
import { query, queryOne, sql } from '../../platform/db.js';
import { XLSX_MIME } from '../../platform/http.js';
import { recomputeCadence } from '../visits/visits.cadence.js';
import { INSTRUCTIONS_SHEET } from './clients.sheet.js';

let ctx: TestContext;
let qxg: Client;
let jfb: Client;
let jfbCommunity: string;

const XINGLONGJIE = '500103001013';

beforeAll(async () => {
  ctx = await testApp();
  qxg = await signIn(ctx.app, 'qxg_sw');
  jfb = await signIn(ctx.app, 'jfb_sw');
  jfbCommunity = (await jfb.get('/api/units?kind=office')).json().items[0].regionCode;
});
afterAll(async () => ctx?.close());

function upload(
  c: Client,
  file: Buffer,
  opts: { commit?: boolean; mode?: 'all' | 'valid'; key?: string; mapping?: string; filename?: string; field?: string } = {},
) {
  const m = multipart(file, opts);
  const qs = new URLSearchParams();
  if (opts.commit) qs.set('commit', 'true');
  if (opts.mode) qs.set('mode', opts.mode);
  return c.request({
    method: 'POST',
    url: `/api/clients/import?${qs}`,
    payload: m.payload,
    headers: { 'content-type': m.contentType, ...(opts.key ? { 'idempotency-key': opts.key } : {}) },
  });
}

async function readXlsx(res: LightMyRequestResponse): Promise<ExcelJS.Workbook> {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toContain(XLSX_MIME);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

async function ledgerSnapshot() {
  return query<Record<string, unknown>>(
    ctx.db,
    sql`select id, name, address, phone_index, risk_level, tags, version, unit_id, region_code,
          array(select category || start_date::text from client_categories cc where cc.client_id = c.id order by 1) as cats
        from clients c order by id`,
  );
}
const auditCount = async () => Number((await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from audit_log`))?.n);
const clientsNamed = async (name: string) =>
  query<{ id: string; version: number; address: string | null; risk_level: string }>(
    ctx.db,
    sql`select id, version, address, risk_level from clients where name = ${name}`,
  );

describe('client import and export', () => {
  it('round-trips the template: dry run writes nothing, commit creates, a second import changes nothing', async () => {
    const tpl = await readXlsx(await qxg.get('/api/clients/import/template'));
    const ws = tpl.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, ...HEADERS]);
    expect(tpl.getWorksheet(INSTRUCTIONS_SHEET)).toBeTruthy();
    const a = idNumber('19420315', 113);
    const b = idNumber('19510707', 222);
    ws.addRow(
      row({
        姓名: '模板甲',
        身份证号码: a,
        联系电话: '13812340001',
        现住址: '兴隆街 1 号',
        所属社区: '兴隆街社区',
        对象类别: '低保、独居老人',
        类别开始日期: '2024-01-01',
        风险等级: '重点',
        标签: '行动不便',
      }),
    );
    ws.addRow(row({ 姓名: '模板乙', 身份证号码: b, 所属社区: XINGLONGJIE, 所属单位: '七星岗街道社会工作服务站', 风险等级: '高风险' }));
    ws.addRow(row({ 姓名: '模板丙', 性别: '女', 出生日期: '1960-02-02', 所属社区: '华一坡社区居民委员会' }));
    const file = Buffer.from(await tpl.xlsx.writeBuffer());
    const before = await ledgerSnapshot();

    const dry = await upload(qxg, file);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({
      committed: false,
      rows: 3,
      summary: { new: 3, updated: 0, unchanged: 0, rejected: 0, duplicatesInFile: 0, duplicatesInLedger: 0 },
      errors: [],
    });
    expect(dry.json().headers).toEqual(HEADERS);
    expect(dry.json().mapping).toMatchObject({ 姓名: 'name', 身份证号码: 'idNumber', 所属社区: 'community' });
    expect(await ledgerSnapshot()).toEqual(before);

    const audits = await auditCount();
    const done = await upload(qxg, file, { commit: true });
    expect(done.json()).toMatchObject({ committed: true, summary: { new: 3, updated: 0, unchanged: 0, rejected: 0 } });
    expect(await auditCount()).toBe(audits + 4);
    const found = (await qxg.get(`/api/clients?q=${a}`)).json().items;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      name: '模板甲',
      sex: 'male',
      birthDate: '1942-03-15',
      regionCode: XINGLONGJIE,
      unitName: '兴隆街社区社会工作室',
      riskLevel: 'key',
      tags: ['行动不便'],
      phone: '138****0001',
    });
    expect(found[0].categories.sort()).toEqual(['dibao', 'living_alone_elderly']);
    expect(found[0].nextVisitDue).toBeTruthy();
    expect((await qxg.get('/api/clients?q=mbj')).json().items.map((c: { name: string }) => c.name)).toContain('模板甲');
    const yi = (await qxg.get(`/api/clients?q=${b}`)).json().items[0];
    expect(yi).toMatchObject({ unitName: '七星岗街道社会工作服务站', regionCode: XINGLONGJIE, riskLevel: 'high' });
    const bing = (await clientsNamed('模板丙'))[0];
    expect(bing).toBeTruthy();
    const created = await query<{ action: string }>(
      ctx.db,
      sql`select action from audit_log where action in ('client.created', 'client.import') and seq > (select max(seq) - 4 from audit_log)`,
    );
    expect(created.map((x) => x.action).sort()).toEqual(['client.created', 'client.created', 'client.created', 'client.import']);
    const log = await query<{ after: string }>(ctx.db, sql`select after::text from audit_log where action = 'client.created'`);
    expect(JSON.stringify(log)).not.toContain(a);
    expect(JSON.stringify(log)).not.toContain('13812340001');

    // The cadence written by the import is the one recomputeCadence gives.
    const cadence = sql`select id, visit_interval_days, next_visit_due::text from clients where name like '模板%' order by id`;
    const imported = await query<{ id: string; visit_interval_days: number }>(ctx.db, cadence);
    expect(imported.every((c) => c.visit_interval_days > 0)).toBe(true);
    await recomputeCadence(
      ctx.db,
      imported.map((c) => c.id),
    );
    expect(await query(ctx.db, cadence)).toEqual(imported);

    const snapshot = await ledgerSnapshot();
    const again = await upload(qxg, file, { commit: true });
    expect(again.json()).toMatchObject({
      committed: true,
      summary: { new: 0, updated: 0, unchanged: 3, rejected: 0, duplicatesInLedger: 3 },
    });
    expect(await ledgerSnapshot()).toEqual(snapshot);

    // A changed cell updates only that field; blank cells keep what the ledger has.
    const changed = await sheet([row({ 姓名: '模板甲', 身份证号码: a, 所属社区: '兴隆街社区', 现住址: '兴隆街 2 号' })]);
    const upd = await upload(qxg, changed, { commit: true });
    expect(upd.json().summary).toMatchObject({ new: 0, updated: 1, unchanged: 0 });
    const detail = (await qxg.get(`/api/clients/${found[0].id}`)).json();
    expect(detail).toMatchObject({ address: '兴隆街 2 号', phone: '138****0001', riskLevel: 'key', version: found[0].version + 1 });
    const upAudit = await queryOne<{ before: { address: string }; after: { address: string } }>(
      ctx.db,
      sql`select before, after from audit_log where action = 'client.updated' and entity_id = ${found[0].id}`,
    );
    expect(upAudit).toMatchObject({ before: { address: '兴隆街 1 号' }, after: { address: '兴隆街 2 号' } });
  });

  it('reads CSV in UTF-8 (with or without BOM) and in GBK', async () => {
    const lines = (suffix: string, seq: number) =>
      [
        '姓名,身份证号,性别,手机号,家庭住址,社区,对象类别,风险等级',
        `字符甲${suffix},${idNumber('19480101', seq)},男,13900000001,"兴隆街 3 号, 2 单元",兴隆街社区,特困,一般`,
        `字符乙${suffix},,女,,金汤街 5 号,金汤街社区,"低保，留守老人",重点`,
      ].join('\r\n');
    const utf8 = Buffer.from(`\uFEFF${lines('U', 301)}\r\n`, 'utf8');
    const plain = Buffer.from(lines('P', 303), 'utf8');
    const gbk = iconv.encode(lines('G', 305), 'gbk');
    for (const [file, name] of [
      [utf8, '字符甲U'],
      [plain, '字符甲P'],
      [gbk, '字符甲G'],
    ] as const) {
      const res = await upload(qxg, file, { commit: true, filename: 'clients.csv' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json(), name).toMatchObject({ committed: true, summary: { new: 2, rejected: 0 }, errors: [] });
      const c = (await qxg.get(`/api/clients?q=${encodeURIComponent(name)}`)).json().items[0];
      expect(c).toMatchObject({ name, address: '兴隆街 3 号, 2 单元', categories: ['tekun'] });
    }
    const yi = (await qxg.get(`/api/clients?q=${encodeURIComponent('字符乙G')}`)).json().items[0];
    expect(yi).toMatchObject({ regionCode: '500103001015', riskLevel: 'key', sex: 'female' });
    expect(yi.categories.sort()).toEqual(['dibao', 'left_behind_elderly']);
  });

  it('maps headers that differ from ours', async () => {
    const headers = ['序号', '对象名', '证件', '居所', '片区社区', '备注'];
    const file = await sheet([[1, '映射甲', idNumber('19550505', 411), '领事巷 9 号', '领事巷', '无']], headers);
    const without = await upload(qxg, file);
    expect(without.statusCode).toBe(400);
    expect(['missing_header', 'missing_column']).toContain(errorOf(without).details[0].code);
    const mapping = JSON.stringify({ 对象名: 'name', 证件: '身份证号码', 居所: 'address', 片区社区: 'community', 备注: null });
    const res = await upload(qxg, file, { mapping, commit: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      committed: true,
      summary: { new: 1, rejected: 0 },
      headers,
      mapping: { 对象名: 'name', 证件: 'idNumber', 居所: 'address', 片区社区: 'community' },
    });
    expect((await qxg.get(`/api/clients?q=${encodeURIComponent('映射甲')}`)).json().items[0]).toMatchObject({
      address: '领事巷 9 号',
      regionCode: '500103001011',
    });
    const bad = await upload(qxg, file, { mapping: JSON.stringify({ 对象名: 'shoeSize' }) });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details[0]).toMatchObject({ code: 'unknown_field' });
    const notJson = await upload(qxg, file, { mapping: '{' });
    expect(errorOf(notJson).details[0]).toMatchObject({ path: 'mapping', code: 'invalid_json' });
    const absent = await upload(qxg, file, { mapping: JSON.stringify({ 对象名: 'name', 片区社区: 'community', 电话号码: 'phone' }) });
    expect(errorOf(absent).details[0]).toMatchObject({ code: 'header_not_found' });
  });

  it('mode=all writes nothing when a row is bad; mode=valid writes the valid rows', async () => {
    const good1 = idNumber('19600101', 511);
    const good2 = idNumber('19600102', 513);
    const bad = idNumber('19600103', 515);
    const file = await sheet([
      row({ 姓名: '模式甲', 身份证号码: good1, 所属社区: '兴隆街' }),
      row({ 姓名: '模式乙', 身份证号码: bad.slice(0, 17) + (bad[17] === '0' ? '1' : '0'), 所属社区: '兴隆街' }),
      row({ 姓名: '模式丙', 身份证号码: good2, 所属社区: '兴隆街', 对象类别: '外星人' }),
      row({ 姓名: '模式丁', 身份证号码: good2, 所属社区: '兴隆街' }),
      row({ 姓名: '模式戊', 所属社区: '解放碑' }),
    ]);
    const all = await upload(qxg, file, { commit: true });
    const report = all.json();
    expect(report).toMatchObject({ committed: false, rows: 5, summary: { new: 1, rejected: 4, duplicatesInFile: 2 } });
    const has = (r: number, column: string, code: string) =>
      expect(report.errors, `${r} ${column} ${code}`).toContainEqual(expect.objectContaining({ row: r, column, code }));
    has(3, '身份证号码', 'checksum');
    has(4, '对象类别', 'unknown_category');
    has(4, '身份证号码', 'duplicate_in_file');
    has(5, '身份证号码', 'duplicate_in_file');
    has(6, '所属社区', 'unknown_community');
    expect(await clientsNamed('模式甲')).toHaveLength(0);
    const valid = await upload(qxg, file, { commit: true, mode: 'valid' });
    expect(valid.json()).toMatchObject({ committed: true, summary: { new: 1, rejected: 4 } });
    expect(await clientsNamed('模式甲')).toHaveLength(1);
    expect(await clientsNamed('模式乙')).toHaveLength(0);
  });

  it('leaves the ledger exactly as it was when the import fails half-way', async () => {
    const keep = idNumber('19700707', 611);
    await upload(qxg, await sheet([row({ 姓名: '原子甲', 身份证号码: keep, 所属社区: '兴隆街', 现住址: '旧址' })]), { commit: true });
    // A row that passes every check of the import but not the database.
    await ctx.db.execute(sql`alter table clients add constraint clients_import_test_check check (name <> '原子爆')`);
    try {
      const before = await ledgerSnapshot();
      const audits = await auditCount();
      const rows = [row({ 姓名: '原子甲', 身份证号码: keep, 所属社区: '兴隆街', 现住址: '新址', 风险等级: '高风险' })];
      for (let i = 0; i < 5; i++) rows.push(row({ 姓名: `原子新${i}`, 身份证号码: idNumber('19700708', 621 + 2 * i), 所属社区: '兴隆街' }));
      rows.push(row({ 姓名: '原子爆', 身份证号码: idNumber('19700709', 641), 所属社区: '兴隆街', 对象类别: '低保' }));
      const file = await sheet(rows);
      const dry = await upload(qxg, file);
      expect(dry.json()).toMatchObject({ summary: { new: 6, updated: 1, rejected: 0 } });
      const res = await upload(qxg, file, { commit: true, mode: 'valid', key: 'atomic-1' });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      errorOf(res);
      expect(await ledgerSnapshot()).toEqual(before);
      expect(await auditCount()).toBe(audits);
      expect(await clientsNamed('原子新0')).toHaveLength(0);
      expect((await clientsNamed('原子甲'))[0]).toMatchObject({ address: '旧址', risk_level: 'general' });
      const key = await queryOne(ctx.db, sql`select 1 from idempotency_keys where key = 'atomic-1'`);
      expect(key).toBeUndefined();
    } finally {
      await ctx.db.execute(sql`alter table clients drop constraint clients_import_test_check`);
    }
  });

  it('rejects an ID number registered by another street without saying where', async () => {
    const theirs = idNumber('19330303', 711);
    expect(
      (
        await qxg.post('/api/clients', {
          unitId: (await qxg.get('/api/units?kind=office')).json().items[0].id,
          name: '别处甲',
          idNumber: theirs,
        })
      ).statusCode,
    ).toBe(201);
    const file = await sheet([
      row({ 姓名: '别处甲', 身份证号码: theirs, 所属社区: jfbCommunity }),
      row({ 姓名: '本街乙', 身份证号码: idNumber('19330304', 713), 所属社区: jfbCommunity }),
      row({ 姓名: '越界丙', 所属社区: XINGLONGJIE }),
    ]);
    const res = await upload(jfb, file, { commit: true, mode: 'valid' });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ committed: true, summary: { new: 1, rejected: 2, duplicatesInLedger: 1 } });
    expect(report.errors).toContainEqual(expect.objectContaining({ row: 2, column: '身份证号码', code: 'owned_elsewhere' }));
    expect(report.errors).toContainEqual(expect.objectContaining({ row: 4, column: '所属社区', code: 'unknown_community' }));
    for (const secret of ['七星岗', '兴隆街', '社会工作室', '李社工']) expect(res.body).not.toContain(secret);
    const mine = await query<{ unit_path: string }>(ctx.db, sql`select unit_path::text from clients where name = '别处甲'`);
    expect(mine).toHaveLength(1);
  });

  it('answers a retried commit with the same Idempotency-Key from memory', async () => {
    const file = await sheet([row({ 姓名: '幂等甲', 身份证号码: idNumber('19810101', 811), 所属社区: '兴隆街' })]);
    const first = await upload(qxg, file, { commit: true, key: 'clients-key-1' });
    expect(first.json().summary.new).toBe(1);
    const again = await upload(qxg, file, { commit: true, key: 'clients-key-1' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await upload(qxg, await sheet([row({ 姓名: '幂等乙', 所属社区: '兴隆街' })]), { commit: true, key: 'clients-key-1' });
    expect(other.statusCode).toBe(409);
    expect(await clientsNamed('幂等甲')).toHaveLength(1);
  });

  it('exports masked by default, revealed on request (audited), and a revealed export imports back as a no-op', async () => {
    const ids = [idNumber('19440404', 911), idNumber('19440405', 912)];
    const file = await sheet([
      row({
        姓名: '导出甲',
        身份证号码: ids[0],
        联系电话: '+86 138 0000 1111',
        现住址: '=HYPERLINK("http://x")',
        所属社区: '兴隆街',
        标签: '导出测试、独子',
        对象类别: '低保',
        类别开始日期: '2023-03-01',
      }),
      row({ 姓名: '导出乙', 身份证号码: ids[1], 联系电话: '023-6311 0000', 所属社区: '金汤街', 标签: '导出测试', 风险等级: '高风险' }),
      row({ 姓名: '@导出丙', 性别: '女', 出生日期: '1950-05-05', 所属社区: '领事巷', 标签: '导出测试' }),
    ]);
    expect((await upload(qxg, file, { commit: true })).json().summary).toMatchObject({ new: 3, rejected: 0 });
    const tag = encodeURIComponent('导出测试');

    const masked = await readXlsx(await qxg.get(`/api/clients/export?tag=${tag}&sort=name`));
    const ws = masked.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, ...HEADERS]);
    expect(ws.rowCount).toBe(4);
    const cells = (wb: ExcelJS.Workbook) =>
      wb.worksheets[0]
        .getSheetValues()
        .slice(2)
        .map((r) => Object.fromEntries(HEADERS.map((h, i) => [h, (r as unknown[])[i + 1]])));
    const m = cells(masked);
    const jia = m.find((r) => r.姓名 === '导出甲') as Record<string, unknown>;
    expect(jia.身份证号码).toBe(`5001${'*'.repeat(10)}${ids[0].slice(-4)}`);
    expect(String(jia.联系电话)).toContain('****');
    expect(jia.现住址).toBe(`'=HYPERLINK("http://x")`);
    expect(m.find((r) => r.姓名 === "'@导出丙")).toBeTruthy();
    expect(JSON.stringify(m)).not.toContain(ids[0]);
    const maskedAudit = await queryOne<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from audit_log where action = 'client.export_revealed'`,
    );
    expect(maskedAudit?.n).toBe(0);
    // A masked export does not import: the numbers are refused, not taken for new ones.
    const maskedBack = await upload(qxg, Buffer.from(await masked.xlsx.writeBuffer()));
    expect(maskedBack.json().errors).toContainEqual(expect.objectContaining({ code: 'masked_value', column: '身份证号码' }));

    const auditor = await signIn(ctx.app, 'yz_auditor');
    expect((await auditor.get(`/api/clients/export?tag=${tag}&reveal=true`)).statusCode).toBe(403);
    expect((await auditor.get(`/api/clients/export?tag=${tag}`)).statusCode).toBe(200);

    const revealedRes = await qxg.get(`/api/clients/export?tag=${tag}&reveal=true`);
    const revealed = await readXlsx(revealedRes);
    const r = cells(revealed);
    expect(r.find((x) => x.姓名 === '导出甲')).toMatchObject({
      身份证号码: ids[0],
      联系电话: "'+8613800001111",
      所属单位: '兴隆街社区社会工作室',
      对象类别: '低保',
      类别开始日期: '2023-03-01',
      性别: '男',
      出生日期: '1944-04-04',
    });
    const audit = await query<{ after: { count: number; filter: { tag: string } } }>(
      ctx.db,
      sql`select after from audit_log where action = 'client.export_revealed'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ count: 3, filter: { tag: '导出测试' } });
    expect(JSON.stringify(audit)).not.toContain(ids[0]);

    const snapshot = await ledgerSnapshot();
    const back = await upload(qxg, revealedRes.rawPayload, { commit: true });
    expect(back.json()).toMatchObject({ committed: true, summary: { new: 0, updated: 0, unchanged: 3, rejected: 0 }, errors: [] });
    expect(await ledgerSnapshot()).toEqual(snapshot);
    // Other streets export nothing of it.
    const theirs = await readXlsx(await jfb.get(`/api/clients/export?tag=${tag}&reveal=true`));
    expect(theirs.worksheets[0].rowCount).toBe(1);
  });

  it('reads a long sheet of Chinese text intact (characters across stream chunks)', async () => {
    // Inline strings (as WPS and streaming writers save them): every character sits in the sheet's XML.
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => out.on('end', resolve));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
    const ws = wb.addWorksheet('服务对象');
    ws.addRow(HEADERS).commit();
    for (let i = 0; i < 3000; i++) {
      ws.addRow(
        row({
          姓名: `长表对象${i}`,
          现住址: `渝中区七星岗街道兴隆街${i}号`,
          所属社区: '兴隆街社区',
          对象类别: '低保、留守老人',
          风险等级: '高风险',
        }),
      ).commit();
    }
    ws.commit();
    await wb.commit();
    await ended;
    const res = await upload(qxg, Buffer.concat(chunks));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rows: 3000, summary: { new: 3000, rejected: 0 }, errors: [] });
  }, 60_000);

  it('reads formula cells by their stored values and never evaluates them', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('服务对象');
    ws.addRow(['姓名', '所属社区', '现住址']);
    ws.addRow([{ formula: 'CONCAT("公式","甲")', result: '公式甲' }, '兴隆街', { formula: 'A1', result: '兴隆街 8 号' }]);
    ws.addRow(['公式乙', '兴隆街', { formula: 'CMD|" /C calc"!A0' }]);
    const res = await upload(qxg, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary).toMatchObject({ new: 1, rejected: 1 });
    expect(res.json().errors).toEqual([expect.objectContaining({ row: 3, column: '现住址', code: 'formula_without_value' })]);
  });

  it('answers 4xx with the uniform error body for files it cannot read', async () => {
    const xlsx = await sheet([row({ 姓名: '坏文件', 所属社区: '兴隆街' })]);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(200)]);
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), randomBytes(600)]);
    const garbage = randomBytes(20 * 1024 * 1024);
    const mergedWb = new ExcelJS.Workbook();
    const mws = mergedWb.addWorksheet('服务对象');
    mws.addRow(['姓名', '所属社区', '联系方式', '']);
    mws.mergeCells('C1:D1');
    mws.addRow(['合并甲', '兴隆街', '13800000000', '023-63000000']);
    const merged = Buffer.from(await mergedWb.xlsx.writeBuffer());
    const tooMany = Buffer.from(`姓名,所属社区\n${'某人,兴隆街\n'.repeat(100_001)}`);
    const cases: [string, Buffer, number[], string, string][] = [
      ['empty upload', Buffer.alloc(0), [400], 'validation_failed', 'empty'],
      ['renamed png', png, [415], 'unsupported_media_type', 'not_xlsx_or_csv'],
      ['old .xls', ole, [415], 'unsupported_media_type', 'xls_not_supported'],
      ['broken zip', Buffer.concat([Buffer.from('504b0304', 'hex'), randomBytes(500)]), [415], 'unsupported_media_type', 'corrupt_xlsx'],
      ['truncated xlsx', xlsx.subarray(0, Math.floor(xlsx.length / 2)), [415], 'unsupported_media_type', 'corrupt_xlsx'],
      ['20 MB of garbage', garbage, [413, 415], '', ''],
      ['missing columns', await sheet([['某人', '地址']], ['姓名', '现住址']), [400], 'validation_failed', 'missing_column'],
      ['no header row', await sheet([['某人', '兴隆街']], null), [400], 'validation_failed', 'missing_header'],
      ['header only', await sheet([]), [400], 'validation_failed', 'no_rows'],
      ['merged header cells', merged, [400], 'validation_failed', 'merged_header'],
      ['more than 100,000 rows', tooMany, [413], 'too_large', 'too_many_rows'],
    ];
    for (const [what, file, statuses, code, detail] of cases) {
      const res = await upload(qxg, file, { commit: true, filename: what.includes('rows') ? 'x.csv' : 'x.xlsx' });
      expect(statuses, `${what}: ${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
      const err = errorOf(res);
      if (code) expect(err.code, what).toBe(code);
      if (detail)
        expect(
          err.details.map((d) => d.code),
          what,
        ).toContain(detail);
    }
    const missing = errorOf(await upload(qxg, await sheet([['某人']], ['现住址'])));
    expect(missing.details.filter((d) => d.code === 'missing_column').map((d) => d.path)).toEqual(['姓名', '所属社区']);
    expect(missing.details.filter((d) => d.code === 'sheet_header').map((d) => d.path)).toEqual(['现住址']);
    const json = await qxg.request({ method: 'POST', url: '/api/clients/import', payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    const wrongField = await upload(qxg, xlsx, { field: 'upload' });
    expect(errorOf(wrongField).details[0]).toMatchObject({ path: 'file', code: 'required' });
    const auditor = await signIn(ctx.app, 'yz_auditor');
    expect((await upload(auditor, xlsx)).statusCode).toBe(403);
    expect(await clientsNamed('坏文件')).toHaveLength(0);
  }, 60_000);
});
