import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ExportProgress } from '@ocs/shared/export';
import type {
  ExportJob,
  ExportJobFailure,
  ExportJobResult,
  ExportJobStore,
  ExportOrganiser,
  ExportState,
} from '@ocs/shared/export-job';
import { conditionalPut } from './dynamo-conditional-put';
import { database, isConditionFailed } from './dynamo-errors';
import { KEY_PREFIXES, keyAttributes, keys } from './table-keys';

/** The attributes of a job item besides its key (the job's own fields, as they are). */
const JOB_FIELDS = [
  'id',
  'kind',
  'countries',
  'state',
  'requestedBy',
  'requestedAt',
  'approvedBy',
  'approvedAt',
  'startedAt',
  'heartbeatAt',
  'finishedAt',
  'progress',
  'files',
  'manifestSha256',
  'emails',
  'failure',
] as const satisfies readonly (keyof ExportJob)[];

const marshalled = (value: unknown) =>
  marshall({ v: value }, { removeUndefinedValues: true }).v as AttributeValue;

/**
 * Export jobs in the single table: partition `X`, sort key = job id (ids begin with the request
 * instant, so a descending Query lists them newest first). Each field of the job is an attribute
 * of its own, so a transition updates only what it changes, under a condition on `state` (and, for
 * an approval, on the requester's `sub`): two approvals, two starts or a late heartbeat after the
 * job was given up all lose against the first writer. Jobs hold no signatory data: ids, organiser
 * identities, counts and hashes.
 */
export class DynamoExportJobStore implements ExportJobStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(job: ExportJob): Promise<void> {
    const item = {
      ...keyAttributes(keys.exportJob(job.id)),
      ...marshall(job, { removeUndefinedValues: true }),
    };
    const created = await conditionalPut(this.db, {
      TableName: this.tableName,
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (!created) throw new Error('An export job with this id exists already.');
  }

  async get(id: string): Promise<ExportJob | undefined> {
    const out = await database(() =>
      this.db.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: keyAttributes(keys.exportJob(id)),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? jobOf(out.Item) : undefined;
  }

  async list(): Promise<readonly ExportJob[]> {
    const jobs: ExportJob[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const out: QueryCommandOutput = await database(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: KEY_PREFIXES.exportJob } },
            ScanIndexForward: false,
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of out.Items ?? []) jobs.push(jobOf(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return jobs;
  }

  approve(id: string, approver: ExportOrganiser, at: string): Promise<boolean> {
    return this.update(id, {
      set: { state: 'approved', approvedBy: approver, approvedAt: at },
      condition: '#state = :from AND requestedBy.#sub <> :approverSub',
      values: { ':from': { S: 'requested' }, ':approverSub': { S: approver.sub } },
      names: { '#sub': 'sub' },
    });
  }

  start(id: string, at: string): Promise<boolean> {
    return this.update(id, {
      set: { state: 'running', startedAt: at, heartbeatAt: at },
      condition: '#state = :from',
      values: { ':from': { S: 'approved' } },
    });
  }

  heartbeat(id: string, progress: ExportProgress, at: string): Promise<boolean> {
    return this.update(id, {
      set: { progress, heartbeatAt: at },
      condition: '#state = :from',
      values: { ':from': { S: 'running' } },
    });
  }

  complete(id: string, result: ExportJobResult, at: string): Promise<boolean> {
    return this.update(id, {
      set: { state: 'done', finishedAt: at, ...result },
      condition: '#state = :from',
      values: { ':from': { S: 'running' } },
    });
  }

  fail(
    id: string,
    from: readonly ExportState[],
    reason: ExportJobFailure,
    at: string,
    options: { heartbeatAt?: string } = {},
  ): Promise<boolean> {
    const states = Object.fromEntries(from.map((state, i) => [`:from${i}`, { S: state }]));
    const sameHeartbeat = options.heartbeatAt !== undefined;
    return this.update(id, {
      set: { state: 'failed', failure: reason, finishedAt: at },
      condition: `#state IN (${Object.keys(states).join(', ')})${sameHeartbeat ? ' AND heartbeatAt = :heartbeat' : ''}`,
      values: { ...states, ...(sameHeartbeat ? { ':heartbeat': { S: options.heartbeatAt as string } } : {}) },
    });
  }

  /** One conditional update of some fields; false when the condition (or the item) is not there. */
  private async update(
    id: string,
    change: {
      set: Partial<Record<(typeof JOB_FIELDS)[number], unknown>>;
      condition: string;
      values: Record<string, AttributeValue>;
      names?: Record<string, string>;
    },
  ): Promise<boolean> {
    const entries = Object.entries(change.set).filter(([, value]) => value !== undefined);
    const names: Record<string, string> = { '#state': 'state', ...change.names };
    const values: Record<string, AttributeValue> = { ...change.values };
    const assignments = entries.map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = marshalled(value);
      return `#f${i} = :v${i}`;
    });
    try {
      await database(() =>
        this.db.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: keyAttributes(keys.exportJob(id)),
            UpdateExpression: `SET ${assignments.join(', ')}`,
            ConditionExpression: `attribute_exists(pk) AND ${change.condition}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailed((error as { cause?: unknown }).cause)) return false;
      throw error;
    }
  }
}

/** A job item as the job (the key attributes dropped, the fields as stored). */
function jobOf(item: Record<string, AttributeValue>): ExportJob {
  const raw = unmarshall(item) as Record<string, unknown>;
  const job: Record<string, unknown> = {};
  for (const field of JOB_FIELDS) if (raw[field] !== undefined) job[field] = raw[field];
  return job as unknown as ExportJob;
}
