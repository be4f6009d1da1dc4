import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ExportJob, ExportKind, ExportLauncher } from '@ocs/shared/export-job';

/** The event an export function receives: the job to run, nothing else (the job says the rest). */
export interface ExportRunEvent {
  readonly exportId: string;
}

/**
 * AWS: starts the export function of the job's kind with an asynchronous invoke
 * (`InvocationType: 'Event'`): Lambda queues the event and answers 202 at once, so the approval
 * answers in milliseconds and the run gets the export function's own 15 minutes, role and memory.
 * The functions are configured without retries: a run that fails is failed for good (its files
 * discarded), and the job's conditional start makes a duplicate delivery a no-op anyway.
 */
export class LambdaExportLauncher implements ExportLauncher {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functions: Readonly<Record<ExportKind, string>>,
  ) {}

  async launch(job: Pick<ExportJob, 'id' | 'kind'>): Promise<void> {
    const event: ExportRunEvent = { exportId: job.id };
    const out = await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functions[job.kind],
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    if (out.StatusCode !== 202) {
      throw new Error(`The export function did not accept the start event (status ${out.StatusCode}).`);
    }
  }
}
