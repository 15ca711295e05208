import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { clientRow, clientSheet, multipartBody, yuzhongIdNumber } from '../../../test/sheets.js';
import { query, queryOne, sql } from '../../platform/db.js';
import { XLSX_MIME } from '../../platform/http.js';
import type { ImportJob } from './imports.schemas.js';
import { sweepImportJobs } from './imports.service.js';

let ctx: TestContext;
let qxg: Client;
let jfb: Client;

beforeAll(async () => {
  ctx = await testApp();
  qxg = await signIn(ctx.app, 'qxg_sw');
  jfb = await signIn(ctx.app, 'jfb_sw');
});
afterAll(async () => ctx?.close());

const failure = (res: Awaited<ReturnType<Client['get']>>) => ({ status: res.statusCode, ...errorOf(res) });
const clientCount = async () => Number((await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from clients`))?.n);

function startJob(c: Client, file: Buffer, opts: { commit?: boolean; mode?: 'all' | 'valid'; mapping?: string } = {}) {
  const m = multipartBody(file, { mapping: opts.mapping });
  const qs = new URLSearchParams({ commit: String(opts.commit ?? false), mode: opts.mode ?? 'all' });
  return c.request({
    method: 'POST',
    url: `/api/clients/import/jobs?${qs}`,
    payload: m.payload,
    headers: { 'content-type': m.contentType },
  });
}

/** Waits for the runner, then answers the job as the API shows it. */
async function finished(c: Client, id: string): Promise<ImportJob> {
  await ctx.app.importRunner.idle();
  const res = await c.get(`/api/import-jobs/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const good = (n: number, name = '后台甲') =>
  clientRow({ 姓名: `${name}${n}`, 身份证号码: yuzhongIdNumber('19500101', 100 + n), 所属社区: '兴隆街社区', 风险等级: '一般' });

describe('background client imports', () => {
  it('runs a dry run as a job, then commits the kept upload: all-or-nothing refuses, valid rows only imports', async () => {
    const file = await clientSheet([
      good(1),
      good(2),
      clientRow({ 姓名: '后台坏', 身份证号码: '500103195001011230', 所属社区: '兴隆街社区' }),
      good(3),
    ]);
    const before = await clientCount();

    const res = await startJob(qxg, file);
    expect(res.statusCode, res.body).toBe(202);
    const queued: ImportJob = res.json();
    expect(queued).toMatchObject({ kind: 'clients', commit: false, mode: 'all', fileName: 'clients.xlsx', uploadKept: true });
    expect(['queued', 'running']).toContain(queued.status);

    const dry = await finished(qxg, queued.id);
    expect(dry).toMatchObject({ status: 'succeeded', phase: 'done', processed: 4, total: 4, error: null });
    expect(dry.report).toMatchObject({ committed: false, rows: 4, summary: { new: 3, rejected: 1 }, errorCount: 1 });
    expect(dry.report?.errors[0]).toMatchObject({ row: 4, column: '身份证号码', code: 'checksum' });
    expect(await clientCount()).toBe(before);

    // Commit, all or nothing: one bad row keeps everything out.
    const all = await qxg.request({ method: 'POST', url: `/api/import-jobs/${dry.id}/rerun`, payload: { commit: true, mode: 'all' } });
    expect(all.statusCode, all.body).toBe(202);
    const allDone = await finished(qxg, all.json().id);
    expect(allDone).toMatchObject({ status: 'succeeded', commit: true, report: { committed: false, summary: { new: 3, rejected: 1 } } });
    expect(await clientCount()).toBe(before);

    // Valid rows only: three new clients.
    const valid = await qxg.request({ method: 'POST', url: `/api/import-jobs/${dry.id}/rerun`, payload: { commit: true, mode: 'valid' } });
    const validDone = await finished(qxg, valid.json().id);
    expect(validDone.report).toMatchObject({ committed: true, summary: { new: 3, rejected: 1 } });
    expect(await clientCount()).toBe(before + 3);

    // The same upload once more changes nothing.
    const again = await qxg.request({ method: 'POST', url: `/api/import-jobs/${dry.id}/rerun`, payload: { commit: true, mode: 'valid' } });
    const againDone = await finished(qxg, again.json().id);
    expect(againDone.report).toMatchObject({ committed: true, summary: { new: 0, unchanged: 3, updated: 0 } });
    expect(await clientCount()).toBe(before + 3);

    // The job list shows the newest first.
    const list = (await qxg.get('/api/import-jobs?limit=3')).json().items as ImportJob[];
    expect(list.map((j) => j.id)).toEqual([again.json().id, valid.json().id, all.json().id]);
  });

  it('offers an error sheet with the rejected rows and every error, formulas neutralised', async () => {
    const file = await clientSheet([
      good(1, '错表'),
      clientRow({ 姓名: '=HYPERLINK("http://x","点我")', 身份证号码: '123', 所属社区: '兴隆街社区' }),
      clientRow({ 姓名: '错表无社区', 身份证号码: yuzhongIdNumber('19600101', 301) }),
    ]);
    const job = await finished(qxg, (await startJob(qxg, file)).json().id);
    expect(job.report?.summary.rejected).toBe(2);
    const res = await qxg.get(`/api/import-jobs/${job.id}/errors`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX_MIME);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = wb.getWorksheet('未导入的行');
    expect(rows?.getRow(1).getCell(1).value).toBe('原行号');
    expect(rows?.rowCount).toBe(3);
    expect(rows?.getRow(2).getCell(1).value).toBe(3);
    expect(String(rows?.getRow(2).getCell(2).value)).toBe(`'=HYPERLINK("http://x","点我")`);
    const last = rows?.getRow(2);
    expect(String(last?.getCell(last.cellCount).value)).toContain('身份证号码');
    // in words the user reads: the code's Chinese meaning
    expect(String(last?.getCell(last.cellCount).value)).toContain('格式不正确');
    const list = wb.getWorksheet('错误清单');
    expect(list?.rowCount).toBe(1 + (job.report?.errorCount ?? 0));

    // A job without errors has no error sheet.
    const clean = await finished(qxg, (await startJob(qxg, await clientSheet([good(9, '错表好')]))).json().id);
    expect(failure(await qxg.get(`/api/import-jobs/${clean.id}/errors`))).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('fails a job on an unreadable file with the uniform error, and refuses an empty upload at once', async () => {
    const before = await clientCount();
    const garbage = Buffer.from('PK\u0003\u0004 this is not really a zip at all'.repeat(3));
    const job = await finished(qxg, (await startJob(qxg, garbage)).json().id);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBeTruthy();
    expect(job.error?.message.length).toBeGreaterThan(5);
    expect(job.report).toBeNull();
    expect(await clientCount()).toBe(before);
    const sheet = await qxg.get(`/api/import-jobs/${job.id}/errors`);
    expect(sheet.statusCode).toBe(200);

    const missing = await finished(qxg, (await startJob(qxg, await clientSheet([['张三', '1']], ['姓名', '备注']))).json().id);
    expect(missing).toMatchObject({ status: 'failed', error: { code: 'validation_failed' } });
    expect(missing.error?.details.filter((d) => d.code === 'missing_column').map((d) => d.path)).toEqual(['所属社区']);
    expect(missing.error?.details.filter((d) => d.code === 'sheet_header').map((d) => d.path)).toEqual(['姓名', '备注']);

    const empty = await startJob(qxg, Buffer.alloc(0));
    expect(failure(empty)).toMatchObject({ status: 400, code: 'validation_failed' });
    const badMapping = await startJob(qxg, await clientSheet([good(1)]), { mapping: '{"姓名": "nonsense"}' });
    expect(failure(badMapping)).toMatchObject({ status: 400 });
  });

  it('re-runs with another mapping, and keeps jobs to their owner', async () => {
    const file = await clientSheet([['映射甲', yuzhongIdNumber('19700101', 411), '兴隆街社区']], ['甲列', '乙列', '丙列']);
    const first = await finished(qxg, (await startJob(qxg, file)).json().id);
    expect(first).toMatchObject({ status: 'failed', error: { code: 'validation_failed' } });
    // The failed job names the header row, so that the console can offer the mapping step.
    expect(first.error?.details.filter((d) => d.code === 'sheet_header').map((d) => d.path)).toEqual(['甲列', '乙列', '丙列']);
    const mapped = await qxg.request({
      method: 'POST',
      url: `/api/import-jobs/${first.id}/rerun`,
      payload: { commit: false, mapping: { 甲列: 'name', 乙列: 'idNumber', 丙列: 'community' } },
    });
    expect(mapped.statusCode, mapped.body).toBe(202);
    const ok = await finished(qxg, mapped.json().id);
    expect(ok.report).toMatchObject({ committed: false, rows: 1, summary: { new: 1, rejected: 0 } });
    expect(ok.mapping).toEqual({ 甲列: 'name', 乙列: 'idNumber', 丙列: 'community' });

    const unknown = await qxg.request({
      method: 'POST',
      url: `/api/import-jobs/${first.id}/rerun`,
      payload: { commit: false, mapping: { 甲列: 'nonsense' } },
    });
    expect(failure(unknown)).toMatchObject({ status: 400, code: 'validation_failed' });

    // Another street's worker sees nothing of it.
    for (const url of [`/api/import-jobs/${ok.id}`, `/api/import-jobs/${ok.id}/errors`]) {
      expect(failure(await jfb.get(url))).toMatchObject({ status: 404 });
    }
    expect(failure(await jfb.request({ method: 'POST', url: `/api/import-jobs/${ok.id}/rerun`, payload: { commit: true } }))).toMatchObject(
      {
        status: 404,
      },
    );
    expect((await jfb.get('/api/import-jobs')).json().items.map((j: ImportJob) => j.id)).not.toContain(ok.id);
  });

  it('marks jobs of a dead server interrupted and clears uploads after a day', async () => {
    const job = await finished(qxg, (await startJob(qxg, await clientSheet([good(1, '中断')]))).json().id);
    // A job "running" on a server that stopped writing its heartbeat two minutes ago.
    await ctx.db.execute(
      sql`update import_jobs set status = 'running', finished_at = null, heartbeat_at = now() - interval '2 minutes' where id = ${job.id}`,
    );
    if (ctx.database.kind === 'pglite') {
      // One process: an open job is this process's own (queued behind another one, say) until the next start.
      expect((await qxg.get(`/api/import-jobs/${job.id}`)).json().status).toBe('running');
      expect(await sweepImportJobs(ctx.database, { atStart: true })).toBe(1);
    }
    const seen = (await qxg.get(`/api/import-jobs/${job.id}`)).json() as ImportJob;
    expect(seen).toMatchObject({ status: 'interrupted', error: { code: 'interrupted' } });
    expect(seen.error?.message).toContain('nothing');

    // A fresh heartbeat is left alone (another live server's job).
    await ctx.db.execute(sql`update import_jobs set status = 'running', heartbeat_at = now() where id = ${job.id}`);
    expect(await sweepImportJobs(ctx.database)).toBe(0);
    await ctx.db.execute(sql`update import_jobs set status = 'succeeded', finished_at = now() - interval '25 hours' where id = ${job.id}`);
    await sweepImportJobs(ctx.database);
    const kept = await query<{ kept: boolean }>(ctx.db, sql`select file is not null as kept from import_jobs where id = ${job.id}`);
    expect(kept[0].kept).toBe(false);
    const rerun = await qxg.request({ method: 'POST', url: `/api/import-jobs/${job.id}/rerun`, payload: { commit: true } });
    expect(failure(rerun)).toMatchObject({ status: 409, code: 'conflict' });
  });

  it('keeps the upload encrypted at rest', async () => {
    const id = yuzhongIdNumber('19800101', 515);
    const job = await finished(
      qxg,
      (
        await startJob(qxg, await clientSheet([clientRow({ 姓名: '加密甲', 身份证号码: id, 所属社区: '兴隆街社区' })]), { commit: true })
      ).json().id,
    );
    expect(job.report?.committed).toBe(true);
    const raw = await queryOne<{ file: Buffer }>(ctx.db, sql`select file from import_jobs where id = ${job.id}`);
    const bytes = Buffer.from(raw?.file as Uint8Array);
    expect(bytes.length).toBeGreaterThan(100);
    expect(bytes.subarray(0, 4).toString('latin1')).not.toBe('PK\u0003\u0004');
    expect(ctx.app.fieldCrypto.decryptBytes(bytes).subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
