import { resolve } from 'node:path';
import * as z from 'zod';
import { type Config, parseConfig } from '../config/config';
import { ENV } from '../config/env-names';

/**
 * Local mode's environment, read once through one schema: the server's own knobs here, and the
 * functions' variables (challenge cost, counter shards, initiative cache...) through the
 * functions' own schema (`parseConfig`), with local-mode defaults for the table and the initiative.
 */
const localSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  [ENV.dataDir]: z.string().min(1).default('.data'),
  /** A fixed port for DynamoDB Local; by default a free one. */
  OCS_DYNAMODB_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** Requests per second to `/api/*` before 429 (burst twice that), like the API Gateway stage. */
  OCS_LOCAL_RATE_LIMIT: z.coerce.number().positive().default(1000),
  [ENV.tableName]: z.string().min(3).default('ocs-local'),
  [ENV.initiativeId]: z.string().min(1).default('eci-2026-000001'),
});

export interface LocalConfig {
  readonly port: number;
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  readonly dynamoPort: number | undefined;
  readonly rateLimit: number;
  /** The functions' configuration once DynamoDB Local listens at `dynamoEndpoint`. */
  functions(dynamoEndpoint: string): Config;
}

/** Parses local mode's environment; throws a readable error naming the variables that are wrong. */
export function parseLocalConfig(env: Readonly<Record<string, string | undefined>>): LocalConfig {
  const parsed = localSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid local configuration: ${problems.join('; ')}`);
  }
  const local = parsed.data;
  const dataDir = resolve(local[ENV.dataDir]);
  const snapshot = { ...env };
  const functions = (dynamoEndpoint: string) =>
    parseConfig({
      ...snapshot,
      [ENV.runtime]: 'local',
      [ENV.dataDir]: dataDir,
      [ENV.dynamoEndpoint]: dynamoEndpoint,
      [ENV.tableName]: local[ENV.tableName],
      [ENV.initiativeId]: local[ENV.initiativeId],
      [ENV.localOrigin]: `http://localhost:${local.PORT}`,
    });
  // Checked now, so a wrong variable stops `npm start` before anything starts.
  functions('http://127.0.0.1:8000');
  return Object.freeze({
    port: local.PORT,
    dataDir,
    dynamoPort: local.OCS_DYNAMODB_PORT,
    rateLimit: local.OCS_LOCAL_RATE_LIMIT,
    functions,
  });
}
