#!/usr/bin/env node
// Browser tests: build the console if needed, start a fresh server, run the e2e suite, stop the server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const password = process.env.WUSHE_ADMIN_PASSWORD ?? 'Wushe#2026demo';

if (!existsSync(chromium)) {
  console.error(`e2e: Chromium not found at ${chromium}. Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
  process.exit(2);
}

/** Newest modification time under the given files/folders. */
function newest(paths) {
  let latest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== 'node_modules' && entry !== 'dist') walk(path.join(p, entry));
    } else latest = Math.max(latest, st.mtimeMs);
  };
  for (const p of paths) walk(p);
  return latest;
}

const web = path.join(root, 'apps/web');
const distIndex = path.join(web, 'dist/index.html');
const sources = newest([
  path.join(web, 'src'),
  path.join(web, 'index.html'),
  path.join(web, 'vite.config.ts'),
  path.join(web, 'package.json'),
  path.join(root, 'packages/domain/src'),
]);
if (!existsSync(distIndex) || statSync(distIndex).mtimeMs < sources) {
  console.log('e2e: building the console (npm run build -w apps/web)…');
  const build = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('e2e: console build failed');
    process.exit(build.status ?? 1);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wushe-e2e-'));
const baseUrl = `http://127.0.0.1:${port}`;
const serverEnv = { ...process.env, WUSHE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', WUSHE_ADMIN_PASSWORD: password };
delete serverEnv.DATABASE_URL;
if (process.env.E2E_DATABASE_URL) serverEnv.DATABASE_URL = process.env.E2E_DATABASE_URL;

console.log(`e2e: starting the server on ${baseUrl} (data in ${dataDir})…`);
const server = spawn('npx', ['tsx', 'apps/server/src/main.ts'], {
  cwd: root,
  env: serverEnv,
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let serverLog = '';
const keep = (chunk) => {
  serverLog = (serverLog + chunk.toString()).slice(-20_000);
  if (process.env.E2E_SERVER_LOG === '1') process.stderr.write(chunk);
};
server.stdout.on('data', keep);
server.stderr.on('data', keep);
let serverExited = false;
server.on('exit', () => {
  serverExited = true;
});

function stopServer() {
  if (serverExited) return;
  try {
    process.kill(-server.pid, 'SIGTERM'); // the whole group: npx → tsx → node
  } catch {
    // already gone
  }
}
process.on('SIGINT', () => {
  stopServer();
  process.exit(130);
});

async function waitForHealth(timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (serverExited) return false;
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

let code = 1;
try {
  if (!(await waitForHealth())) {
    console.error('e2e: the server did not become healthy. Last output:\n' + serverLog);
    code = 1;
  } else {
    console.log('e2e: server healthy, running the browser tests…');
    const extra = process.argv.slice(2);
    const vitest = spawnSync('npx', ['vitest', 'run', '--config', 'e2e/vitest.config.ts', ...extra], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, BASE_URL: baseUrl, E2E_BASE_URL: baseUrl, WUSHE_ADMIN_PASSWORD: password, CHROMIUM_PATH: chromium },
    });
    code = vitest.status ?? 1;
    if (code !== 0 && process.env.E2E_SERVER_LOG !== '1')
      console.error('e2e: tests failed; last server output:\n' + serverLog.slice(-4000));
  }
} finally {
  stopServer();
  await new Promise((r) => setTimeout(r, 300));
  if (!process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
