import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests bind real loopback ports and spawn real processes; two cores only.
    pool: 'forks',
    maxWorkers: 2,
  },
});
