import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    // Many tests wait on child processes (synth, plan, cdk8s): one worker more than the two cores keeps them busy.
    maxWorkers: 3,
    testTimeout: 30_000,
  },
});
