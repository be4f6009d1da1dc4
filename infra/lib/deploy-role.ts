import { DefaultStackSynthesizer, Fn, type Stack } from 'aws-cdk-lib';

/**
 * ARN of the role CloudFormation assumes to deploy `stack`: the CDK bootstrap's execution role
 * (`cdk-<qualifier>-cfn-exec-role-<account>-<region>`), which `cdk deploy` passes as the stack's
 * service role. CloudFormation resolves a stack's `{{resolve:secretsmanager:...}}` dynamic
 * references as that role, so a secret read that way must let it in (and nobody else but the
 * secret's own readers). An `Fn::Sub`, so it names the deployment's own account and partition.
 */
export function cloudFormationExecutionRoleArn(stack: Stack): string {
  const synthesizer = stack.synthesizer;
  if (!(synthesizer instanceof DefaultStackSynthesizer)) {
    throw new Error(
      `${stack.stackName} must use the DefaultStackSynthesizer (CDK bootstrap roles): the origin secret's ` +
        'policies name the CloudFormation execution role that resolves its dynamic reference.',
    );
  }
  return Fn.sub(synthesizer.cloudFormationExecutionRoleArn);
}
