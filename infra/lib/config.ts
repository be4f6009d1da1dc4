import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Initiative, initiativeSchema } from '@ocs/shared/initiative';
import { CONSOLE_CALLBACK_PATH, CONSOLE_SIGN_OUT_PATH } from '@ocs/shared/sign-in';
import type { Node } from 'constructs';
import { assertEuRegion, DEFAULT_REGION, type EuRegion } from './region';

/** The repository root (infra/lib -> ../..); relative context paths resolve against it. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/**
 * Everything an operator can choose, read from CDK context (`cdk.json` or `-c key=value`). Nothing is
 * read from the environment except the target account, so a stray AWS_REGION never moves the data.
 */
export interface OcsConfig {
  /** Prefix of stack names and of IAM/Cognito names; one per deployment in an account. */
  readonly deploymentName: string;
  /** The EU region that holds every stateful resource. */
  readonly region: EuRegion;
  /** Target account, when known (CDK_DEFAULT_ACCOUNT); synthesis works without it. */
  readonly account: string | undefined;
  /** The validated initiative (the operator's JSON file). */
  readonly initiative: Initiative;
  /** Where the initiative file was read from (for messages). */
  readonly initiativeConfigPath: string;
  /** Directory of the static site build that the Site stack uploads. */
  readonly siteSource: string;
  /** Custom domain of the site, with its ACM certificate in us-east-1; both or neither. */
  readonly siteDomain: { readonly name: string; readonly certificateArn: string } | undefined;
  /**
   * A trial deployment (`-c trial=true`): the only way to synthesise without a custom domain, on
   * CloudFront's own domain, whose default certificate cannot enforce TLS 1.2. Never for real statements.
   */
  readonly trial: boolean;
  /** Cognito hosted-UI domain prefix (globally unique per region). */
  readonly authDomainPrefix: string;
  /** Paths of the organiser console's OAuth callback and sign-out pages on the site. */
  readonly consoleCallbackPath: string;
  readonly consoleSignOutPath: string;
  /** E-mail address subscribed to the alarm topic, if any. */
  readonly alarmEmail: string | undefined;
  /** Reserved concurrency of the submit function (protects the KMS quota and the table). */
  readonly submitConcurrency: number;
  /** The account's Lambda concurrency limit, for the account-wide concurrency alarm. */
  readonly accountConcurrencyLimit: number;
  /** Counter shards per country (ENV.counterShards). */
  readonly counterShards: number;
  /** API Gateway stage throttling (requests per second, burst). */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  /** Route throttling of POST /api/statements. */
  readonly submitRateLimit: number;
  readonly submitBurstLimit: number;
  /** WAF rate-based rule: requests to /api/ per client IP in 5 minutes. */
  readonly wafRateLimit: number;
  /** Days an export object may live in the export bucket, before the legal deadline applies. */
  readonly exportRetentionDays: number;
  /** Stateful stacks (keys, data, secrets) refuse deletion unless this is false. */
  readonly terminationProtection: boolean;
}

/** Reads a context key as a string, or undefined. */
function str(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`Context '${key}' must be a string, got ${JSON.stringify(value)}.`);
  }
  return String(value);
}

function int(node: Node, key: string, fallback: number, min: number, max: number): number {
  const raw = str(node, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Context '${key}' must be an integer between ${min} and ${max}, got '${raw}'.`);
  }
  return value;
}

function bool(node: Node, key: string, fallback: boolean): boolean {
  const raw = str(node, key);
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false')
    throw new Error(`Context '${key}' must be true or false, got '${raw}'.`);
  return raw === 'true';
}

function repoPath(path: string): string {
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}

/** Reads and validates the initiative file; throws a message that names the file and each problem. */
export function loadInitiative(path: string): Initiative {
  if (!existsSync(path)) {
    throw new Error(
      `Initiative configuration not found at ${path}. Copy infra/config/initiative.example.json, fill in your ` +
        'registered initiative, and pass its path with `-c initiativeConfig=<path>`.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Initiative configuration ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = initiativeSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 20)
      .map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('\n');
    throw new Error(`Initiative configuration ${path} is invalid:\n${problems}`);
  }
  return parsed.data;
}

const NAME = /^[a-z][a-z0-9-]{1,19}$/;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERT_ARN = /^arn:aws:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Refuses a deployment without a custom domain unless it is declared a trial: only a custom
 * domain (with its certificate) lets CloudFront refuse TLS below 1.2.
 */
export function assertCustomDomainOrTrial(config: Pick<OcsConfig, 'siteDomain' | 'trial'>): void {
  if (config.siteDomain !== undefined || config.trial) return;
  throw new Error(
    "Refusing to synthesise: no custom domain. Set contexts 'siteDomain' and 'certificateArn' (an ACM " +
      'certificate in us-east-1): only a custom domain lets CloudFront refuse TLS below 1.2. On its own ' +
      '*.cloudfront.net domain CloudFront also accepts TLS 1.0 and 1.1, which a system that collects ' +
      'statements of support must not. For a trial without real statements, pass `-c trial=true`.',
  );
}

/** Builds the configuration from CDK context, validating every value. */
export function loadConfig(node: Node, env: Readonly<Record<string, string | undefined>> = {}): OcsConfig {
  const region = str(node, 'region') ?? DEFAULT_REGION;
  assertEuRegion(region, "context 'region'");

  const deploymentName = str(node, 'deploymentName') ?? 'ocs';
  if (!NAME.test(deploymentName)) {
    throw new Error(
      `Context 'deploymentName' must match ${NAME} (lower case, 2-20 characters), got '${deploymentName}'.`,
    );
  }

  const initiativeConfigPath = repoPath(
    str(node, 'initiativeConfig') ?? 'infra/config/initiative.example.json',
  );
  const initiative = loadInitiative(initiativeConfigPath);

  const domainName = str(node, 'siteDomain');
  const certificateArn = str(node, 'certificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error(
      "Contexts 'siteDomain' and 'certificateArn' go together: set both (a custom domain) or neither.",
    );
  }
  let siteDomain: OcsConfig['siteDomain'];
  if (domainName !== undefined && certificateArn !== undefined) {
    if (!DOMAIN.test(domainName))
      throw new Error(`Context 'siteDomain' is not a domain name: '${domainName}'.`);
    const certRegion = CERT_ARN.exec(certificateArn)?.[1];
    if (certRegion !== 'us-east-1') {
      throw new Error(
        `Context 'certificateArn' must be an ACM certificate in us-east-1 (CloudFront requires it), got '${certificateArn}'.`,
      );
    }
    siteDomain = { name: domainName, certificateArn };
  }
  const trial = bool(node, 'trial', false);
  assertCustomDomainOrTrial({ siteDomain, trial });

  const authDomainPrefix = str(node, 'authDomainPrefix') ?? `${deploymentName}-${initiative.id}`.slice(0, 63);
  if (
    !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(authDomainPrefix) ||
    /aws|amazon|cognito/.test(authDomainPrefix)
  ) {
    throw new Error(
      `Context 'authDomainPrefix' '${authDomainPrefix}' is not a valid Cognito domain prefix ` +
        "(lower-case letters, digits, hyphens; must not contain 'aws', 'amazon' or 'cognito').",
    );
  }

  const alarmEmail = str(node, 'alarmEmail');
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new Error(`Context 'alarmEmail' is not an e-mail address: '${alarmEmail}'.`);
  }

  const path = (key: string, fallback: string) => {
    const value = str(node, key) ?? fallback;
    if (!/^\/[A-Za-z0-9/_-]*$/.test(value))
      throw new Error(`Context '${key}' must be a path starting with '/'.`);
    return value;
  };

  return {
    deploymentName,
    region,
    account: env.CDK_DEFAULT_ACCOUNT,
    initiative,
    initiativeConfigPath,
    siteSource: repoPath(str(node, 'siteSource') ?? 'web/build'),
    siteDomain,
    trial,
    authDomainPrefix,
    consoleCallbackPath: path('consoleCallbackPath', CONSOLE_CALLBACK_PATH),
    consoleSignOutPath: path('consoleSignOutPath', CONSOLE_SIGN_OUT_PATH),
    alarmEmail,
    submitConcurrency: int(node, 'submitConcurrency', 100, 1, 10_000),
    accountConcurrencyLimit: int(node, 'accountConcurrencyLimit', 1000, 10, 1_000_000),
    counterShards: int(node, 'counterShards', 16, 1, 1000),
    apiRateLimit: int(node, 'apiRateLimit', 1000, 1, 100_000),
    apiBurstLimit: int(node, 'apiBurstLimit', 2000, 1, 100_000),
    submitRateLimit: int(node, 'submitRateLimit', 500, 1, 100_000),
    submitBurstLimit: int(node, 'submitBurstLimit', 1000, 1, 100_000),
    wafRateLimit: int(node, 'wafRateLimit', 1000, 10, 2_000_000_000),
    exportRetentionDays: int(node, 'exportRetentionDays', 90, 1, 3650),
    terminationProtection: bool(node, 'terminationProtection', true),
  };
}
