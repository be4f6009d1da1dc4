import { CfnResource, type IAspect, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * AWS regions located in a Member State of the European Union. Regions elsewhere in Europe are
 * deliberately absent: eu-west-2 (London) and eu-central-2 (Zurich) are outside the EU. Personal
 * data must be stored in the Member State whose authority certifies the system.
 */
export const EU_REGIONS = {
  'eu-central-1': 'Frankfurt, Germany',
  'eu-west-1': 'Dublin, Ireland',
  'eu-west-3': 'Paris, France',
  'eu-north-1': 'Stockholm, Sweden',
  'eu-south-1': 'Milan, Italy',
  'eu-south-2': 'Aragón, Spain',
} as const;

export type EuRegion = keyof typeof EU_REGIONS;

export const DEFAULT_REGION: EuRegion = 'eu-central-1';

/**
 * CloudFront is global, and its web ACLs and viewer certificates can only live in us-east-1. The
 * one stack allowed there holds the WAF web ACL and nothing that stores personal data.
 */
export const EDGE_REGION = 'us-east-1';

export function isEuRegion(region: string): region is EuRegion {
  return Object.hasOwn(EU_REGIONS, region);
}

/** Throws a readable error unless `region` is an EU region. */
export function assertEuRegion(region: string | undefined, where = 'region'): asserts region is EuRegion {
  if (region === undefined || Token.isUnresolved(region) || !isEuRegion(region)) {
    const allowed = Object.entries(EU_REGIONS)
      .map(([name, place]) => `${name} (${place})`)
      .join(', ');
    throw new Error(
      `Refusing to synthesise: ${where} is ${region === undefined ? 'not set' : `'${region}'`}, which is not an ` +
        `AWS region inside the European Union. Statements of support must be stored in an EU Member State ` +
        `(Regulation (EU) 2019/788). Choose one of: ${allowed}; for example \`npx cdk deploy --all -c region=eu-central-1\`.`,
    );
  }
}

/** Resource types the edge stack (us-east-1) may contain: the web ACL and CDK's cross-region plumbing. */
const EDGE_ALLOWED_TYPES = [
  /^AWS::WAFv2::/,
  /^AWS::CDK::Metadata$/,
  /^Custom::CrossRegionExportWriter$/,
  /^AWS::Lambda::Function$/,
  /^AWS::IAM::Role$/,
  /^AWS::IAM::Policy$/,
];

const edgeStacks = new WeakSet<Stack>();

/** Marks the one stack that lives in us-east-1 because CloudFront requires it (the WAF web ACL). */
export function markEdgeStack(stack: Stack): void {
  edgeStacks.add(stack);
}

export function isEdgeStack(stack: Stack): boolean {
  return edgeStacks.has(stack);
}

/**
 * Aspect that checks every stack of the app: each is pinned to an EU region, except the stack
 * marked as the edge stack, which must be in us-east-1 and may hold only the resource types above.
 */
export class EuRegionGuard implements IAspect {
  visit(node: IConstruct): void {
    if (!Stack.isStack(node)) return;
    if (!isEdgeStack(node)) {
      assertEuRegion(node.region, `the region of stack ${node.stackName}`);
      return;
    }
    if (node.region !== EDGE_REGION) {
      throw new Error(`The edge stack ${node.stackName} must be in ${EDGE_REGION}, not '${node.region}'.`);
    }
    for (const child of node.node.findAll()) {
      if (!CfnResource.isCfnResource(child) || Stack.of(child) !== node) continue;
      if (!EDGE_ALLOWED_TYPES.some((re) => re.test(child.cfnResourceType))) {
        throw new Error(
          `${child.node.path} (${child.cfnResourceType}) may not be created in ${EDGE_REGION}: ` +
            'outside the EU the app deploys the CloudFront web ACL only.',
        );
      }
    }
  }
}
