import { randomBytes } from 'node:crypto';
import { DEFAULT_CLIENT_CATEGORIES, idCheckChar } from '@wushe/domain';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { query, sql } from '../../platform/db.js';
import { XLSX_MIME } from '../../platform/http.js';
import { CLIENT_SHEET_COLUMNS, INSTRUCTIONS_SHEET } from '../clients/clients.sheet.js';

let ctx: TestContext;
let admin: Client;
let sw: Client;
let officeId: string;

interface Category {
  code: string;
  labelZh: string;
  labelEn: string;
  sortOrder: number;
  active: boolean;
  builtin: boolean;
  used: boolean;
  version: number;
}

let seq = 0;
/** A valid, fresh ID number of someone born in 渝中区 in 1950. */
function idNumber(): string {
  seq++;
  const first17 = `50010319500101${String(100 + seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** A category code and labels no other test uses. */
function fresh(prefix: string) {
  const tag = randomBytes(3).toString('hex');
  return { code: `${prefix}_${tag}`, labelZh: `${prefix}类别${tag}`, labelEn: `${prefix} category ${tag}` };
}

beforeAll(async () => {
  ctx = await testApp();
  admin = await signIn(ctx.app, 'admin');
  sw = await signIn(ctx.app, 'qxg_sw');
  officeId = (await sw.get(`/api/units?q=${encodeURIComponent('兴隆街')}`)).json().items[0].id;
});
afterAll(async () => ctx?.close());

const list = async (c: Client): Promise<Category[]> => {
  const res = await c.get('/api/settings/categories');
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};
const one = async (code: string) => (await list(admin)).find((c) => c.code === code) as Category;

async function add(body: Record<string, unknown>): Promise<Category> {
  const res = await admin.post('/api/settings/categories', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function register(c: Client, categories: string[], name = '类别测试') {
  return c.post('/api/clients', {
    unitId: officeId,
    name,
    idNumber: idNumber(),
    categories: categories.map((category) => ({ category, startDate: '2024-01-01' })),
  });
}

const auditActions = async (code: string) =>
  (
    await query<{ action: string }>(
      ctx.db,
      sql`select action from audit_log where entity_type = 'category' and entity_id = ${code} order by seq`,
    )
  ).map((r) => r.action);

describe('client categories of the deployment', () => {
  it('lists the ten defaults in order to every signed-in role, and nobody else', async () => {
    for (const username of ['admin', 'qxg_sw', 'qxg_vol', 'yz_auditor']) {
      const items = await list(await signIn(ctx.app, username));
      expect(items.slice(0, 3).map((c) => c.labelZh)).toEqual(['低保', '低收入', '特困']);
      expect(items.filter((c) => c.builtin)).toHaveLength(10);
      const orders = items.map((c) => c.sortOrder);
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
    }
    // The defaults documented in packages/domain are the ones migration 0014 loads.
    const builtin = (await list(admin)).filter((c) => c.builtin);
    expect(builtin.map((c) => ({ value: c.code, zh: c.labelZh, en: c.labelEn }))).toEqual(DEFAULT_CLIENT_CATEGORIES);
    const anon = await ctx.app.inject({ method: 'GET', url: '/api/settings/categories' });
    expect(anon.statusCode).toBe(401);
  });

  it('only the system administrator changes the list (403 for a station worker, nothing written)', async () => {
    const cat = fresh('perm');
    const post = await sw.post('/api/settings/categories', cat);
    expect(post.statusCode).toBe(403);
    expect(errorOf(post).code).toBe('forbidden');
    const dibao = await one('dibao');
    expect((await sw.patch('/api/settings/categories/dibao', { version: dibao.version, labelZh: '改名' })).statusCode).toBe(403);
    expect((await sw.del(`/api/settings/categories/dibao?version=${dibao.version}`)).statusCode).toBe(403);
    expect((await one('dibao')).labelZh).toBe('低保');
    expect(await one(cat.code)).toBeUndefined();
  });

  it('adds a category at the end; code and both labels must be free; the code must be well formed', async () => {
    const cat = fresh('add');
    const created = await add(cat);
    expect(created).toMatchObject({ ...cat, active: true, builtin: false, used: false, version: 1 });
    const items = await list(sw);
    expect(items.at(-1)?.code).toBe(cat.code);
    expect(await auditActions(cat.code)).toEqual(['settings.category_created']);

    const again = await admin.post('/api/settings/categories', { ...fresh('dup'), code: cat.code });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).details[0]).toMatchObject({ path: 'code', code: 'duplicate_code' });
    const sameZh = await admin.post('/api/settings/categories', { ...fresh('dup'), labelZh: '低保' });
    expect(sameZh.statusCode).toBe(409);
    expect(errorOf(sameZh).details[0]).toMatchObject({ path: 'labelZh', code: 'duplicate_label' });
    for (const code of ['Dibao', '1abc', 'a', 'with-dash', 'x'.repeat(41), '低保']) {
      const bad = await admin.post('/api/settings/categories', { ...fresh('bad'), code });
      expect(bad.statusCode, code).toBe(400);
      expect(errorOf(bad).code).toBe('validation_failed');
    }
  });

  it('renames and reorders with optimistic locking: a stale version is refused with 409', async () => {
    const cat = await add(fresh('ren'));
    const renamed = await admin.patch(`/api/settings/categories/${cat.code}`, {
      version: cat.version,
      labelZh: `${cat.labelZh}改`,
      sortOrder: 1,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ labelZh: `${cat.labelZh}改`, sortOrder: 1, version: cat.version + 1 });
    expect((await list(sw))[0].code).toBe(cat.code);
    const stale = await admin.patch(`/api/settings/categories/${cat.code}`, { version: cat.version, labelEn: 'Late' });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('stale_version');
    expect((await one(cat.code)).labelEn).toBe(cat.labelEn);
    const clash = await admin.patch(`/api/settings/categories/${cat.code}`, { version: cat.version + 1, labelZh: '特困' });
    expect(clash.statusCode).toBe(409);
    expect((await admin.patch('/api/settings/categories/no_such_code', { version: 1, labelEn: 'x' })).statusCode).toBe(404);
    await admin.patch(`/api/settings/categories/${cat.code}`, { version: cat.version + 1, sortOrder: 9999 });
    expect(await auditActions(cat.code)).toEqual(['settings.category_created', 'settings.category_updated', 'settings.category_updated']);
  });

  it('a new category is accepted on clients at once; an unknown code is refused with 400', async () => {
    const cat = await add(fresh('new'));
    const res = await register(sw, [cat.code]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().categories).toEqual([cat.code]);
    const unknown = await register(sw, ['no_such_category']);
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).details[0]).toMatchObject({ path: 'categories.0.category', code: 'unknown_category' });
    const added = await sw.post(`/api/clients/${res.json().id}/categories`, { category: 'no_such_category', startDate: '2024-02-01' });
    expect(added.statusCode).toBe(400);
    expect(errorOf(added).details[0]).toMatchObject({ path: 'category', code: 'unknown_category' });
    expect((await one(cat.code)).used).toBe(true);
  });

  it('a retired category stays on the clients that have it but is given to nobody new; reactivated, it is again', async () => {
    const cat = await add(fresh('ret'));
    const old = (await register(sw, [cat.code], '老对象')).json();
    const other = (await register(sw, ['dibao'], '新对象')).json();
    const retired = await admin.patch(`/api/settings/categories/${cat.code}`, { version: cat.version, active: false });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json().active).toBe(false);
    expect(await auditActions(cat.code)).toContain('settings.category_retired');

    const kept = (await sw.get(`/api/clients/${old.id}`)).json();
    expect(kept.categories).toEqual([cat.code]);
    const refused = await register(sw, [cat.code]);
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused).details[0]).toMatchObject({ path: 'categories.0.category', code: 'retired_category' });
    const addRefused = await sw.post(`/api/clients/${other.id}/categories`, { category: cat.code, startDate: '2024-02-01' });
    expect(addRefused.statusCode).toBe(400);
    expect(errorOf(addRefused).details[0].code).toBe('retired_category');
    // The old client's record still saves (its retired category is not re-checked).
    const edit = await sw.patch(`/api/clients/${old.id}`, { version: kept.version, address: '兴隆街 1 号' });
    expect(edit.statusCode, edit.body).toBe(200);

    const back = await admin.patch(`/api/settings/categories/${cat.code}`, { version: cat.version + 1, active: true });
    expect(back.statusCode).toBe(200);
    expect(await auditActions(cat.code)).toContain('settings.category_reactivated');
    expect((await sw.post(`/api/clients/${other.id}/categories`, { category: cat.code, startDate: '2024-02-01' })).statusCode).toBe(200);
  });

  it('deletes only a category added by mistake: defaults and used ones are refused with 409 (retire instead)', async () => {
    const dibao = await one('dibao');
    const builtin = await admin.del(`/api/settings/categories/dibao?version=${dibao.version}`);
    expect(builtin.statusCode).toBe(409);
    expect(errorOf(builtin).details[0].code).toBe('builtin_category');

    const used = await add(fresh('used'));
    const client = (await register(sw, [used.code])).json();
    // Ended, the category was still had once: the client's history keeps naming it.
    const catId = (await sw.get(`/api/clients/${client.id}`)).json().categoryHistory[0].id;
    expect((await sw.post(`/api/clients/${client.id}/categories/${catId}/end`, { endDate: '2024-01-02' })).statusCode).toBe(200);
    const inUse = await admin.del(`/api/settings/categories/${used.code}?version=${used.version}`);
    expect(inUse.statusCode).toBe(409);
    expect(errorOf(inUse).details[0].code).toBe('category_in_use');
    expect(errorOf(inUse).message).toMatch(/retire it instead/);
    expect(await one(used.code)).toBeDefined();

    const mistake = await add(fresh('oops'));
    expect((await admin.del(`/api/settings/categories/${mistake.code}?version=${mistake.version + 1}`)).statusCode).toBe(409);
    const gone = await admin.del(`/api/settings/categories/${mistake.code}?version=${mistake.version}`);
    expect(gone.statusCode, gone.body).toBe(200);
    expect(await one(mistake.code)).toBeUndefined();
    expect(await auditActions(mistake.code)).toEqual(['settings.category_created', 'settings.category_deleted']);
    expect((await admin.del(`/api/settings/categories/${mistake.code}?version=1`)).statusCode).toBe(404);
  });

  it('cadence rules accept the configured codes (retired too) and refuse others; deleting a category drops its rule', async () => {
    const cat = await add(fresh('cad'));
    const { rules } = (await admin.get('/api/settings/cadence')).json();
    const withNew = [...rules, { kind: 'category', key: cat.code, intervalDays: 7 }];
    const ok = await admin.request({ method: 'PUT', url: '/api/settings/cadence', payload: { rules: withNew } });
    expect(ok.statusCode, ok.body).toBe(200);
    const bad = await admin.request({
      method: 'PUT',
      url: '/api/settings/cadence',
      payload: { rules: [...rules, { kind: 'category', key: 'no_such_category', intervalDays: 7 }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details[0].code).toBe('unknown_category');
    expect((await admin.del(`/api/settings/categories/${cat.code}?version=${cat.version}`)).statusCode).toBe(200);
    const after = (await admin.get('/api/settings/cadence')).json().rules;
    expect(after.some((r: { key: string }) => r.key === cat.code)).toBe(false);
    expect(after).toHaveLength(rules.length);
  });
});

// ------------------------------------------------------------------------------------ import / export

const HEADERS = CLIENT_SHEET_COLUMNS.map((c) => c.header);
const row = (cells: Record<string, unknown>) => HEADERS.map((h) => cells[h] ?? null);

async function sheet(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('服务对象');
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(c: Client, file: Buffer | Uint8Array, commit: boolean) {
  const boundary = `----wushe${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.xlsx"\r\nContent-Type: ${XLSX_MIME}\r\n\r\n`),
    Buffer.from(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return c.request({
    method: 'POST',
    url: `/api/clients/import?mode=valid${commit ? '&commit=true' : ''}`,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function readXlsx(res: LightMyRequestResponse): Promise<ExcelJS.Workbook> {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

describe('import and export with the configured list', () => {
  it('imports a new category by its Chinese label or code, exports its label, and the template names it', async () => {
    const cat = await add(fresh('imp'));
    const [a, b] = [idNumber(), idNumber()];
    const file = await sheet([
      row({ 姓名: '导入甲', 身份证号码: a, 所属社区: '500103001013', 对象类别: `${cat.labelZh}、低保` }),
      row({ 姓名: '导入乙', 身份证号码: b, 所属社区: '500103001013', 对象类别: cat.code }),
      row({ 姓名: '导入丙', 身份证号码: idNumber(), 所属社区: '500103001013', 对象类别: '不存在的类别' }),
    ]);
    const res = await upload(sw, file, true);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.summary).toMatchObject({ new: 2, rejected: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ row: 4, column: '对象类别', code: 'unknown_category' })]);
    const cats = await query<{ name: string; category: string }>(
      ctx.db,
      sql`select c.name, cc.category from client_categories cc join clients c on c.id = cc.client_id
          where c.name in ('导入甲', '导入乙') order by c.name, cc.category`,
    );
    expect(cats).toEqual(
      [
        { name: '导入乙', category: cat.code },
        { name: '导入甲', category: cat.code },
        { name: '导入甲', category: 'dibao' },
      ].sort((x, y) => (x.name + x.category).localeCompare(y.name + y.category)),
    );

    const exported = await readXlsx(await sw.get(`/api/clients/export?category=${cat.code}&reveal=true`));
    const ws = exported.worksheets[0];
    const catCol = HEADERS.indexOf('对象类别') + 1;
    const values = [2, 3].map((r) => String(ws.getRow(r).getCell(catCol).value));
    // Labels in the order of the codes ('dibao' < 'imp_…').
    expect(values.sort()).toEqual([cat.labelZh, `低保、${cat.labelZh}`].sort());

    const tpl = await readXlsx(await sw.get('/api/clients/import/template'));
    const help = tpl.getWorksheet(INSTRUCTIONS_SHEET);
    const texts: string[] = [];
    help?.eachRow((r) => {
      texts.push(r.values ? JSON.stringify(r.values) : '');
    });
    const categoriesRow = texts.find((t) => t.includes('"对象类别"')) ?? '';
    expect(categoriesRow).toContain(cat.labelZh);
    expect(categoriesRow).toContain('重度残疾人');
  });

  it('a retired category is refused for new rows but an export with it imports back unchanged', async () => {
    const cat = await add(fresh('rim'));
    const id = idNumber();
    const first = await upload(
      sw,
      await sheet([row({ 姓名: '退役甲', 身份证号码: id, 所属社区: '500103001013', 对象类别: cat.labelZh })]),
      true,
    );
    expect(first.json().summary.new, first.body).toBe(1);
    expect((await admin.patch(`/api/settings/categories/${cat.code}`, { version: cat.version, active: false })).statusCode).toBe(200);

    const tpl = await readXlsx(await sw.get('/api/clients/import/template'));
    const texts: string[] = [];
    tpl.getWorksheet(INSTRUCTIONS_SHEET)?.eachRow((r) => {
      texts.push(JSON.stringify(r.values));
    });
    expect(texts.join('')).not.toContain(cat.labelZh);

    const newRow = await upload(
      sw,
      await sheet([row({ 姓名: '退役乙', 身份证号码: idNumber(), 所属社区: '500103001013', 对象类别: cat.labelZh })]),
      false,
    );
    expect(newRow.json().errors).toEqual([expect.objectContaining({ column: '对象类别', code: 'retired_category' })]);

    const exported = await readXlsx(await sw.get(`/api/clients/export?category=${cat.code}&reveal=true`));
    const buf = Buffer.from(await exported.xlsx.writeBuffer());
    const again = await upload(sw, buf, true);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().summary).toMatchObject({ new: 0, updated: 0, unchanged: 1, rejected: 0 });
  });
});
