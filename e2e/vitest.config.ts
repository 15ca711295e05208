import { defineConfig } from 'vitest/config';

// Browser journeys (npm run test:e2e → e2e/run.mjs starts the server and passes BASE_URL).
export default defineConfig({
  test: {
    root: '.',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    retry: 0,
    fileParallelism: false,
    maxWorkers: 1,
    pool: 'forks',
    sequence: { concurrent: false, shuffle: false },
    reporters: ['default'],
  },
});
