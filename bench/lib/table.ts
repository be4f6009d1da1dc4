import { type Figure, formatTarget, formatValue, verdict } from './figures';

export interface SuiteOutcome {
  readonly name: string;
  readonly status: 'ok' | 'crashed' | 'skipped';
  readonly seconds: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly figures: readonly Figure[];
  readonly error?: string;
}

const VERDICT_MARK = { met: 'met', missed: 'MISSED', info: '', 'n/a': 'n/a' } as const;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** The one table `npm run bench` prints: metric, measured, target, verdict, note; one section per benchmark. */
export function renderTable(outcomes: readonly SuiteOutcome[], terminalWidth: number): string {
  const rows = outcomes.flatMap((o) =>
    o.figures.map((f) => ({
      metric: f.metric,
      measured: formatValue(f.value, f.unit),
      target: formatTarget(f.target, f.unit),
      verdict: VERDICT_MARK[verdict(f)],
      note: f.note ?? '',
    })),
  );
  const width = (pick: (r: (typeof rows)[number]) => string, header: string) =>
    Math.max(header.length, ...rows.map((r) => pick(r).length));
  const w = {
    metric: width((r) => r.metric, 'Metric'),
    measured: width((r) => r.measured, 'Measured'),
    target: width((r) => r.target, 'Target'),
    verdict: width((r) => r.verdict, 'Verdict'),
  };
  const fixed = w.metric + w.measured + w.target + w.verdict + 4 * 3;
  const noteWidth = Math.max(40, terminalWidth - fixed - 1);
  const line = (cells: [string, string, string, string, string]) =>
    `${cells[0].padEnd(w.metric)} | ${cells[1].padStart(w.measured)} | ${cells[2].padEnd(w.target)} | ${cells[3].padEnd(w.verdict)} | ${cells[4]}`.trimEnd();
  const out: string[] = [];
  out.push(line(['Metric', 'Measured', 'Target', 'Verdict', 'Note']));
  out.push('-'.repeat(Math.min(terminalWidth, fixed + noteWidth)));
  for (const o of outcomes) {
    const load = o.loadBefore.map((l) => l.toFixed(2)).join('/');
    const head = `[${o.name}] ${o.status}, ${o.seconds.toFixed(0)} s, load ${load} at start`;
    out.push(o.error ? `${head}: ${o.error.split('\n')[0]}` : head);
    for (const f of o.figures) {
      const [first = '', ...rest] = wrap(f.note ?? '', noteWidth);
      out.push(
        line([
          f.metric,
          formatValue(f.value, f.unit),
          formatTarget(f.target, f.unit),
          VERDICT_MARK[verdict(f)],
          first,
        ]),
      );
      for (const more of rest) out.push(line(['', '', '', '', more]));
    }
  }
  return out.join('\n');
}
