import { defineConfig } from 'vitest/config';

/**
 * Two passes: the main suite (unit + integration, in parallel), then the crash tests
 * (`MOTCUA_CRASH=1`), which kill servers under load and run alone so that timing is fair.
 */
const crash = !!process.env.MOTCUA_CRASH;

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: crash ? ['test/crash/**/*.test.ts'] : ['test/**/*.test.ts'],
    exclude: crash ? [] : ['test/crash/**', '**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: crash ? 1 : 2,
  },
});
