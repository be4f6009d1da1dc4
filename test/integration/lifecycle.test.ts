import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fetchAndSolve } from '../support/altcha';
import { getJson, postStatement, progress } from '../support/api';
import { polishCitizen } from '../support/citizens';
import { startLocalServer } from '../support/local-server';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function dynamoPid(dataDir: string): number {
  return Number(readFileSync(`${dataDir}/dynamodb/dynamodb-local.pid`, 'utf8'));
}

describe('local mode lifecycle (npm start)', () => {
  it('seeds a demo initiative open today, keeps data across restarts, and stops DynamoDB Local on SIGINT and SIGTERM', async () => {
    const first = await startLocalServer();
    const initiative = (await getJson(first.baseUrl, '/api/initiative')).body as {
      collection: { status: string };
      registrationNumber: string;
      mode: string;
    };
    expect(initiative.collection.status).toBe('open');
    // A new initiative, the demo included, starts in test mode.
    expect(initiative.mode).toBe('test');
    expect(initiative.registrationNumber).toMatch(/^ECI\(\d{4}\)\d{6}$/);
    const res = await postStatement(first.baseUrl, {
      ...polishCitizen(),
      altcha: await fetchAndSolve(first.baseUrl),
    });
    expect(res.status).toBe(201);
    const javaPid = dynamoPid(first.dataDir);
    expect(alive(javaPid)).toBe(true);

    expect(await first.stop('SIGINT')).toBe(0);
    expect(alive(javaPid)).toBe(false);

    const second = await startLocalServer({ dataDir: first.dataDir });
    expect((await progress(second.baseUrl)).total).toBe(1);
    expect(readFileSync(second.logFile, 'utf8')).toContain('demo initiative kept');
    const secondJava = dynamoPid(second.dataDir);
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(alive(secondJava)).toBe(false);
  });
});
