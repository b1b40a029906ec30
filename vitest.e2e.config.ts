import { defineConfig } from 'vitest/config';

// Browser tests: one real server (built, demo data, fresh database) for the whole run,
// test files one after another in a single worker, generous timeouts for a slow CI box.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // A page on a busy CI box can take seconds to answer; the default 1 s poll fails it for that.
    expect: { poll: { timeout: 15_000 } },
  },
});
