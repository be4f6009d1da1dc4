import type { DailyCount } from '@ocs/shared/contract/admin-api';

/**
 * Geometry of the dashboard's daily chart (an SVG of bars, one a day, with a table beside it for
 * screen readers and anyone who prefers numbers). Pure: the component only draws it.
 */

export interface ChartBar {
  readonly date: string;
  readonly count: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ChartTick {
  readonly value: number;
  readonly y: number;
}

export interface ChartGeometry {
  readonly width: number;
  readonly height: number;
  /** The plot area inside the axes. */
  readonly plot: {
    readonly left: number;
    readonly top: number;
    readonly right: number;
    readonly bottom: number;
  };
  readonly bars: readonly ChartBar[];
  readonly ticks: readonly ChartTick[];
  readonly max: number;
}

/** A "nice" upper bound for the axis: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Lays out one bar a day over the given width and height (SVG user units). */
export function dailyChart(daily: readonly DailyCount[], width = 640, height = 220): ChartGeometry {
  const plot = { left: 48, top: 8, right: width - 8, bottom: height - 24 };
  const max = niceCeiling(Math.max(0, ...daily.map((day) => day.count)));
  const slot = daily.length > 0 ? (plot.right - plot.left) / daily.length : 0;
  const barWidth = Math.max(slot * 0.8, 0.5);
  const scale = (value: number) => plot.bottom - ((plot.bottom - plot.top) * value) / max;
  const bars = daily.map((day, i) => {
    const y = scale(day.count);
    return {
      date: day.date,
      count: day.count,
      x: plot.left + i * slot + (slot - barWidth) / 2,
      y,
      width: barWidth,
      height: plot.bottom - y,
    };
  });
  const ticks = [0, 0.5, 1].map((f) => ({ value: max * f, y: scale(max * f) }));
  return { width, height, plot, bars, ticks, max };
}
