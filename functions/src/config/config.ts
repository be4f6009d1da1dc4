import * as z from 'zod';
import { ENV } from './env-names';

/**
 * The functions' configuration, read once at cold start from the environment through one zod
 * schema. Only identifiers live here; secrets are loaded through `SecretSource` adapters.
 *
 * Each deployed function receives only the identifiers it needs (least privilege: the CDK helper
 * that sets a variable also grants its permission), so resource identifiers are optional here
 * and `required()` fails at cold start, naming the variable, in a handler that needs one it lacks.
 */
const optionalId = z.string().min(1).optional();

const baseSchema = z.object({
  [ENV.initiativeId]: z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/),
  [ENV.tableName]: z.string().min(3).optional(),
  [ENV.challengeCost]: z.enum(['production', 'low']).default('production'),
  [ENV.counterShards]: z.coerce.number().int().min(1).max(1000).default(32),
  [ENV.initiativeCacheSeconds]: z.coerce.number().int().min(0).max(300).default(5),
  [ENV.exportGreeceCode]: z.enum(['gr', 'el']).default('gr'),
});

const awsSchema = baseSchema
  .extend({
    [ENV.runtime]: z.literal('aws'),
    [ENV.dataKeyId]: optionalId,
    [ENV.dedupSecretId]: optionalId,
    [ENV.challengeSecretId]: optionalId,
    [ENV.originSecretId]: optionalId,
    [ENV.exportBucket]: optionalId,
    [ENV.exportKeyId]: optionalId,
    [ENV.exportFunction]: optionalId,
    [ENV.emailExportFunction]: optionalId,
  })
  .transform(
    (e): Config => ({
      ...common(e),
      runtime: 'aws',
      dataKeyId: e[ENV.dataKeyId],
      dedupSecretId: e[ENV.dedupSecretId],
      challengeSecretId: e[ENV.challengeSecretId],
      originSecretId: e[ENV.originSecretId],
      exportBucket: e[ENV.exportBucket],
      exportKeyId: e[ENV.exportKeyId],
      exportFunction: e[ENV.exportFunction],
      emailExportFunction: e[ENV.emailExportFunction],
    }),
  );

const localSchema = baseSchema
  .extend({
    [ENV.runtime]: z.literal('local'),
    [ENV.dataDir]: z.string().min(1),
    [ENV.dynamoEndpoint]: z.url(),
    [ENV.localOrigin]: z.url().default('http://localhost:8080'),
  })
  .transform(
    (e): Config => ({
      ...common(e),
      runtime: 'local',
      dataDir: e[ENV.dataDir],
      dynamoEndpoint: e[ENV.dynamoEndpoint],
      localOrigin: e[ENV.localOrigin].replace(/\/+$/, ''),
    }),
  );

const runtimeSchema = z.object({ [ENV.runtime]: z.enum(['aws', 'local']) });

interface CommonConfig {
  readonly initiativeId: string;
  readonly tableName: string | undefined;
  readonly challengeCost: 'production' | 'low';
  readonly counterShards: number;
  /** How long a function keeps the initiative in memory: an organiser's switch applies within it. */
  readonly initiativeCacheSeconds: number;
  /** How the export writes Greece (docs/export-format.md); `gr` when absent. */
  readonly exportGreeceCode: 'gr' | 'el';
}

function common(e: z.infer<typeof baseSchema>): CommonConfig {
  return {
    initiativeId: e[ENV.initiativeId],
    tableName: e[ENV.tableName],
    challengeCost: e[ENV.challengeCost],
    counterShards: e[ENV.counterShards],
    initiativeCacheSeconds: e[ENV.initiativeCacheSeconds],
    exportGreeceCode: e[ENV.exportGreeceCode],
  };
}

export type Config =
  | (CommonConfig & {
      readonly runtime: 'aws';
      readonly dataKeyId: string | undefined;
      readonly dedupSecretId: string | undefined;
      readonly challengeSecretId: string | undefined;
      /** Only the origin authorizer receives it. */
      readonly originSecretId: string | undefined;
      /** Only the export functions and the export routes receive them. */
      readonly exportBucket: string | undefined;
      readonly exportKeyId: string | undefined;
      /** Only the approve function receives them: the export functions it may start. */
      readonly exportFunction: string | undefined;
      readonly emailExportFunction: string | undefined;
    })
  | (CommonConfig & {
      readonly runtime: 'local';
      readonly dataDir: string;
      readonly dynamoEndpoint: string;
      /** Where the local server is reached (local download links point there). */
      readonly localOrigin: string;
    });

/** Parses an environment; throws a readable error naming the variables that are wrong. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const runtime = runtimeSchema.safeParse(env);
  const result = runtime.success
    ? (runtime.data[ENV.runtime] === 'aws' ? awsSchema : localSchema).safeParse(env)
    : runtime;
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid function configuration: ${problems.join('; ')}`);
  }
  return Object.freeze(result.data);
}

/** A configuration value this function needs; a clear cold-start error names the variable. */
export function required<T>(value: T | undefined, variable: string): T {
  if (value === undefined) {
    throw new Error(`Invalid function configuration: ${variable} is required by this function but not set.`);
  }
  return value;
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use (cold start) and frozen. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
