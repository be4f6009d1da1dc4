/**
 * Counts accepted and duplicate statements in aggregate, never per request.
 *
 * A duplicate is answered exactly like an acceptance, so no request's log line may say which it
 * was. Operators still want to see duplicates (a surge of them suggests someone probing with
 * other people's data), so this tally counts them in memory and emits one line for a period:
 * only when the period is over AND it holds enough answers that no single request stands out.
 * The emission happens when a submission ARRIVES (before its outcome is known), and covers only
 * earlier submissions, so neither its presence nor its timing depends on the current request.
 * Counts of an execution environment that ends before emitting are lost (the figure is a signal,
 * not an account; the public counters are the account).
 */

export interface IntakeCounts {
  /** Statements stored and counted. */
  readonly accepted: number;
  /** Statements of people who already support the initiative (answered 201, nothing stored). */
  readonly duplicates: number;
  /** Length of the period, seconds. */
  readonly periodSeconds: number;
}

export interface IntakeTallyOptions {
  /** Receives one aggregate per period (a log line, a metric). */
  readonly emit: (counts: IntakeCounts) => void;
  /** Monotonic milliseconds (performance.now by default). */
  readonly now?: () => number;
  /** Shortest period, ms. */
  readonly periodMs?: number;
  /** Fewest answers (accepted + duplicates) a period must hold before it is emitted. */
  readonly minAnswers?: number;
}

/** Shortest period of an aggregate: 5 minutes. */
export const TALLY_PERIOD_MS = 5 * 60_000;
/** Fewest answers in an emitted aggregate. */
export const TALLY_MIN_ANSWERS = 20;

export class IntakeTally {
  private accepted = 0;
  private duplicates = 0;
  private periodStart: number;
  private readonly now: () => number;
  private readonly periodMs: number;
  private readonly minAnswers: number;

  constructor(private readonly options: IntakeTallyOptions) {
    this.now = options.now ?? (() => performance.now());
    this.periodMs = options.periodMs ?? TALLY_PERIOD_MS;
    this.minAnswers = options.minAnswers ?? TALLY_MIN_ANSWERS;
    this.periodStart = this.now();
  }

  /** A submission arrived: emits the aggregate of earlier ones when it is due. */
  arrived(): void {
    const now = this.now();
    const elapsed = now - this.periodStart;
    if (elapsed < this.periodMs || this.accepted + this.duplicates < this.minAnswers) return;
    this.options.emit({
      accepted: this.accepted,
      duplicates: this.duplicates,
      periodSeconds: Math.round(elapsed / 1000),
    });
    this.accepted = 0;
    this.duplicates = 0;
    this.periodStart = now;
  }

  /** Counts one answered submission (silently: nothing is written per request). */
  count(kind: 'accepted' | 'duplicate'): void {
    if (kind === 'accepted') this.accepted += 1;
    else this.duplicates += 1;
  }
}
