/**
 * `npm run bench [-- [--quick] [name ...]]`: runs each benchmark of bench/suites in its own
 * Node process (a clean heap and JIT, and a crash or a hung server takes only that benchmark
 * down), collects their figures and prints ONE table at the end, with the load average of the
 * machine; the figures also go to bench/results/latest.json. A figure that misses its target is
 * reported, never fatal: the exit code is non-zero only when a benchmark crashed (or on a usage
 * error). See docs/benchmarks.md.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Figure, verdict } from './lib/figures';
import { type BenchContext, formatLoad, loadAverage } from './lib/measure';
import { renderTable, type SuiteOutcome } from './lib/table';
import { BENCHMARKS } from './suites/index';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');
const SUITE_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MINUTES ?? 30) * 60_000;

type ChildMessage = { kind: 'figures'; figures: Figure[] } | { kind: 'error'; error: string };

/** Child mode: run one benchmark, send its figures to the parent, clean up, exit. */
async function child(name: string, quick: boolean): Promise<void> {
  const entry = BENCHMARKS[name];
  const send = (message: ChildMessage) =>
    new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
  const cleanups: (() => void | Promise<void>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (error) {
          process.stderr.write(`[${name}] cleanup failed: ${String(error)}\n`);
        }
      }
    })();
    return cleaning;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`[${name}] ${signal}: cleaning up\n`);
      void cleanup().then(() => process.exit(130));
    });
  }
  const ctx: BenchContext = {
    quick,
    log: (message) => process.stderr.write(`[${name}] ${message}\n`),
    defer: (fn) => {
      cleanups.push(fn);
    },
    scale: (full, small) => (quick ? small : full),
  };
  try {
    if (!entry) throw new Error(`unknown benchmark ${name}`);
    const figures = await (await entry.load()).run(ctx);
    await cleanup();
    await send({ kind: 'figures', figures });
    process.exit(0);
  } catch (error) {
    await cleanup();
    await send({
      kind: 'error',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  }
}

function runSuite(name: string, quick: boolean): Promise<SuiteOutcome> {
  const loadBefore = loadAverage();
  const started = performance.now();
  return new Promise((resolve) => {
    let message: ChildMessage | undefined;
    const proc: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child', name], {
      env: { ...process.env, BENCH_QUICK: quick ? '1' : '' },
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => {
      process.stderr.write(`[${name}] no result after ${SUITE_TIMEOUT_MS / 60_000} min: stopping it\n`);
      proc.kill('SIGTERM');
      setTimeout(() => proc.exitCode === null && proc.kill('SIGKILL'), 30_000).unref();
    }, SUITE_TIMEOUT_MS);
    proc.on('message', (m) => {
      message = m as ChildMessage;
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      const base = {
        name,
        seconds: (performance.now() - started) / 1000,
        loadBefore,
        loadAfter: loadAverage(),
      };
      if (message?.kind === 'figures' && code === 0) {
        resolve({ ...base, status: 'ok', figures: message.figures });
      } else {
        const error =
          message?.kind === 'error' ? message.error : `exited with ${signal ?? `code ${String(code)}`}`;
        resolve({ ...base, status: 'crashed', figures: [], error });
      }
    });
  });
}

function usage(): string {
  const names = Object.entries(BENCHMARKS)
    .map(([name, entry]) => `  ${name.padEnd(12)} ${entry.summary}`)
    .join('\n');
  return `Usage: npm run bench [-- [--quick] [name ...]]\n\nBenchmarks (all by default):\n${names}\n\n--quick  small counts: a smoke run, figures indicative only\n`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args[1] ?? '', process.env.BENCH_QUICK === '1');
    return 0;
  }
  if (args.includes('--help') || args.includes('-h') || args.includes('--list')) {
    process.stdout.write(usage());
    return 0;
  }
  const quick = args.includes('--quick');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}\n\n${usage()}`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(BENCHMARKS);
  const machine = {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  const loadStart = loadAverage();
  const startedAt = new Date();
  process.stderr.write(
    `Benchmarks: ${selected.join(', ')}${quick ? ' (quick)' : ''}\n` +
      `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}; load average ${formatLoad(loadStart)} (1/5/15 min)\n`,
  );
  if (!process.version.startsWith('v24.')) {
    process.stderr.write(`WARNING: Node ${process.version}, not 24: run through \`npm run bench\`.\n`);
  }

  const outcomes: SuiteOutcome[] = [];
  let interrupted = false;
  process.on('SIGINT', () => {
    interrupted = true;
  });
  for (const name of selected) {
    if (interrupted) break;
    process.stderr.write(`\n== ${name} ==\n`);
    outcomes.push(await runSuite(name, quick));
  }
  const loadEnd = loadAverage();

  mkdirSync(resultsDir, { recursive: true });
  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick,
    machine,
    loadAverage: { start: loadStart, end: loadEnd },
    benchmarks: Object.fromEntries(
      outcomes.map((o) => [
        o.name,
        {
          status: o.status,
          seconds: Math.round(o.seconds * 10) / 10,
          loadAverage: { start: o.loadBefore, end: o.loadAfter },
          ...(o.error ? { error: o.error } : {}),
          figures: Object.fromEntries(
            o.figures.map((f) => [f.key, { ...f, verdict: verdict(f), key: undefined }]),
          ),
        },
      ]),
    ),
  };
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(join(resultsDir, 'latest.json'), json);
  writeFileSync(join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`), json);

  const width = process.stdout.columns && process.stdout.columns > 80 ? process.stdout.columns : 200;
  const figures = outcomes.flatMap((o) => o.figures);
  const missed = figures.filter((f) => verdict(f) === 'missed').length;
  const met = figures.filter((f) => verdict(f) === 'met').length;
  const crashed = outcomes.filter((o) => o.status === 'crashed');
  process.stdout.write(
    `\n${renderTable(outcomes, width)}\n\n` +
      `Machine: ${machine.cores} cores (os.availableParallelism), ${machine.cpu}, Node ${machine.node}\n` +
      `Load average (1/5/15 min): ${formatLoad(loadStart)} at start, ${formatLoad(loadEnd)} at end\n` +
      `Targets: ${met} met, ${missed} missed (reported, not enforced); ${crashed.length} benchmark(s) crashed\n` +
      `Results: ${join('bench', 'results', 'latest.json')}\n`,
  );
  if (interrupted) return 130;
  return crashed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
