import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests of the citizen site and the organiser console (test/e2e) against the whole local system: `npm start`
 * builds the site and serves it with the API and DynamoDB Local, on a free port, with a fresh
 * data directory and cheap proofs of work. Debian's Chromium; Playwright never downloads a browser.
 */
const port = Number(process.env.OCS_E2E_PORT ?? 8181);
// Set once in the runner process; workers inherit it, so every process agrees on the directory.
process.env.OCS_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'ocs-e2e-'));
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-output/playwright',
  // One local system with one DynamoDB Local on a 2-core machine: run the files one after another.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    locale: 'en-GB',
    launchOptions: {
      executablePath: process.env.OCS_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  // Two projects on one worker run one after the other, in this order: the console's suites go
  // live (irreversible) on the shared system, so they come after every citizen suite.
  projects: [
    { name: 'site', testIgnore: /console[^/]*\.spec\.ts$/ },
    { name: 'console', testMatch: /console[^/]*\.spec\.ts$/ },
  ],
  webServer: {
    command: 'npm start',
    url: `${baseURL}/api/initiative`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    env: {
      PORT: String(port),
      OCS_DATA_DIR: process.env.OCS_E2E_DATA_DIR,
      OCS_CHALLENGE_COST: 'low',
    },
  },
});
