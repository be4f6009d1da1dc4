import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type RunningServer, startLocalServer } from '../support/local-server';

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

let server: RunningServer | undefined;

/** Starts one local system (DynamoDB Local + the HTTP server) for the whole integration tier. */
export async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), 'ocs-integration-'));
  const dataDir = join(root, 'data');
  const personalValuesFile = join(root, 'personal-values.jsonl');
  writeFileSync(personalValuesFile, '');
  server = await startLocalServer({ dataDir, logFile: join(root, 'server.log') });
  project.provide('baseUrl', server.baseUrl);
  project.provide('dynamoEndpoint', server.dynamoEndpoint);
  project.provide('dataDir', dataDir);
  project.provide('logFile', server.logFile);
  project.provide('personalValuesFile', personalValuesFile);
  project.provide('tableName', 'ocs-local');
}

export async function teardown() {
  await server?.stop('SIGTERM');
}
