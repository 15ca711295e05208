import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, TEST_PASSWORD, type TestContext, testApp } from '../../../test/helpers.js';
import { XLSX_MIME } from '../../platform/http.js';
import { makeUser, unitByName } from '../../seed/factories.js';
import { IMPORT_COLUMNS, MAX_IMPORT_ROWS } from './network.import.js';
import { COVERAGE_HEADERS, writeXlsx } from './network.xlsx.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await testApp();
});
afterAll(async () => {
  // The test database is dropped WITH (FORCE) while pg-pool may still be closing connections; the pool
  // then emits 'error' (57P01) and, with no listener on it, that becomes an uncaught exception.
  // TODO(platform/db.ts): give the pool an 'error' listener; then this can go.
  const pool = (ctx?.db as unknown as { $client?: { on?: (e: string, f: (err: { code?: string }) => void) => void } })?.$client;
  pool?.on?.('error', (err) => {
    if (err.code !== '57P01') throw err;
  });
  await ctx?.close();
});

const HEADERS = IMPORT_COLUMNS.map((c) => c.header);
const CENTRE = '渝中区社会工作指导中心';

function multipart(file: Buffer, filename = 'units.xlsx', field = 'file') {
  const boundary = `----wushe${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${XLSX_MIME}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, file, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

function upload(c: Client, file: Buffer, opts: { commit?: boolean; key?: string; filename?: string; field?: string } = {}) {
  const m = multipart(file, opts.filename, opts.field);
  return c.request({
    method: 'POST',
    url: `/api/units/import${opts.commit ? '?commit=true' : ''}`,
    payload: m.payload,
    headers: { 'content-type': m.contentType, ...(opts.key ? { 'idempotency-key': opts.key } : {}) },
  });
}

async function readXlsx(res: LightMyRequestResponse): Promise<ExcelJS.Workbook> {
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain(XLSX_MIME);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

/** A workbook with the template's headers (or others) and the given rows, as bytes. */
async function sheet(rows: unknown[][], headers: string[] | null = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('服务网络单位');
  if (headers) ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A row in template column order from named cells. */
function row(cells: Partial<Record<(typeof HEADERS)[number], unknown>>): unknown[] {
  return HEADERS.map((h) => cells[h] ?? null);
}

async function unitsNamed(c: Client, name: string): Promise<{ id: string; name: string; parentId: string; kind: string }[]> {
  const res = await c.get(`/api/units?q=${encodeURIComponent(name)}&limit=200`);
  expect(res.statusCode).toBe(200);
  return res.json().items.filter((u: { name: string }) => u.name === name);
}

/** Streets of 渝中区 without a station, and one community of each: every test takes its own. */
let freeStreets: { code: string; name: string }[] = [];
async function takeStreet(c: Client): Promise<{ code: string; name: string; village: string; villages: string[] }> {
  if (freeStreets.length === 0) {
    const res = await c.get('/api/regions?parentCode=500103&level=4&limit=100');
    freeStreets = res.json().items.filter((r: { code: string }) => !['500103001', '500103003'].includes(r.code));
  }
  const street = freeStreets.shift();
  if (!street) throw new Error('no free street left');
  const villages = (await c.get(`/api/regions?parentCode=${street.code}&limit=100`)).json().items.map((r: { code: string }) => r.code);
  return { ...street, village: villages[0], villages };
}

describe('unit import', () => {
  it('round-trips the template: dry run writes nothing, commit creates the units', async () => {
    const c = await signIn(ctx.app, 'yz_centre');
    const tpl = await readXlsx(await c.get('/api/units/import/template'));
    expect(tpl.worksheets.map((w) => w.name)).toEqual(['服务网络单位', '说明']);
    const ws = tpl.worksheets[0];
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    // The instructions sheet carries one example row under a copy of the headers.
    const help = tpl.getWorksheet('说明') as ExcelJS.Worksheet;
    const helpRows = help.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1) : []));
    const exampleHeader = helpRows.findIndex((r) => JSON.stringify(r) === JSON.stringify(HEADERS));
    expect(exampleHeader).toBeGreaterThan(0);
    expect(helpRows[exampleHeader + 1][1]).toBe('社会工作服务站');

    const operator = await c.post('/api/operators', { name: '渝中区导入测试社会工作服务中心', contactName: '测试' });
    expect(operator.statusCode).toBe(201);
    const s = await takeStreet(c);
    const stationName = `${s.name}社会工作服务站（导入）`;
    const officeName = `${s.name}第一社区社会工作室（导入）`;
    ws.addRow(
      row({
        单位名称: stationName,
        单位类型: '社会工作服务站',
        行政区划代码: s.code,
        上级单位: CENTRE,
        状态: '运营中',
        承接机构: '渝中区导入测试社会工作服务中心',
        合同开始: new Date(Date.UTC(2024, 0, 1)),
        合同结束: '2026-12-31',
        地址: '重庆市渝中区',
        电话: '023-6311 1111',
        开放时间: '周一至周五 9:00-17:30',
        功能: '社会工作站、志愿服务站',
      }),
    );
    ws.addRow(
      row({
        单位名称: officeName,
        单位类型: 'office',
        行政区划代码: Number(s.village),
        上级单位: stationName,
        状态: '筹建中',
        功能: '未成年人保护工作站, 社会工作站',
      }),
    );
    const file = Buffer.from(await tpl.xlsx.writeBuffer());

    const dry = await upload(c, file);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toEqual({ committed: false, rows: 2, valid: 2, errors: [], created: 0 });
    expect(await unitsNamed(c, stationName)).toHaveLength(0);
    expect(await unitsNamed(c, officeName)).toHaveLength(0);

    const done = await upload(c, file, { commit: true, filename: 'network.xlsx' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ committed: true, rows: 2, valid: 2, errors: [], created: 2 });
    const [station] = await unitsNamed(c, stationName);
    const [office] = await unitsNamed(c, officeName);
    expect(station.kind).toBe('station');
    expect(office.parentId).toBe(station.id);
    const detail = (await c.get(`/api/units/${station.id}`)).json();
    expect(detail).toMatchObject({
      status: 'operating',
      regionCode: s.code,
      contractStart: '2024-01-01',
      contractEnd: '2026-12-31',
      phone: '023-6311 1111',
    });
    expect(detail.operator.name).toBe('渝中区导入测试社会工作服务中心');
    expect(detail.functions).toEqual(['social_work', 'volunteer_service']);
    expect((await c.get(`/api/units/${office.id}`)).json()).toMatchObject({
      status: 'planned',
      regionCode: s.village,
      functions: ['minor_protection', 'social_work'],
    });

    const admin = await signIn(ctx.app, 'admin');
    const audit = (await admin.get('/api/audit?action=unit.import&limit=50')).json();
    const entry = audit.items.find(
      (a: { actorName: string; after: { fileName: string } }) => a.actorName === 'yz_centre' && a.after.fileName === 'network.xlsx',
    );
    expect(entry.after).toMatchObject({ rows: 2, created: 2 });
    const created = (await admin.get(`/api/units/${office.id}/history`)).json();
    expect(created.items[0].action).toBe('unit.created');
  });

  it('names row and column of every bad row and writes nothing, even with commit=true', async () => {
    const c = await signIn(ctx.app, 'yz_centre');
    const s1 = await takeStreet(c);
    const s2 = await takeStreet(c);
    const good = row({
      单位名称: `${s1.name}站（好）`,
      单位类型: '社会工作服务站',
      行政区划代码: s1.code,
      上级单位: CENTRE,
      状态: '运营中',
    });
    const file = await sheet([
      good, // row 2
      row({ 单位名称: '类型不对的站', 单位类型: '服务站', 行政区划代码: s2.code, 上级单位: CENTRE, 状态: '开张' }), // row 3
      row({ 单位名称: '层级不对的站', 单位类型: '社会工作服务站', 行政区划代码: s2.village, 上级单位: CENTRE, 状态: '筹建中' }), // row 4
      row({
        单位名称: '合同颠倒的站',
        单位类型: 'station',
        行政区划代码: s2.code,
        上级单位: CENTRE,
        状态: '筹建中',
        承接机构: '不存在的机构',
        合同开始: '2025-01-01',
        合同结束: '2024-12-31',
        功能: '社会工作站、跳舞',
      }), // row 5
      good, // row 6: duplicate of row 2
      row({ 单位名称: '无上级的室', 单位类型: '社会工作室', 行政区划代码: s2.village, 上级单位: '后面才有的站', 状态: '筹建中' }), // row 7
      row({
        单位名称: '后面才有的站',
        单位类型: '社会工作服务站',
        行政区划代码: s2.code,
        上级单位: CENTRE,
        状态: '筹建中',
        合同开始: '2024-02-30',
      }), // row 8
      row({ 单位名称: '', 单位类型: '社工点', 行政区划代码: s2.village, 上级单位: '', 状态: '筹建中' }), // row 9
      row({ 单位名称: '第二个运营站', 单位类型: '社会工作服务站', 行政区划代码: s1.code, 上级单位: CENTRE, 状态: '运营中' }), // row 10
    ]);
    const res = await upload(c, file, { commit: true });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ committed: false, rows: 9, created: 0 });
    const errors = report.errors as { row: number; column: string | null; code: string }[];
    const has = (row: number, column: string | null, code: string) =>
      expect(errors, JSON.stringify(errors)).toContainEqual(expect.objectContaining({ row, column, code }));
    has(3, '单位类型', 'unknown_kind');
    has(3, '状态', 'unknown_status');
    has(4, '行政区划代码', 'wrong_region_level');
    has(5, '合同结束', 'before_start');
    has(5, '功能', 'unknown_function');
    has(5, '承接机构', 'unknown_operator');
    has(6, '单位名称', 'duplicate_in_file');
    has(7, '上级单位', 'parent_after_child');
    has(8, '合同开始', 'invalid_date');
    has(9, '单位名称', 'required');
    has(9, '上级单位', 'required');
    has(10, '行政区划代码', 'station_exists');
    expect(errors.every((e) => e.row !== 2)).toBe(true);
    expect(report.valid).toBe(1);
    for (const e of report.errors) expect(typeof e.message).toBe('string');
    expect(await unitsNamed(c, `${s1.name}站（好）`)).toHaveLength(0);
  });

  it('answers 4xx with the uniform error body for files it cannot read', async () => {
    const c = await signIn(ctx.app, 'yz_centre');
    const xlsx = await sheet([row({ 单位名称: '某站' })]);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(200)]);
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), randomBytes(600)]);
    const brokenZip = Buffer.concat([Buffer.from('504b0304', 'hex'), randomBytes(500)]);
    const truncated = xlsx.subarray(0, Math.floor(xlsx.length / 2));
    const manyRows = await sheet(Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => row({ 单位名称: `站${i}`, 单位类型: '社工点' })));
    const cases: [string, Buffer, number, string, string][] = [
      ['empty upload', Buffer.alloc(0), 400, 'validation_failed', 'empty'],
      ['csv text', Buffer.from('单位名称,单位类型\n某站,社工点\n'), 415, 'unsupported_media_type', 'not_xlsx'],
      ['renamed png', png, 415, 'unsupported_media_type', 'not_xlsx'],
      ['garbage', randomBytes(4096), 415, 'unsupported_media_type', 'not_xlsx'],
      ['old .xls', ole, 415, 'unsupported_media_type', 'xls_not_supported'],
      ['broken zip', brokenZip, 415, 'unsupported_media_type', 'corrupt_xlsx'],
      ['truncated xlsx', truncated, 415, 'unsupported_media_type', 'corrupt_xlsx'],
      ['no header row', await sheet([row({ 单位名称: '某站', 单位类型: '社工点' })], null), 400, 'validation_failed', 'missing_header'],
      ['empty sheet', await sheet([], null), 400, 'validation_failed', 'missing_header'],
      ['header only', await sheet([]), 400, 'validation_failed', 'no_rows'],
      ['missing columns', await sheet([['某站', '地址']], ['单位名称', '地址']), 400, 'validation_failed', 'missing_column'],
      ['too many rows', manyRows, 413, 'too_large', 'too_many_rows'],
    ];
    for (const [what, file, status, code, detail] of cases) {
      const res = await upload(c, file, { commit: true });
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      const err = errorOf(res);
      expect(err.code, what).toBe(code);
      expect(
        err.details.map((d) => d.code),
        what,
      ).toContain(detail);
    }
    const missing = errorOf(await upload(c, await sheet([['某站']], ['单位名称'])));
    expect(missing.details.map((d) => d.path)).toEqual(['单位类型', '行政区划代码', '上级单位', '状态']);

    const json = await c.request({ method: 'POST', url: '/api/units/import', payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(errorOf(json).code).toBe('unsupported_media_type');
    const wrongField = await upload(c, xlsx, { field: 'upload' });
    expect(wrongField.statusCode).toBe(400);
    expect(errorOf(wrongField).details[0]).toMatchObject({ path: 'file', code: 'required' });
    const badKey = await upload(c, xlsx, { commit: true, key: 'x'.repeat(201) });
    expect(badKey.statusCode).toBe(400);
  });

  it('finds the header under a title line and accepts English headers and values', async () => {
    const c = await signIn(ctx.app, 'yz_centre');
    const s = await takeStreet(c);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('units');
    ws.addRow(['渝中区服务网络单位登记表']);
    ws.addRow(['name', 'kind', 'regionCode', 'parent', 'status*', '']);
    ws.addRow([]);
    ws.addRow([`${s.name}站（英文表头）`, 'station', s.code, CENTRE, 'Planned']);
    const res = await upload(c, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.json()).toEqual({ committed: false, rows: 1, valid: 1, errors: [], created: 0 });
  });

  it('keeps imports within the scope of the user', async () => {
    for (const username of ['jfb_head', 'jfb_sw']) {
      const c = await signIn(ctx.app, username);
      // Station roles hold no network.import at all.
      expect((await c.get('/api/units/import/template')).statusCode).toBe(403);
      const res = await upload(c, await sheet([row({ 单位名称: '越界的室' })]));
      expect(res.statusCode).toBe(403);
      expect(errorOf(res).code).toBe('forbidden');
    }
    // A user of 解放碑 who may import still cannot place units under 七星岗.
    const jfb = await unitByName(ctx.db, '解放碑街道社会工作服务站');
    const qxg = await unitByName(ctx.db, '七星岗街道社会工作服务站');
    await makeUser(ctx.db, { username: 'jfb_importer', password: TEST_PASSWORD, role: 'centre_staff', unit: jfb });
    const c = await signIn(ctx.app, 'jfb_importer');
    const jfbVillages = (await c.get('/api/regions?parentCode=500103003&limit=100')).json().items.map((r: { code: string }) => r.code);
    const free = jfbVillages[jfbVillages.length - 1];
    const file = await sheet([
      row({
        单位名称: '七星岗越界工作室',
        单位类型: '社会工作室',
        行政区划代码: '500103001001',
        上级单位: '七星岗街道社会工作服务站',
        状态: '筹建中',
      }),
      row({ 单位名称: '七星岗越界工作室二', 单位类型: '社会工作室', 行政区划代码: '500103001001', 上级单位: qxg?.id, 状态: '筹建中' }),
      row({ 单位名称: '解放碑新工作室', 单位类型: '社会工作室', 行政区划代码: free, 上级单位: '解放碑街道社会工作服务站', 状态: '筹建中' }),
    ]);
    const report = (await upload(c, file, { commit: true })).json();
    expect(report).toMatchObject({ committed: false, rows: 3, valid: 1, created: 0 });
    expect(report.errors).toEqual([
      expect.objectContaining({ row: 2, column: '上级单位', code: 'unknown_parent' }),
      expect.objectContaining({ row: 3, column: '上级单位', code: 'unknown_parent' }),
    ]);
    // The message does not reveal that the unit exists elsewhere.
    expect(report.errors[0].message).not.toContain(qxg?.id);
  });

  it('writes a committed file once per Idempotency-Key', async () => {
    const c = await signIn(ctx.app, 'yz_centre');
    const s = await takeStreet(c);
    const name = `${s.name}站（幂等）`;
    const file = await sheet([row({ 单位名称: name, 单位类型: '社会工作服务站', 行政区划代码: s.code, 上级单位: CENTRE, 状态: '筹建中' })]);
    const key = `import-${randomBytes(6).toString('hex')}`;
    // A dry run with the key neither writes nor uses the key up.
    expect((await upload(c, file, { key })).json()).toMatchObject({ committed: false, created: 0, errors: [] });
    const first = await upload(c, file, { commit: true, key });
    expect(first.json()).toMatchObject({ committed: true, created: 1 });
    const again = await upload(c, file, { commit: true, key });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await unitsNamed(c, name)).toHaveLength(1);
    // Without the key the same file is refused row by row: the unit already exists.
    const noKey = (await upload(c, file, { commit: true })).json();
    expect(noKey).toMatchObject({ committed: false, created: 0 });
    expect(noKey.errors[0]).toMatchObject({ row: 2, column: '单位名称', code: 'already_exists' });
    // The same key with another file is a conflict.
    const other = await sheet([
      row({ 单位名称: `${name}二`, 单位类型: '社会工作服务站', 行政区划代码: s.code, 上级单位: CENTRE, 状态: '筹建中' }),
    ]);
    const reused = await upload(c, other, { commit: true, key });
    expect(reused.statusCode).toBe(409);
    expect(errorOf(reused).details[0]).toMatchObject({ path: 'Idempotency-Key', code: 'key_reused' });
    expect(await unitsNamed(c, `${name}二`)).toHaveLength(0);
    const audit = (await (await signIn(ctx.app, 'admin')).get('/api/audit?action=unit.import&limit=200')).json();
    expect(audit.items.filter((a: { after: { idempotencyKey: string } }) => a.after.idempotencyKey === key)).toHaveLength(1);
  });

  it('creates a parent and its children from one sheet while concurrent retries race', async () => {
    const c = await signIn(ctx.app, 'yz_centre');
    const s = await takeStreet(c);
    const station = `${s.name}站（并发）`;
    const file = await sheet([
      row({ 单位名称: station, 单位类型: '社会工作服务站', 行政区划代码: s.code, 上级单位: CENTRE, 状态: '运营中' }),
      ...s.villages
        .slice(0, 3)
        .map((v, i) =>
          row({ 单位名称: `${s.name}社区${i}社工点`, 单位类型: '社工点', 行政区划代码: v, 上级单位: station, 状态: '运营中' }),
        ),
    ]);
    const key = `race-${randomBytes(6).toString('hex')}`;
    const answers = await Promise.all([upload(c, file, { commit: true, key }), upload(c, file, { commit: true, key })]);
    for (const a of answers) expect(a.json(), a.body).toMatchObject({ committed: true, created: 4 });
    const [st] = await unitsNamed(c, station);
    const children = (await c.get(`/api/units?parentId=${st.id}`)).json();
    expect(children.total).toBe(3);
  });
});

describe('xlsx writing', () => {
  it('neutralises text that a spreadsheet would run as a formula', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['=1+1', '+86 23', '-x', '@SUM(A1)', 'ok', -5, { richText: [{ text: '=cmd|' }] }]);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load((await writeXlsx(wb)) as unknown as ArrayBuffer);
    const values = (back.worksheets[0].getRow(1).values as unknown[]).slice(1);
    expect(values.slice(0, 6)).toEqual(["'=1+1", "'+86 23", "'-x", "'@SUM(A1)", 'ok', -5]);
    expect(JSON.stringify(values[6])).toContain("'=cmd|");
  });
});

describe('coverage export', () => {
  it('holds the same numbers as GET /api/coverage', async () => {
    for (const [username, query] of [
      ['admin', '?regionCode=500103'],
      ['yz_centre', ''],
      ['qxg_head', ''],
    ]) {
      const c = await signIn(ctx.app, username);
      const cov = (await c.get(`/api/coverage${query}`)).json();
      const res = await c.get(`/api/coverage/export${query}`);
      expect(res.headers['content-disposition']).toContain('attachment');
      const wb = await readXlsx(res);
      const ws = wb.worksheets[0];
      const rows = ws
        .getSheetValues()
        .filter(Array.isArray)
        .map((r) => (r as unknown[]).slice(1));
      expect(rows[0]).toEqual([...COVERAGE_HEADERS]);
      const expected = [cov, ...cov.children].map((x) => [
        x.region.code,
        x.region.name,
        x.streets.total,
        x.streets.covered,
        x.streets.rate,
        x.villages.total,
        x.villages.covered,
        x.villages.rate,
      ]);
      expect(rows.slice(1)).toEqual(expected);
      expect(ws.getCell('E2').numFmt).toContain('%');
      expect(ws.getCell('H3').numFmt ?? ws.getCell('H2').numFmt).toContain('%');
    }
    const outside = await (await signIn(ctx.app, 'jfb_head')).get('/api/coverage/export?regionCode=500103001');
    expect(outside.statusCode).toBe(404);
    expect(errorOf(outside).code).toBe('region_not_found');
    const vol = await (await signIn(ctx.app, 'qxg_vol')).get('/api/coverage/export');
    expect(vol.statusCode).toBe(403);
  });
});
