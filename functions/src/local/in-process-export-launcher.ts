import type { ExportJob, ExportKind, ExportLauncher } from '@ocs/shared/export-job';
import type { ExportJobRunner } from '../export/export-job-runner';
import { logger } from '../http/logger';

/**
 * Local mode's way to start an export run: in this process, in the background (the local server
 * runs for as long as it serves, where a Lambda invocation would end with its answer). The run is
 * the very `ExportJobRunner` the export function runs in AWS, over the local key provider and the
 * file sink. `launch` returns at once; the run starts on the next turn of the event loop, after the
 * approval's answer.
 */
export class InProcessExportLauncher implements ExportLauncher {
  private readonly runners = new Map<ExportKind, Promise<ExportJobRunner>>();
  private readonly running = new Set<Promise<unknown>>();

  /** `runnerOf` builds a kind's runner on its first use (loading the export engine only then). */
  constructor(private readonly runnerOf: (kind: ExportKind) => Promise<ExportJobRunner>) {}

  async launch(job: Pick<ExportJob, 'id' | 'kind'>): Promise<void> {
    let runner = this.runners.get(job.kind);
    if (!runner) {
      runner = this.runnerOf(job.kind);
      this.runners.set(job.kind, runner);
      runner.catch(() => this.runners.delete(job.kind));
    }
    const ready = await runner;
    const log = logger.createChild({ persistentKeys: { exportId: job.id } });
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => ready.run(job.id))
      .then((outcome) => log.info('export run ended', { ...outcome }))
      .catch((error: unknown) =>
        log.error('export run failed unexpectedly', {
          errorName: error instanceof Error ? error.name : typeof error,
        }),
      )
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves when every run started so far has ended (for an orderly shutdown and for tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
