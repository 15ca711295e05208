import { afterEach } from 'vitest';

// With one retry, a journey that failed once and then passed shows only "(retry x1)" in the report: print why the
// failed attempt failed, so that a flake can be diagnosed from the CI log.
afterEach(({ task }) => {
  if (task.result?.state !== 'fail') return;
  for (const e of task.result.errors ?? [])
    console.error(`[failed attempt ${(task.result.retryCount ?? 0) + 1}] ${task.name}\n${e.stack ?? e.message}`);
});
