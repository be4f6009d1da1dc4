/**
 * Makes the answer to a duplicate statement take as long as an acceptance.
 *
 * Storing a statement costs a transaction (and, rarely, a new data key); answering a duplicate
 * costs one small put. Without padding, the response time alone would tell whether the person
 * had already signed. The accepted path's recent durations are kept in memory (per execution
 * environment); a duplicate's answer is held until it has taken as long as one of them, drawn at
 * random, so the duplicate latencies follow the accepted ones' distribution (median and tail),
 * not a single value an observer could spot. Before any statement was accepted in this
 * environment, a fixed default stands in.
 */

export interface LatencyPaddingOptions {
  /** Monotonic milliseconds (performance.now by default). */
  readonly now?: () => number;
  /** Waits `ms` milliseconds (a timer by default); tests pass a fake that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1) (Math.random by default). */
  readonly random?: () => number;
  /** Accepted durations kept (the most recent ones). */
  readonly window?: number;
  /** Target, ms, before any accepted duration is known (cold start). */
  readonly defaultMs?: number;
  /** Never hold an answer longer than this, ms (an outlier must not stall duplicates). */
  readonly maxMs?: number;
}

/** Accepted durations kept by default: enough for the shape, small enough to follow load changes. */
export const PADDING_WINDOW = 64;
/**
 * Cold-start target, ms: a typical accepted statement in AWS (conditional put and consistent read
 * in parallel, then one two-item transaction, each a few ms in-region; see docs/threat-model.md).
 */
export const PADDING_DEFAULT_MS = 30;
/** Upper bound of a padded answer, ms. */
export const PADDING_MAX_MS = 1_000;

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class LatencyPadding {
  private readonly samples: number[] = [];
  private next = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly window: number;
  private readonly defaultMs: number;
  private readonly maxMs: number;

  constructor(options: LatencyPaddingOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? timer;
    this.random = options.random ?? Math.random;
    this.window = options.window ?? PADDING_WINDOW;
    this.defaultMs = options.defaultMs ?? PADDING_DEFAULT_MS;
    this.maxMs = options.maxMs ?? PADDING_MAX_MS;
  }

  /** A start mark, taken when a submission arrives. */
  start(): number {
    return this.now();
  }

  /** Records how long an accepted statement took since `startedAt`. */
  recordAccepted(startedAt: number): void {
    const elapsed = this.now() - startedAt;
    if (this.samples.length < this.window) this.samples.push(elapsed);
    else this.samples[this.next] = elapsed;
    this.next = (this.next + 1) % this.window;
  }

  /** The duration a duplicate's answer should take, ms: a recent accepted duration, or the default. */
  target(): number {
    if (this.samples.length === 0) return this.defaultMs;
    const pick = Math.min(this.samples.length - 1, Math.floor(this.random() * this.samples.length));
    return Math.min(this.samples[pick] ?? this.defaultMs, this.maxMs);
  }

  /** Waits until a duplicate started at `startedAt` has taken as long as `target()`. */
  async padDuplicate(startedAt: number): Promise<void> {
    const remaining = this.target() - (this.now() - startedAt);
    if (remaining > 0) await this.sleep(remaining);
  }
}
