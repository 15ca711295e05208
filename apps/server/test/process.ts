import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `main.ts` as `npm start` does (without the console build) on PORT=0 and reads the URL it
 * prints, so that servers started at the same time by parallel test files never race for a port.
 * Resolves once the output contains `readyText` and the server answers /api/health.
 */
export async function startServerProcess(env: Record<string, string>, readyText = 'API docs', timeoutMs = 90_000): Promise<ServerProcess> {
  // node itself with tsx as a loader, not the tsx CLI: the CLI runs the server in a second process, which a
  // SIGKILL of the CLI would leave running (the kill test must really kill the server).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/server/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: '0' },
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${out}`);
    const url = /: (http:\/\/127\.0\.0\.1:\d+)\s/.exec(out)?.[1];
    if (url && out.includes(readyText)) {
      const ok = await fetch(`${url}/api/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return { url, child, output: () => out, stop };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start within ${timeoutMs} ms: ${out}`);
}
