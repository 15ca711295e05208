/**
 * clients-import: a 100,000-row client sheet (xlsx, valid GB 11643 ID numbers) imported into the ledger on
 * PostgreSQL by `importClients` (commit, mode=all: read, validate, resolve, encrypt, bulk insert, categories,
 * cadence, one audit entry per client), against a PostgreSQL COPY of the same rows (as CSV, via psql \copy)
 * into a scratch table of text columns in the same run. Also: a second import of the same file (all rows
 * unchanged) and the peak RSS of the process.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { idCheckChar } from '@wushe/domain';
import ExcelJS from 'exceljs';
import { importClients } from '../apps/server/src/modules/clients/clients.import.js';
import { CLIENT_SHEET_COLUMNS } from '../apps/server/src/modules/clients/clients.sheet.js';
import { loadRegions } from '../apps/server/src/modules/regions/regions.service.js';
import type { Actor } from '../apps/server/src/platform/actor.js';
import { createFieldCrypto } from '../apps/server/src/platform/crypto.js';
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

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
sampler.unref();

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

async function main() {
  const { database, url, drop } = await benchDatabase(4);
  try {
    const db = database.db;
    note('regions of 渝中区 and the demo seed');
    await loadRegions(db, ['500103']);
    await seedDemo(db, 'Bench#Passw0rd');
    const user = await queryOne<{ id: string; unit_id: string; path: string }>(
      db,
      sql`select u.id, u.unit_id, un.path::text as path from users u join units un on un.id = u.unit_id where u.username = 'qxg_head'`,
    );
    if (!user) throw new Error('no qxg_head');
    const actor: Actor = {
      userId: user.id,
      username: 'qxg_head',
      displayName: '七星岗社工站 站长',
      role: 'station_head',
      unitId: user.unit_id,
      scopePath: user.path,
    };
    const crypto = createFieldCrypto(randomBytes(32));

    note(`generating ${ROWS} rows as xlsx`);
    const file = await generateXlsx(ROWS);
    note(`xlsx: ${fmt(file.length / 1024 / 1024)} MB`);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    peakRss = rssBefore;

    note('import (commit, mode=all)');
    const t0 = performance.now();
    const { report: r } = await importClients({ db, actor, crypto, file, commit: true, mode: 'all', fileName: 'bench.xlsx' });
    const seconds = (performance.now() - t0) / 1000;
    const importPeak = peakRss;
    if (!r.committed || r.summary.new !== ROWS) {
      throw new Error(`import did not create every row: ${JSON.stringify({ ...r, errors: r.errors.slice(0, 5) })}`);
    }
    const counted = await queryOne<{ n: number; a: number }>(
      db,
      sql`select (select count(*)::int from clients) as n, (select count(*)::int from audit_log where action = 'client.created') as a`,
    );
    if (counted?.n !== ROWS || counted?.a !== ROWS)
      throw new Error(`expected ${ROWS} clients and audit entries: ${JSON.stringify(counted)}`);

    note('second import of the same file (all unchanged)');
    const t1 = performance.now();
    const { report: again } = await importClients({ db, actor, crypto, file, commit: true, mode: 'all' });
    const secondSeconds = (performance.now() - t1) / 1000;
    if (again.summary.unchanged !== ROWS) throw new Error(`second import: ${JSON.stringify(again.summary)}`);

    note('COPY baseline');
    await db.execute(
      sql.raw(
        `create unlogged table copy_scratch (${CLIENT_SHEET_COLUMNS.map((c) => `${c.field.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)} text`).join(', ')})`,
      ),
    );
    const copySeconds = await copyBaseline(url, ROWS);
    const copied = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from copy_scratch`);
    if (copied?.n !== ROWS) throw new Error(`COPY loaded ${copied?.n} rows`);

    const mb = (b: number) => b / 1024 / 1024;
    report(`clients-import: ${fmt(ROWS / seconds)} rows/s`);
    report(
      `clients-import total: ${fmt(seconds)} s (${fmt(seconds / copySeconds)} x vs COPY ${fmt(copySeconds)} s, ${fmt(ROWS / copySeconds)} rows/s)`,
      {
        text: `< ${TARGET_SECONDS} s`,
        met: seconds < TARGET_SECONDS,
      },
    );
    report(
      `clients-import peak RSS: ${fmt(mb(importPeak))} MB (before the import ${fmt(mb(rssBefore))} MB; process maxRSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB)`,
      {
        text: `< ${TARGET_RSS_MB} MB`,
        met: mb(importPeak) < TARGET_RSS_MB,
      },
    );
    report(`clients-import second run (all unchanged): ${fmt(secondSeconds)} s (${fmt(ROWS / secondSeconds)} rows/s)`);
    report(`clients-import file: ${fmt(mb(file.length))} MB xlsx, ${ROWS} rows`);
  } finally {
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
