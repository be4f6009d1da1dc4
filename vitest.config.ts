import { defineConfig } from 'vitest/config';

/**
 * Test tiers (docs/conventions.md): `unit` needs no network; `integration` runs against DynamoDB
 * Local and the real local HTTP server, started once by the global setup, whose teardown runs the
 * privacy scan after every suite. e2e runs under Playwright.
 */
export default defineConfig({
  test: {
    coverage: {
      provider: 'v8',
      include: ['shared/src/**/*.ts', 'functions/src/**/*.ts'],
      exclude: ['functions/src/local/**'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        'shared/src/**': { lines: 90, branches: 85, functions: 90, statements: 90 },
        'functions/src/**': { lines: 80, branches: 70, functions: 80, statements: 80 },
      },
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
