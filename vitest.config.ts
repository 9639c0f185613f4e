import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Spawned sf-relay processes run dist/: build it first when a source changed.
    globalSetup: ['test/support/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests bind real loopback ports and spawn real processes; two cores only.
    pool: 'forks',
    maxWorkers: 2,
  },
});
