import { join } from 'node:path';
import { buildOcsApp, type OcsStacks } from '@ocs/infra/app';
import { loadConfig, REPO_ROOT } from '@ocs/infra/config';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

/** The small static site the tests deploy instead of web/build (which may not exist yet). */
export const FIXTURE_SITE = join(REPO_ROOT, 'test', 'fixtures', 'site');

/** A production-like configuration: custom domain with its certificate, alarm e-mail. */
export const PRODUCTION_CONTEXT = {
  region: 'eu-central-1',
  siteSource: FIXTURE_SITE,
  siteDomain: 'sign.example.eu',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  alarmEmail: 'ops@example.eu',
} as const;

export interface SynthOptions {
  /** Run esbuild on the real handler entries (slower). Default false: bundling is skipped. */
  readonly bundle?: boolean;
  readonly context?: Record<string, string>;
  readonly nag?: boolean;
}

export interface Synthesised {
  readonly app: App;
  readonly stacks: OcsStacks;
  readonly templates: Record<keyof OcsStacks, Template>;
}

/**
 * Builds and synthesises the whole app once. Without `bundle`, CDK's own switch
 * (`aws:cdk:bundling-stacks` = []) skips esbuild, the way `cdk synth --exclusively` does.
 */
export function synthOcs(options: SynthOptions = {}): Synthesised {
  const app = new App({
    context: {
      ...PRODUCTION_CONTEXT,
      ...options.context,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
    // Cross-region references need the account to be known.
    stackTraces: false,
  });
  const config = loadConfig(app.node, { CDK_DEFAULT_ACCOUNT: '123456789012' });
  const stacks = buildOcsApp(app, config, { nag: options.nag ?? false });
  // One synthesis for the whole app (Template.fromStack would synthesise it again per stack).
  const assembly = app.synth();
  const templates = Object.fromEntries(
    Object.entries(stacks).map(([name, stack]) => [
      name,
      Template.fromJSON(assembly.getStackArtifact((stack as Stack).artifactId).template),
    ]),
  ) as Record<keyof OcsStacks, Template>;
  return { app, stacks, templates };
}

/** Generous timeout for the beforeAll that synthesises (bundling included). */
export const SYNTH_TIMEOUT = 180_000;

/** Runs cdk-nag's AwsSolutionsChecks over the app and returns its unacknowledged findings. */
export function nagFindings(app: App) {
  return new AwsSolutionsChecks(app, { verbose: true }).validateScope(app).violations;
}

/** The resources of a given type in a template, as [logicalId, resource] pairs. */
export function resourcesOf(
  template: Template,
  type: string,
): [string, { Properties: Record<string, unknown>; DeletionPolicy?: string }][] {
  return Object.entries(template.findResources(type)) as [
    string,
    { Properties: Record<string, unknown>; DeletionPolicy?: string },
  ][];
}

/** An IAM or key policy statement as it appears in a template. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: { AWS?: unknown; Service?: unknown };
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every template of the app as JSON, by stack name. */
export function allTemplates(synth: Synthesised): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(synth.templates).map(([name, t]) => [name, t.toJSON()]));
}

/** Logical ids of the five keys (in the Keys stack). */
export function keyLogicalIds(synth: Synthesised) {
  const { keys } = synth.stacks;
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    keys.getLogicalId(construct.node.defaultChild as import('aws-cdk-lib').CfnElement);
  return {
    dataKey: id(keys.dataKey),
    secretsKey: id(keys.secretsKey),
    storageKey: id(keys.storageKey),
    originKey: id(keys.originKey),
    exportKey: id(keys.exportKey),
  };
}

/** The key policy statements of a key of the Keys stack. */
export function keyPolicy(synth: Synthesised, logicalId: string): Statement[] {
  const key = synth.templates.keys.toJSON().Resources[logicalId];
  return key.Properties.KeyPolicy.Statement as Statement[];
}

/** Every statement of every AWS::IAM::Policy in the app, with its policy resource and stack. */
export function iamStatements(synth: Synthesised) {
  return Object.entries(synth.templates).flatMap(([stack, template]) =>
    resourcesOf(template, 'AWS::IAM::Policy').flatMap(([logicalId, policy]) =>
      ((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement ?? []).map((statement) => ({
        stack,
        logicalId,
        policy: policy as { Properties: { Roles?: unknown; PolicyDocument: unknown } },
        statement,
      })),
    ),
  );
}

/** The one resource of a type in a template (fails unless there is exactly one). */
export function only(
  template: Template,
  type: string,
): { Properties: Record<string, unknown>; DeletionPolicy?: string } {
  const found = resourcesOf(template, type);
  if (found.length !== 1 || !found[0]) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0][1];
}
