import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..', '..');

export interface RunningServer {
  readonly baseUrl: string;
  readonly dynamoEndpoint: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly process: ChildProcess;
  /** Sends `signal` and resolves with the exit code once the process (and DynamoDB Local) ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts the local system exactly as `npm start` does after building the site (the same entry,
 * `functions/src/local/main.ts`), with its own data directory and port. Everything it prints
 * (the JSON log lines included) goes to `logFile`, for the privacy scan.
 */
export async function startLocalServer(
  options: { dataDir?: string; env?: Record<string, string>; logFile?: string } = {},
): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ocs-it-'));
  const logFile = options.logFile ?? join(dataDir, '..', `${dataDir.split('/').at(-1)}-server.log`);
  const port = await freePort();
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['functions/src/local/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      OCS_DATA_DIR: dataDir,
      PORT: String(port),
      OCS_CHALLENGE_COST: 'low',
      OCS_LOCAL_RATE_LIMIT: '100000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const ready = new Promise<string>((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      output += chunk.toString();
      const dynamo = /DynamoDB: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (dynamo?.[1] && output.includes('Stop with Ctrl-C')) resolveReady(dynamo[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`local server exited (${code}) before it was ready:\n${output}`)),
    );
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`local server not ready in 90 s:\n${output}`)), 90_000).unref(),
  );
  const dynamoEndpoint = await Promise.race([ready, timeout]);
  return {
    baseUrl: `http://localhost:${port}`,
    dynamoEndpoint,
    dataDir,
    logFile,
    process: child,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      await new Promise<void>((r) => log.end(() => r()));
      return code;
    },
  };
}

/**
 * A local system of a suite's own (for what the shared system must not see: go-live, the
 * destruction), in a fresh temporary directory `ocs-<name>-*` that also holds its log file and an
 * empty file for the personal values the suite sends (its privacy scan reads both). The server
 * keeps no initiative in memory (OCS_INITIATIVE_CACHE_SECONDS=0), so an organiser's change
 * applies at once.
 */
export async function startOwnSystem(name: string): Promise<{ server: RunningServer; valuesFile: string }> {
  const root = mkdtempSync(join(tmpdir(), `ocs-${name}-`));
  const valuesFile = join(root, 'personal-values.jsonl');
  writeFileSync(valuesFile, '');
  const server = await startLocalServer({
    dataDir: join(root, 'data'),
    logFile: join(root, 'server.log'),
    env: { OCS_INITIATIVE_CACHE_SECONDS: '0' },
  });
  return { server, valuesFile };
}
