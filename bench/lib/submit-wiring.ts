import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Config, parseConfig } from '@ocs/functions/config/config';
import { ENCRYPTION_CONTEXT } from '@ocs/functions/config/env-names';
import { DedupHasher } from '@ocs/functions/crypto/dedup-hasher';
import { apiHandler } from '@ocs/functions/http/api-handler';
import { json } from '@ocs/functions/http/responses';
import type { LatencyPadding } from '@ocs/functions/use-cases/latency-padding';
import { SubmitStatement } from '@ocs/functions/use-cases/submit-statement';
import { newId } from '@ocs/functions/wiring';
import { makeSealer } from '@ocs/functions/wiring-keys';
import type {
  ChallengeReplayStore,
  ChallengeService,
  Clock,
  DataKeyStore,
  InitiativeStore,
  KeyProvider,
  StatementStore,
} from '@ocs/shared/ports';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** The initiative every benchmark signs (the local demo initiative's id). */
export const BENCH_INITIATIVE_ID = 'eci-2026-000001';
export const BENCH_TABLE = 'ocs-bench';

/** A real `Config` for the local runtime (only its identifiers are used by the wiring). */
export function benchConfig(dynamoEndpoint = 'http://127.0.0.1:1', dataDir = '/nonexistent'): Config {
  return parseConfig({
    OCS_RUNTIME: 'local',
    OCS_TABLE_NAME: BENCH_TABLE,
    OCS_INITIATIVE_ID: BENCH_INITIATIVE_ID,
    OCS_DATA_DIR: dataDir,
    OCS_DYNAMODB_ENDPOINT: dynamoEndpoint,
  });
}

export interface SubmitPorts {
  readonly initiatives: InitiativeStore;
  readonly challenges: ChallengeService;
  readonly replay: ChallengeReplayStore;
  readonly statements: StatementStore;
  readonly dataKeys: DataKeyStore;
  readonly keyProvider: KeyProvider;
  readonly clock: Clock;
  /** The duplicate path's latency padding; the use case's default when absent. */
  readonly padding?: LatencyPadding;
}

/**
 * The use case wired as `handlers/submit-statement.ts` wires it (two envelope sealers, one per
 * purpose, over one key provider; the real DedupHasher), over the given ports.
 */
export function buildSubmitStatement(ports: SubmitPorts, config: Config = benchConfig()): SubmitStatement {
  return new SubmitStatement({
    initiativeId: config.initiativeId,
    initiatives: ports.initiatives,
    challenges: ports.challenges,
    replay: ports.replay,
    hasher: new DedupHasher(randomBytes(32)),
    statementSealer: makeSealer(
      config,
      ports.keyProvider,
      ports.dataKeys,
      ENCRYPTION_CONTEXT.statementPurpose,
      ports.clock,
    ),
    emailSealer: makeSealer(
      config,
      ports.keyProvider,
      ports.dataKeys,
      ENCRYPTION_CONTEXT.emailPurpose,
      ports.clock,
    ),
    statements: ports.statements,
    clock: ports.clock,
    newId,
    ...(ports.padding ? { padding: ports.padding } : {}),
  });
}

/**
 * POST /api/statements through the house middy chain (Powertools context, access log and error
 * map, JSON body parser), exactly as `handlers/submit-statement.ts` builds it, over `useCase`.
 * (That module's own composition root builds AWS clients at import, so it is not used here.)
 */
export function submitHandler(useCase: SubmitStatement) {
  return apiHandler(
    'POST /api/statements',
    async (event) => {
      const result = await useCase.execute(event.jsonBody);
      return json(result.outcome === 'created' ? 201 : 200, {
        receipt: result.receipt,
        submittedAt: result.submittedAt,
      });
    },
    { jsonBody: true },
  );
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/events/post-statement.json', import.meta.url), 'utf8'),
) as APIGatewayProxyEventV2;

/** The API Gateway (HTTP API v2) event of a POST /api/statements with `body` (the repo's fixture). */
export function postEvent(body: string): APIGatewayProxyEventV2 {
  return {
    ...fixture,
    headers: { ...fixture.headers, 'content-length': String(Buffer.byteLength(body)) },
    requestContext: { ...fixture.requestContext, requestId: randomUUID() },
    body,
  };
}

/** A Lambda context as the runtime passes it. */
export function lambdaContext(): Context {
  const functionName = 'ocs-submit-statement';
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Swallows what the process writes to stdout (the Powertools logger's JSON lines) and counts
 * it: formatting a log line is CPU the handler pays and stays measured; the write to the
 * terminal is I/O and is left out. Returns a function that restores stdout and reports.
 */
export function muteStdout(): () => { lines: number; bytes: number } {
  const original = process.stdout.write;
  let lines = 0;
  let bytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    lines += 1;
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  return () => {
    process.stdout.write = original;
    return { lines, bytes };
  };
}
