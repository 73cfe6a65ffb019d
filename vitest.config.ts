import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    // One worker per core; tsc runs beside vitest (scripts/test.mjs) and fills the time tests wait on child processes.
    maxWorkers: 2,
    // Test files share their workers' loaded modules (cdk8s, ajv, yaml, the sources) instead of loading
    // them again for every file: most of a run's time was that loading. No test relies on fresh module
    // state; the caches modules keep are keyed by content.
    isolate: false,
    // A hang guard, never a speed check (speed is `npm run bench`'s): ten times the slowest test on a
    // busy two-core machine, so the suite passes while other work shares the cores.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // One temporary folder per run, removed at its end (test/helpers/temp-root.ts).
    globalSetup: ['test/helpers/temp-root.ts'],
  },
});
