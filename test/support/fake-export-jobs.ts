import type { ExportProgress, ExportSink } from '@ocs/shared/export';
import type {
  DownloadLink,
  DownloadLinks,
  ExportFileRef,
  ExportJob,
  ExportJobFailure,
  ExportJobResult,
  ExportJobStore,
  ExportKind,
  ExportLauncher,
  ExportOrganiser,
  ExportState,
} from '@ocs/shared/export-job';

/**
 * In-memory export jobs with the DynamoDB adapter's semantics: every transition succeeds only from
 * its state (and an approval only by another organiser), else answers false. `failNext` queues
 * failures of the next calls of a method.
 */
export class InMemoryExportJobStore implements ExportJobStore {
  readonly jobs = new Map<string, ExportJob>();
  private readonly failures = new Map<keyof ExportJobStore, unknown[]>();

  failNext(method: keyof ExportJobStore, error: unknown): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  private check(method: keyof ExportJobStore): void {
    const queued = this.failures.get(method);
    if (queued?.length) throw queued.shift();
  }

  async create(job: ExportJob): Promise<void> {
    this.check('create');
    if (this.jobs.has(job.id)) throw new Error('exists');
    this.jobs.set(job.id, structuredClone(job));
  }

  async get(id: string): Promise<ExportJob | undefined> {
    this.check('get');
    const job = this.jobs.get(id);
    return job ? structuredClone(job) : undefined;
  }

  async list(): Promise<readonly ExportJob[]> {
    this.check('list');
    return [...this.jobs.values()].sort((a, b) => (a.id < b.id ? 1 : -1)).map((j) => structuredClone(j));
  }

  private transition(id: string, from: readonly ExportState[], change: Partial<ExportJob>, extra = true) {
    const job = this.jobs.get(id);
    if (!job || !from.includes(job.state) || !extra) return false;
    this.jobs.set(id, { ...job, ...structuredClone(change) });
    return true;
  }

  async approve(id: string, approver: ExportOrganiser, at: string): Promise<boolean> {
    this.check('approve');
    const sameOrganiser = this.jobs.get(id)?.requestedBy.sub === approver.sub;
    return this.transition(
      id,
      ['requested'],
      { state: 'approved', approvedBy: approver, approvedAt: at },
      !sameOrganiser,
    );
  }

  async start(id: string, at: string): Promise<boolean> {
    this.check('start');
    return this.transition(id, ['approved'], { state: 'running', startedAt: at, heartbeatAt: at });
  }

  async heartbeat(id: string, progress: ExportProgress, at: string): Promise<boolean> {
    this.check('heartbeat');
    return this.transition(id, ['running'], { progress, heartbeatAt: at });
  }

  async complete(id: string, result: ExportJobResult, at: string): Promise<boolean> {
    this.check('complete');
    return this.transition(id, ['running'], { state: 'done', finishedAt: at, ...result });
  }

  async fail(
    id: string,
    from: readonly ExportState[],
    reason: ExportJobFailure,
    at: string,
    options: { heartbeatAt?: string } = {},
  ): Promise<boolean> {
    this.check('fail');
    const sameHeartbeat =
      options.heartbeatAt === undefined || this.jobs.get(id)?.heartbeatAt === options.heartbeatAt;
    return this.transition(id, from, { state: 'failed', failure: reason, finishedAt: at }, sameHeartbeat);
  }
}

/** A launcher that records what it was asked to start (and can be made to fail). */
export class RecordingLauncher implements ExportLauncher {
  readonly launched: Array<{ id: string; kind: ExportKind }> = [];
  failure: unknown;

  async launch(job: Pick<ExportJob, 'id' | 'kind'>): Promise<void> {
    if (this.failure) throw this.failure;
    this.launched.push({ id: job.id, kind: job.kind });
  }
}

/** Download links as data: `https://links.test/<exportId>/<name>?ttl=<seconds>`. */
export class RecordingLinks implements DownloadLinks {
  readonly issued: Array<{ file: ExportFileRef; expiresInSeconds: number }> = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  async create(file: ExportFileRef, expiresInSeconds: number): Promise<DownloadLink> {
    this.issued.push({ file, expiresInSeconds });
    return {
      url: `https://links.test/${file.exportId}/${file.name}?ttl=${expiresInSeconds}`,
      expiresAt: new Date(this.now().getTime() + expiresInSeconds * 1000).toISOString(),
    };
  }
}

/** A sink that only records which exports were discarded (the routes that give up dead runs never write). */
export class DiscardRecorder implements ExportSink {
  readonly discarded: string[] = [];

  async create(): Promise<never> {
    throw new Error('The export routes never write export files.');
  }

  async discard(exportId: string): Promise<void> {
    this.discarded.push(exportId);
  }
}
