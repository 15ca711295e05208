/**
 * clients-import: a 100,000-row client sheet (xlsx, valid GB 11643 ID numbers) uploaded to the real server —
 * `apps/server/src/main.ts` in its own process on PostgreSQL — as `POST /api/clients/import?commit=true`
 * (multipart; read, validate, resolve, encrypt, bulk insert, categories, cadence, one audit entry per client),
 * against a PostgreSQL COPY of the same rows (as CSV, via psql \copy) into a scratch table of text columns in
 * the same run. Memory is the server's: its RSS sampled from /proc/<pid>/status and its peak (VmHWM, reset
 * before the upload). The file is generated here, in the bench process. Also: a second upload of the same
 * file (all rows unchanged).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { idCheckChar } from '@wushe/domain';
import ExcelJS from 'exceljs';
import { CLIENT_SHEET_COLUMNS } from '../apps/server/src/modules/clients/clients.sheet.js';
import { loadRegions } from '../apps/server/src/modules/regions/regions.service.js';
import { queryOne, sql } from '../apps/server/src/platform/db.js';
import { QIXINGGANG_COMMUNITIES, seedDemo } from '../apps/server/src/seed/demo.js';
import { benchDatabase, fmt, note, report } from './lib/common.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 500;
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '秀英桂兰玉梅淑珍华明国强建军志平德福永春红霞丽娟文杰海燕金凤贵荣宝山长林大勇小龙立新学勤家和振华玉华';
const CATEGORIES = ['低保', '特困', '独居老人', '留守老人', '低收入', '困境儿童', '重度残疾人'];
const RISKS = ['一般', '一般', '一般', '重点', '高风险'];

const ROOT = path.resolve(import.meta.dirname, '..');
const PASSWORD = 'Bench#Passw0rd';
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MB = 1024 * 1024;

/** Row i of the generated ledger, in template column order (all text). */
function makeRow(i: number): string[] {
  const day = new Date(Date.UTC(1930, 0, 1) + (i % 28_000) * 86_400_000);
  const birth = day.toISOString().slice(0, 10);
  const seq = String(Math.floor(i / 28_000) * 2 + 1 + (i % 2)).padStart(3, '0');
  const first17 = `500103${birth.replace(/-/g, '')}${seq}`;
  const id = first17 + idCheckChar(first17);
  const name = SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + (i % 3 ? GIVEN[(i * 13) % GIVEN.length] : '');
  const [code, community] = QIXINGGANG_COMMUNITIES[i % QIXINGGANG_COMMUNITIES.length];
  const cat =
    i % 4 === 0 ? `${CATEGORIES[i % CATEGORIES.length]}、${CATEGORIES[(i + 3) % CATEGORIES.length]}` : CATEGORIES[i % CATEGORIES.length];
  return [
    name,
    id,
    Number(seq[2]) % 2 === 1 ? '男' : '女',
    birth,
    '汉族',
    `13${String(100_000_000 + i).slice(-9)}`,
    `${community}${(i % 300) + 1}号${(i % 6) + 1}单元`,
    i % 5 === 0 ? code : `${community}社区`,
    '',
    cat,
    '2024-01-01',
    RISKS[i % RISKS.length],
    i % 10 === 0 ? '行动不便' : '',
  ];
}

async function generateXlsx(rows: number): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('服务对象');
  ws.addRow(CLIENT_SHEET_COLUMNS.map((c) => c.header)).commit();
  for (let i = 0; i < rows; i++) ws.addRow(makeRow(i)).commit();
  ws.commit();
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** COPY … FROM STDIN of the same rows, through psql (\copy), timed from the first byte to the exit. */
function copyBaseline(url: string, rows: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', '\\copy copy_scratch from stdin with (format csv)'], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`psql exited ${code}`))));
    let i = 0;
    const write = () => {
      while (i < rows) {
        const line = `${makeRow(i).map(csvField).join(',')}\n`;
        i++;
        if (!child.stdin.write(line)) {
          child.stdin.once('drain', write);
          return;
        }
      }
      child.stdin.end();
    };
    write();
  });
}

/** VmRSS and VmHWM (peak RSS since start or since the last reset) of a process, in bytes, from /proc. */
function procMemory(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kB('VmRSS'), hwm: kB('VmHWM') };
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0, own processes): the next peak is the import's, not start-up's. */
function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples a process's VmRSS every `ms` until stopped: the highest sample and a coarse timeline. */
function rssSampler(pid: number, ms = 50) {
  let max = 0;
  const started = performance.now();
  const timeline: [number, number][] = [];
  const timer = setInterval(() => {
    try {
      const { rss } = procMemory(pid);
      max = Math.max(max, rss);
      const t = (performance.now() - started) / 1000;
      if (timeline.length === 0 || t - timeline[timeline.length - 1][0] >= 2) timeline.push([t, rss]);
    } catch {
      // the process is gone
    }
  }, ms);
  return {
    stop() {
      clearInterval(timer);
      return { max, timeline: timeline.map(([t, rss]) => `${t.toFixed(0)}s:${(rss / MB).toFixed(0)}`).join(' ') };
    },
  };
}

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The server as `npm start` runs it (node with the tsx loader, `main.ts`), on the bench database, PORT=0:
 * its URL is read from what it prints, like apps/server/test/process.ts does. `node --import tsx` rather than
 * the tsx CLI so that the child's pid is the server's own (the CLI is a wrapper process around it).
 * BENCH_SERVER_NODE_OPTIONS passes extra node flags (e.g. --trace-gc) for diagnosis.
 */
async function startServer(databaseUrl: string, dataDir: string): Promise<Server> {
  const extra = (process.env.BENCH_SERVER_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...extra, '--import', 'tsx', path.join(ROOT, 'apps/server/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      WUSHE_DATA_DIR: dataDir,
      WUSHE_DATA_KEY: randomBytes(32).toString('hex'),
      WUSHE_LOGIN_RATE_LIMIT: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const log = process.env.BENCH_SERVER_LOG ? fs.createWriteStream(process.env.BENCH_SERVER_LOG) : undefined;
  const collect = (d: Buffer) => {
    log?.write(d);
    if (out.length < 64 * 1024) out += d;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => {
        log?.end();
        resolve();
      });
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${out}`);
    const url = /: (http:\/\/127\.0\.0\.1:\d+)\s/.exec(out)?.[1];
    if (url && out.includes('API docs')) {
      const ok = await fetch(`${url}/api/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return { url, pid: child.pid as number, stop };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${out}`);
}

async function signIn(url: string, username: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

interface ImportReport {
  committed: boolean;
  rows: number;
  summary: { new: number; updated: number; unchanged: number; rejected: number };
  errors: unknown[];
}

/** One upload as the console sends it: multipart, field `file`. Times the request and the server's RSS during it. */
async function upload(server: Server, headers: Record<string, string>, file: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)], { type: XLSX_MIME }), 'bench.xlsx');
  const peakReset = resetPeak(server.pid);
  const sampler = rssSampler(server.pid);
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/clients/import?commit=true&mode=all`, { method: 'POST', headers, body: form });
  const body = await res.text();
  const seconds = (performance.now() - t0) / 1000;
  const { max, timeline } = sampler.stop();
  const { rss, hwm } = procMemory(server.pid);
  if (res.status !== 200) throw new Error(`import answered ${res.status}: ${body.slice(0, 1000)}`);
  const r = JSON.parse(body) as ImportReport;
  return { report: r, seconds, sampledPeak: max, hwm: peakReset ? hwm : Number.NaN, rssAfter: rss, timeline };
}

async function main() {
  const { database, url, drop } = await benchDatabase(2);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wushe-bench-import-'));
  let server: Server | undefined;
  try {
    const db = database.db;
    note('regions of 渝中区 and the demo seed');
    await loadRegions(db, ['500103']);
    await seedDemo(db, PASSWORD);

    note(`generating ${ROWS} rows as xlsx (in the bench process)`);
    const file = await generateXlsx(ROWS);
    note(`xlsx: ${fmt(file.length / MB)} MB`);

    note('starting the server (main.ts, own process, PostgreSQL)');
    server = await startServer(url, dataDir);
    const headers = await signIn(server.url, 'qxg_head');
    await new Promise((r) => setTimeout(r, 2000));
    const idle = procMemory(server.pid);
    note(`server pid ${server.pid}: idle RSS ${fmt(idle.rss / MB)} MB (start-up peak ${fmt(idle.hwm / MB)} MB)`);

    note('upload 1: POST /api/clients/import?commit=true (mode=all)');
    const first = await upload(server, headers, file);
    note(`RSS every 2 s (s:MB): ${first.timeline}`);
    const r = first.report;
    if (!r.committed || r.summary.new !== ROWS) {
      throw new Error(`import did not create every row: ${JSON.stringify({ ...r, errors: r.errors.slice(0, 5) })}`);
    }
    const counted = await queryOne<{ n: number; a: number }>(
      db,
      sql`select (select count(*)::int from clients) as n, (select count(*)::int from audit_log where action = 'client.created') as a`,
    );
    if (counted?.n !== ROWS || counted?.a !== ROWS)
      throw new Error(`expected ${ROWS} clients and audit entries: ${JSON.stringify(counted)}`);

    note('upload 2: the same file again (all unchanged)');
    const second = await upload(server, headers, file);
    note(`RSS every 2 s (s:MB): ${second.timeline}`);
    if (second.report.summary.unchanged !== ROWS) throw new Error(`second import: ${JSON.stringify(second.report.summary)}`);
    await server.stop();
    server = undefined;

    note('COPY baseline');
    await db.execute(
      sql.raw(
        `create unlogged table copy_scratch (${CLIENT_SHEET_COLUMNS.map((c) => `${c.field.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)} text`).join(', ')})`,
      ),
    );
    const copySeconds = await copyBaseline(url, ROWS);
    const copied = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from copy_scratch`);
    if (copied?.n !== ROWS) throw new Error(`COPY loaded ${copied?.n} rows`);

    const mb = (b: number) => fmt(b / MB);
    const peak = Number.isNaN(first.hwm) ? first.sampledPeak : first.hwm;
    report(`clients-import: ${fmt(ROWS / first.seconds)} rows/s (HTTP upload to the server process)`);
    report(
      `clients-import total: ${fmt(first.seconds)} s (${fmt(first.seconds / copySeconds)} x vs COPY ${fmt(copySeconds)} s, ${fmt(ROWS / copySeconds)} rows/s)`,
      { text: `< ${TARGET_SECONDS} s`, met: first.seconds < TARGET_SECONDS },
    );
    report(
      `clients-import server peak RSS: ${mb(peak)} MB (VmHWM${Number.isNaN(first.hwm) ? ' unavailable: sampled' : ''}; sampled VmRSS max ${mb(first.sampledPeak)} MB; idle server ${mb(idle.rss)} MB; after the import ${mb(first.rssAfter)} MB)`,
      { text: `< ${TARGET_RSS_MB} MB`, met: peak / MB < TARGET_RSS_MB },
    );
    report(
      `clients-import second run (all unchanged): ${fmt(second.seconds)} s (${fmt(ROWS / second.seconds)} rows/s), server peak RSS ${mb(Number.isNaN(second.hwm) ? second.sampledPeak : second.hwm)} MB`,
    );
    report(`clients-import file: ${mb(file.length)} MB xlsx, ${ROWS} rows`);
  } finally {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
