import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { goLive } from '../support/admin';
import { type RunningServer, startLocalServer } from '../support/local-server';
import { localDynamo } from '../support/table';
import { personalValues, privacyVerdict, scanLog, scanTable } from './privacy-scan';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dynamoEndpoint: string;
    dataDir: string;
    logFile: string;
    /** JSON lines: every personal value the suites sent, for the privacy scan. */
    personalValuesFile: string;
    tableName: string;
  }
}

const TABLE_NAME = 'ocs-local';
let server: RunningServer | undefined;
let personalValuesFile = '';

/**
 * Starts one local system (DynamoDB Local + the HTTP server) for the whole integration tier. The
 * functions read the initiative on every request (cache lifetime 0), so a suite that changes it
 * sees the change at once, without waiting out a cache.
 *
 * The demo initiative starts in test mode; the shared system goes live at once, through the
 * organiser API, as a real initiative does before it collects: the suites that store, count and
 * export statements work on live ones. Test mode and go-live have a system of their own
 * (admin-flow.test.ts).
 */
export async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), 'ocs-integration-'));
  const dataDir = join(root, 'data');
  personalValuesFile = join(root, 'personal-values.jsonl');
  writeFileSync(personalValuesFile, '');
  server = await startLocalServer({
    dataDir,
    logFile: join(root, 'server.log'),
    env: { OCS_INITIATIVE_CACHE_SECONDS: '0' },
  });
  await goLive(server.baseUrl, dataDir);
  project.provide('baseUrl', server.baseUrl);
  project.provide('dynamoEndpoint', server.dynamoEndpoint);
  project.provide('dataDir', dataDir);
  project.provide('logFile', server.logFile);
  project.provide('personalValuesFile', personalValuesFile);
  project.provide('tableName', TABLE_NAME);
}

/**
 * After every suite, whatever their order: the privacy scan of the table (while DynamoDB Local
 * runs) and of the server's whole output (once it stopped). A finding fails the run.
 */
export async function teardown() {
  if (!server) return;
  const running = server;
  server = undefined;
  const values = personalValues(personalValuesFile);
  const db = localDynamo(running.dynamoEndpoint);
  let table: Awaited<ReturnType<typeof scanTable>>;
  try {
    table = await scanTable(db, TABLE_NAME, values);
  } finally {
    db.destroy();
    await running.stop('SIGTERM');
  }
  console.log(privacyVerdict(values, table, scanLog(running.logFile, values)));
}
