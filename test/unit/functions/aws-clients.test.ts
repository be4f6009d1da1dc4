import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@ocs/infra/config';
import { describe, expect, it } from 'vitest';

const SRC = join(REPO_ROOT, 'functions', 'src');

/**
 * Every TypeScript source of the functions that runs in Lambda (local mode has its own server, and
 * the command-line tools run on an operator's machine against DynamoDB Local).
 */
const lambdaSources = () =>
  readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !path.startsWith(join(SRC, 'local')) && !path.startsWith(join(SRC, 'cli')));

describe('AWS SDK clients', () => {
  it('are all built with the shared time limits (awsClientOptions), except the local DynamoDB client', () => {
    const constructions: { file: string; args: string }[] = [];
    for (const file of lambdaSources()) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/new (\w+)Client\(/g)) {
        if (!/^(DynamoDB|KMS|SecretsManager|S3|SSM|STS|CloudWatch\w*|SNS|SQS)$/.test(match[1] ?? ''))
          continue;
        constructions.push({ file, args: text.slice((match.index ?? 0) + match[0].length).slice(0, 120) });
      }
    }
    const local = constructions.filter((c) => /endpoint: config\.dynamoEndpoint/.test(c.args));
    const aws = constructions.filter((c) => !local.includes(c));
    expect(local).toHaveLength(1);
    expect(aws.length).toBeGreaterThanOrEqual(4);
    for (const { file, args } of aws) expect(args.startsWith('awsClientOptions('), file).toBe(true);
  });
});
