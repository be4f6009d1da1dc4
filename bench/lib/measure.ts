import { loadavg } from 'node:os';

/**
 * Measuring on a shared, noisy machine. CPU figures come from `process.cpuUsage()` (CPU time of
 * this process, so other processes on the machine inflate them far less than wall-clock time),
 * after a warm-up, as the median of several rounds. Per-call distributions (p50/p99) come from
 * a separate pass, so the cost of timing each call does not leak into the means.
 */

export interface BenchContext {
  /** `--quick`: small counts, for a smoke run of the suite; the figures are then indicative only. */
  readonly quick: boolean;
  /** A progress line on stderr, prefixed with the benchmark's name. */
  log(message: string): void;
  /** Registers a cleanup (server, DynamoDB Local, temp dir): run at the end, on a crash and on SIGINT/SIGTERM. */
  defer(cleanup: () => void | Promise<void>): void;
  /** `full` in a normal run, `quick` with `--quick`. */
  scale(full: number, quick: number): number;
}

/** CPU time of this process so far (user + system), in microseconds. */
export function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** The 1, 5 and 15 minute load averages, rounded. */
export function loadAverage(): [number, number, number] {
  const [a = 0, b = 0, c = 0] = loadavg();
  return [Math.round(a * 100) / 100, Math.round(b * 100) / 100, Math.round(c * 100) / 100];
}

export const formatLoad = (load: readonly number[]) => load.map((l) => l.toFixed(2)).join(' / ');

export interface LoopTiming {
  /** Total CPU time of the process over the loop, µs. */
  readonly cpuUs: number;
  /** Wall-clock time of the loop, ms. */
  readonly wallMs: number;
  readonly count: number;
}

/**
 * Runs `call(i)` for `i` in `[0, count)`, one after the other, and measures the whole loop:
 * CPU time (process.cpuUsage) and wall time. Nothing is timed per call.
 */
export async function timeLoop(count: number, call: (i: number) => unknown): Promise<LoopTiming> {
  const wall0 = performance.now();
  const cpu0 = cpuMicros();
  for (let i = 0; i < count; i++) {
    const out = call(i);
    if (out instanceof Promise) await out;
  }
  const cpuUs = cpuMicros() - cpu0;
  return { cpuUs, wallMs: performance.now() - wall0, count };
}

export interface CallSamples {
  /** CPU time of each call, µs (process.cpuUsage before and after). */
  readonly cpuUs: number[];
  /** Wall time of each call, ms (includes being preempted by other processes). */
  readonly wallMs: number[];
}

/** Runs `call(i)` `count` times and times each call (CPU and wall). */
export async function sampleCalls(count: number, call: (i: number) => unknown): Promise<CallSamples> {
  const cpuUs: number[] = new Array(count);
  const wallMs: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const out = call(i);
    if (out instanceof Promise) await out;
    const w1 = performance.now();
    const c = process.cpuUsage(c0);
    cpuUs[i] = c.user + c.system;
    wallMs[i] = w1 - w0;
  }
  return { cpuUs, wallMs };
}

/** Lets pending I/O callbacks and timers run between rounds. */
export const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

/**
 * Swallows what the process writes to stdout (the Powertools logger's JSON lines) and counts
 * it: formatting a log line is CPU the handler pays and stays measured; the write to the
 * terminal is I/O and is left out. Returns a function that restores stdout and reports.
 */
export function muteStdout(): () => { lines: number; bytes: number } {
  const original = process.stdout.write;
  let lines = 0;
  let bytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    lines += 1;
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  return () => {
    process.stdout.write = original;
    return { lines, bytes };
  };
}
