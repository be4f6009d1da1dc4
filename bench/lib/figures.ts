/**
 * What a benchmark hands back: figures (a measured value, its unit, the target it is read
 * against, a note on how it was measured). Figures are reported, never asserted: a missed target
 * is a line in the table, not a failure (docs/conventions.md: "a benchmark is not a test").
 */

/** Units a figure can carry; the table formats each one its own way. */
export type Unit =
  | 'µs'
  | 'ms'
  | 's'
  | 'bytes'
  | 'MB'
  | 'per 1,000'
  | 'WCU'
  | 'RCU'
  | 'per s'
  | 'count'
  | 'cores';

/** A target of docs/benchmarks.md, in the figure's unit. */
export interface Target {
  readonly op: '<=' | '>=';
  readonly value: number;
}

export interface Figure {
  /** Stable identifier in the JSON results (`benchmark.figure`). */
  readonly key: string;
  /** What the table calls it. */
  readonly metric: string;
  /** The measured value; `null` when it could not be measured (the note says why). */
  readonly value: number | null;
  readonly unit: Unit;
  readonly target?: Target;
  /** How it was measured, and the numbers around it (spread, percentiles, load). */
  readonly note?: string;
  /** Extra numbers for the JSON results only. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** `met` / `missed` against the target, or `info` when the figure has none. */
export function verdict(figure: Figure): 'met' | 'missed' | 'info' | 'n/a' {
  if (!figure.target) return 'info';
  if (figure.value === null) return 'n/a';
  return figure.target.op === '<='
    ? figure.value <= figure.target.value
      ? 'met'
      : 'missed'
    : figure.value >= figure.target.value
      ? 'met'
      : 'missed';
}

const group = (n: number, digits: number) =>
  n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Enough digits to read a figure, not more. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (Number.isInteger(value) && abs >= 1) return group(value, 0);
  if (abs >= 100) return group(value, 0);
  if (abs >= 10) return group(value, 1);
  if (abs >= 1) return group(value, 2);
  return value.toPrecision(2);
}

/** A value with its unit, as the table shows it (bytes in KB). */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return '-';
  switch (unit) {
    case 'bytes':
      return value >= 1024 ? `${formatNumber(value / 1024)} KB` : `${formatNumber(value)} B`;
    case 'per 1,000':
      return `${formatNumber(value)} per 1,000`;
    case 'per s':
      return `${formatNumber(value)}/s`;
    case 'count':
      return formatNumber(value);
    default:
      return `${formatNumber(value)} ${unit}`;
  }
}

export function formatTarget(target: Target | undefined, unit: Unit): string {
  if (!target) return '-';
  return `${target.op === '<=' ? '≤' : '≥'} ${formatValue(target.value, unit)}`;
}
