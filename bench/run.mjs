// Runs every bench/*.bench.ts with tsx, one after the other (`npm run bench`; `npm run bench -- coverage`
// runs only the files whose name contains "coverage"). Exits non-zero when a benchmark crashes; a missed
// target is not a failure: the benchmark prints MISSED next to it and this summary repeats it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const benchDir = import.meta.dirname;
const root = path.resolve(benchDir, '..');
const tsx = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${filters.join(' ')}`);
  process.exit(1);
}

function run(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const lines = [];
    let partial = '';
    const child = spawn(tsx, [path.join(benchDir, file)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const text = partial + chunk.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
    child.on('error', (err) => resolve({ file, code: 1, error: err, lines, seconds: 0 }));
    child.on('close', (code, signal) => {
      if (partial) lines.push(partial);
      resolve({ file, code: code ?? (signal ? 1 : 0), signal, lines, seconds: (Date.now() - started) / 1000 });
    });
  });
}

// Figures are only comparable on an otherwise idle machine: show how busy it was.
const load = () => `load average ${os.loadavg()[0].toFixed(2)} on ${os.availableParallelism()} cores`;

const results = [];
for (const file of files) {
  console.log(`\n▶ ${file} (${load()})`);
  results.push(await run(file));
}

console.log(`\nSummary (${load()})`);
let crashed = 0;
for (const r of results) {
  const missed = r.lines.filter((l) => l.includes('MISSED'));
  const state = r.code !== 0 ? `CRASHED (exit ${r.signal ?? r.code})` : missed.length ? `${missed.length} target(s) MISSED` : 'ok';
  if (r.code !== 0) crashed++;
  console.log(`  ${r.file}: ${state} in ${r.seconds.toFixed(0)} s`);
  for (const l of missed) console.log(`    ${l}`);
}
process.exit(crashed ? 1 : 0);
