/**
 * Makes the answer to a duplicate statement take as long as an acceptance.
 *
 * Up to their last step, a new submission costs the same whether it is stored or a duplicate
 * (validation, proof of work, the same reads, the same sealing). Then an acceptance writes one
 * transaction (statement and counter) and a duplicate one small put (its kept answer): without
 * padding, the response time alone would tell whether the person had already signed.
 *
 * Only that last step is padded. The recent durations of both writes are kept in memory (per
 * execution environment); after its put, a duplicate waits the difference between the typical
 * (median) accepted transaction and the typical duplicate put. Its write step then takes its own
 * put's time, which rises and falls with the current load just as a transaction does, shifted
 * onto the transactions' median. Measured alternatives were worse on a loaded machine (see
 * docs/threat-model.md): waiting for a duration drawn from past transactions adds the noise of
 * another moment to the noise of this one, and a fixed target narrows the spread. Before any
 * statement was accepted in this environment, a default stands in for the typical transaction.
 */

export interface LatencyPaddingOptions {
  /** Monotonic milliseconds (performance.now by default). */
  readonly now?: () => number;
  /** Waits `ms` milliseconds (a timer by default); tests pass a fake that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Durations kept per kind of write (the most recent ones). */
  readonly window?: number;
  /** Typical accepted write, ms, before any was measured (cold start). */
  readonly defaultMs?: number;
  /** Never wait longer than this, ms (an outlier must not stall duplicates). */
  readonly maxMs?: number;
}

/** Durations kept per kind of write: enough for a stable median, few enough to follow load. */
export const PADDING_WINDOW = 64;
/**
 * Cold-start typical accepted write, ms: a two-item TransactWriteItems in-region takes
 * single-digit to low double-digit milliseconds. Replaced by measurements from the first
 * acceptance on.
 */
export const PADDING_DEFAULT_MS = 15;
/** Upper bound of one wait, ms. */
export const PADDING_MAX_MS = 1_000;

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The most recent `size` durations, and their median. */
class RecentDurations {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  add(ms: number): void {
    if (this.values.length < this.size) this.values.push(ms);
    else this.values[this.next] = ms;
    this.next = (this.next + 1) % this.size;
  }

  median(): number | undefined {
    if (this.values.length === 0) return undefined;
    const sorted = [...this.values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  }
}

export class LatencyPadding {
  private readonly accepted: RecentDurations;
  private readonly duplicates: RecentDurations;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly defaultMs: number;
  private readonly maxMs: number;

  constructor(options: LatencyPaddingOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? timer;
    this.defaultMs = options.defaultMs ?? PADDING_DEFAULT_MS;
    this.maxMs = options.maxMs ?? PADDING_MAX_MS;
    this.accepted = new RecentDurations(options.window ?? PADDING_WINDOW);
    this.duplicates = new RecentDurations(options.window ?? PADDING_WINDOW);
  }

  /** A start mark, taken where the accepted path begins its write. */
  start(): number {
    return this.now();
  }

  /** Records how long an accepted statement's write took since `startedAt`. */
  recordAccepted(startedAt: number): void {
    this.accepted.add(this.now() - startedAt);
  }

  /** The typical accepted write, ms: the median of the recent ones, or the default. */
  typicalAccepted(): number {
    return this.accepted.median() ?? this.defaultMs;
  }

  /**
   * Runs a duplicate's write, then waits the difference between the typical accepted write and
   * the typical duplicate write (this one included). A failed write is passed on at once, as a
   * failed transaction is.
   */
  async hold<T>(write: () => Promise<T>): Promise<T> {
    const startedAt = this.now();
    const result = await write();
    await this.holdSince(startedAt);
    return result;
  }

  /**
   * The same for a path that already ran (a withdrawal that found nothing): records how long it
   * took since `startedAt`, then waits the difference between the typical accepted path and the
   * typical short one.
   */
  async holdSince(startedAt: number): Promise<void> {
    this.duplicates.add(this.now() - startedAt);
    const extra = Math.min(this.typicalAccepted() - (this.duplicates.median() ?? 0), this.maxMs);
    if (extra > 0) await this.sleep(extra);
  }
}
