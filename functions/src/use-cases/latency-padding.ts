/**
 * Makes the answer to a duplicate statement take as long as an acceptance.
 *
 * Up to their last step, a new submission costs the same whether it is stored or a duplicate
 * (validation, proof of work, the same reads, the same sealing). Then an acceptance writes one
 * transaction (statement and counter) and a duplicate one small put (its kept answer): without
 * padding, the response time alone would tell whether the person had already signed. Only that
 * last step is padded: the accepted path's recent transaction durations are kept in memory (per
 * execution environment), and a duplicate's put is held until it has taken as long as one of
 * them, drawn at random (or longer, when the put itself is slower). The rest of both paths is the same work meeting the same noise, so the
 * duplicate latencies follow the accepted ones' distribution (median and tail) instead of sitting
 * on one value an observer could spot. Padding the whole request instead would answer
 * max(drawn total, own total) and drift above the accepted distribution under load. Before any
 * statement was accepted in this environment, a fixed default stands in.
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
  /** Target, ms, before any accepted write duration is known (cold start). */
  readonly defaultMs?: number;
  /** Never hold an answer longer than this, ms (an outlier must not stall duplicates). */
  readonly maxMs?: number;
}

/** Accepted write durations kept: enough for the shape, few enough to follow load changes. */
export const PADDING_WINDOW = 64;
/**
 * Cold-start target, ms: a typical two-item TransactWriteItems in-region (single-digit to low
 * double-digit ms; see docs/threat-model.md). Replaced by measurements from the first acceptance.
 */
export const PADDING_DEFAULT_MS = 15;
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

  /** A start mark, taken where the accepted and the duplicate path part (before their write). */
  start(): number {
    return this.now();
  }

  /** Records how long an accepted statement's write took since `startedAt`. */
  recordAccepted(startedAt: number): void {
    const elapsed = this.now() - startedAt;
    if (this.samples.length < this.window) this.samples.push(elapsed);
    else this.samples[this.next] = elapsed;
    this.next = (this.next + 1) % this.window;
  }

  /** How long a duplicate's write should take, ms: a recent accepted write's duration, or the default. */
  target(): number {
    if (this.samples.length === 0) return this.defaultMs;
    const pick = Math.min(this.samples.length - 1, Math.floor(this.random() * this.samples.length));
    return Math.min(this.samples[pick] ?? this.defaultMs, this.maxMs);
  }

  /**
   * Runs a duplicate's write alongside a wait of `target()`: the answer comes when both are done,
   * so the write step takes max(own write, drawn accepted write). Waiting alongside rather than
   * after saves a second wake-up, which costs scheduling delay on a busy machine.
   */
  async hold<T>(write: Promise<T>): Promise<T> {
    const target = this.target();
    const [result] = await Promise.all([write, target > 0 ? this.sleep(target) : undefined]);
    return result;
  }
}
