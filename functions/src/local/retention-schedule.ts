import type { Config } from '../config/config';
import { describeOutcome } from '../retention/describe';
import { makeRunRetention } from '../retention/wiring';
import type { RunRetention } from '../use-cases/run-retention';
import { lazy } from '../wiring';

/** How often `npm start` runs the destruction job after its first run at start: daily. */
export const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface RetentionSchedule {
  /** The run at start, done (whatever it found). */
  readonly started: Promise<void>;
  stop(): void;
}

/**
 * `npm start`'s destruction job: once at start, then every day, on the system clock. A failed run
 * is reported and tried again at the next one; it never stops the server.
 */
export function scheduleRetention(
  config: Config,
  options: { readonly intervalMs?: number; readonly log?: (line: string) => void } = {},
): RetentionSchedule {
  const log = options.log ?? ((line: string) => console.log(line));
  const job = lazy<RunRetention>(() => makeRunRetention(config));
  const run = async () => {
    try {
      log(describeOutcome(await (await job()).execute()));
    } catch (error) {
      const name = error instanceof Error ? error.name : 'error';
      log(
        `retention: the destruction job failed (${name}); it runs again at the next run (npm run retention runs it now)`,
      );
    }
  };
  const started = run();
  const timer = setInterval(() => void run(), options.intervalMs ?? RETENTION_INTERVAL_MS);
  timer.unref();
  return { started, stop: () => clearInterval(timer) };
}
