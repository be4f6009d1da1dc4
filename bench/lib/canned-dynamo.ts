import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { keyAttributes, keys } from '@ocs/functions/adapters/table-keys';
import { type Initiative, initiativeSchema } from '@ocs/shared/initiative';

/** True when a request body (JSON text or bytes) names the initiative item's key. */
function mentionsInitiative(body: unknown): boolean {
  if (typeof body === 'string') return body.includes('"INITIATIVE"');
  if (body instanceof Uint8Array) {
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).includes('"INITIATIVE"');
  }
  return false;
}

interface CannedRequest {
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/**
 * A DynamoDB client whose HTTP handler answers in-process: the SDK still resolves the endpoint,
 * serialises each command, signs it (SigV4) and parses the answer, but nothing leaves the
 * process. Every write succeeds, every read finds nothing except the initiative item. It lets
 * the CPU benchmark include what the real adapters and the SDK cost per statement, without
 * the network.
 */
export function cannedDynamoClient(initiative: Initiative): DynamoDBClient {
  const initiativeItem = JSON.stringify({
    Item: {
      ...keyAttributes(keys.initiative()),
      data: { M: marshall(initiativeSchema.parse(initiative), { removeUndefinedValues: true }) },
      // Live: the CPU per live statement (a test one's transaction carries one more item).
      mode: { S: 'live' },
    },
  });
  const encoder = new TextEncoder();
  const empty = encoder.encode('{}');
  const found = encoder.encode(initiativeItem);
  let requests = 0;
  const requestHandler = {
    handle: async (request: CannedRequest) => {
      requests += 1;
      const target = request.headers['x-amz-target'] ?? '';
      const answer = target.endsWith('.GetItem') && mentionsInitiative(request.body) ? found : empty;
      return {
        response: {
          statusCode: 200,
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amzn-requestid': `canned-${requests}`,
          },
          // A fresh copy: the SDK re-prototypes the body it is given.
          body: new Uint8Array(answer),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
  return new DynamoDBClient({
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'bench-not-a-secret' },
    maxAttempts: 3,
    requestHandler,
  });
}
