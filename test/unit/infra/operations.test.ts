import { AUDIT_TRAIL_DAYS, KMS_QUOTA_ALARM_PERCENT } from '@ocs/infra/stacks/operations-stack';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { only, resourcesOf, SYNTH_TIMEOUT, type Synthesised, synthOcs } from './support';

type Alarm = {
  Properties: Record<string, unknown> & { AlarmActions: unknown[]; Metrics?: Record<string, unknown>[] };
};
let synth: Synthesised;
let alarms: [string, Alarm][];
let topicId: string;
beforeAll(() => {
  synth = synthOcs();
  alarms = resourcesOf(synth.templates.operations, 'AWS::CloudWatch::Alarm') as [string, Alarm][];
  topicId = resourcesOf(synth.templates.operations, 'AWS::SNS::Topic')[0]?.[0] ?? '';
}, SYNTH_TIMEOUT);

const alarm = (prefix: string) => {
  const found = alarms.find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`alarm ${prefix} not found`);
  return found[1].Properties;
};

describe('Operations stack: alarms', () => {
  it('notifies one SNS topic (encrypted, TLS-only, e-mail subscription) from every alarm, on alarm and on recovery', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(13);
    for (const [id, a] of alarms) {
      expect(a.Properties.AlarmActions, id).toEqual([{ Ref: topicId }]);
      expect(a.Properties.OKActions, id).toEqual([{ Ref: topicId }]);
    }
    synth.templates.operations.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::ImportValue': Match.stringLikeRegexp('StorageKey') },
    });
    synth.templates.operations.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.eu',
    });
    const topicPolicy = resourcesOf(synth.templates.operations, 'AWS::SNS::TopicPolicy')[0]?.[1];
    expect(JSON.stringify(topicPolicy)).toContain('"aws:SecureTransport":"false"');
  });

  it('alarms at 50% of the KMS cryptographic request quota (Service Quotas)', () => {
    const kms = alarm('KmsRequestQuota');
    expect(kms.Threshold).toBe(KMS_QUOTA_ALARM_PERCENT);
    expect(kms.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    const metrics = kms.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: Record<string, unknown> };
    }[];
    const expression = metrics.find((m) => m.Expression)?.Expression;
    expect(expression).toMatch(/SERVICE_QUOTA\(kms0\)/);
    expect(expression).toMatch(/\/ 60/);
    const operations = metrics
      .filter((m) => m.MetricStat)
      .map((m) => {
        const metric = m.MetricStat?.Metric as {
          Namespace: string;
          MetricName: string;
          Dimensions: { Name: string; Value: string }[];
        };
        expect(metric.Namespace).toBe('AWS/Usage');
        expect(metric.MetricName).toBe('CallCount');
        return Object.fromEntries(metric.Dimensions.map((d) => [d.Name, d.Value]));
      });
    expect(operations.map((d) => d.Resource).sort()).toEqual(['Decrypt', 'Encrypt', 'GenerateDataKey']);
    for (const d of operations) expect(d).toMatchObject({ Service: 'KMS', Type: 'API', Class: 'None' });
  });

  it('alarms on Lambda concurrency: the submit function near its reservation, and the account near its limit', () => {
    expect(alarm('SubmitConcurrency')).toMatchObject({ MetricName: 'ConcurrentExecutions', Threshold: 80 });
    expect(alarm('AccountConcurrency')).toMatchObject({ MetricName: 'ConcurrentExecutions', Threshold: 800 });
    expect(alarm('AccountConcurrency').Dimensions).toBeUndefined();
    for (const fn of ['getInitiative', 'getProgress', 'getChallenge', 'submitStatement', 'verifyOrigin']) {
      expect(alarm(`${fn}Throttles`)).toMatchObject({ MetricName: 'Throttles' });
      expect(alarm(`${fn}Errors`)).toMatchObject({ MetricName: 'Errors' });
    }
  });

  it('alarms when more than 1% of API responses are 5xx', () => {
    const api = alarm('Api5xxRate');
    expect(api.Threshold).toBe(1);
    const metrics = api.Metrics as { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
    expect(
      metrics
        .map((m) => m.MetricStat?.Metric.MetricName)
        .filter(Boolean)
        .sort(),
    ).toEqual(['5xx', 'Count']);
    expect(metrics.find((m) => m.Expression)?.Expression).toBe(
      'IF(requests > 0, 100 * errors / requests, 0)',
    );
  });

  it('alarms on any DynamoDB read or write throttling of the table', () => {
    expect(alarm('TableReadThrottleEvents')).toMatchObject({
      MetricName: 'ReadThrottleEvents',
      Threshold: 1,
    });
    expect(alarm('TableWriteThrottleEvents')).toMatchObject({
      MetricName: 'WriteThrottleEvents',
      Threshold: 1,
    });
  });
});

describe('Operations stack: audit trail', () => {
  it('records all management events, KMS included, in every region, with log file validation', () => {
    const trail = only(synth.templates.operations, 'AWS::CloudTrail::Trail');
    expect(trail.Properties).toMatchObject({
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
    });
    const selectors = trail.Properties.EventSelectors as Record<string, unknown>[] | undefined;
    for (const s of selectors ?? []) {
      expect(s).toMatchObject({ IncludeManagementEvents: true, ReadWriteType: 'All' });
      expect(s.ExcludeManagementEventSources ?? []).not.toContain('kms.amazonaws.com');
    }
    expect(synth.stacks.operations.region).toBe('eu-central-1');
  });

  it('keeps the trail in a private, versioned, TLS-only EU bucket for a bounded time', () => {
    const bucket = resourcesOf(synth.templates.operations, 'AWS::S3::Bucket').find(([, b]) =>
      JSON.stringify(b.Properties.LifecycleConfiguration).includes('expire-audit-trail'),
    )?.[1];
    expect(bucket?.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: AUDIT_TRAIL_DAYS })] },
      LoggingConfiguration: expect.anything(),
    });
  });

  it('alarms at once when a key is disabled, scheduled for deletion or has its policy changed', () => {
    const rule = only(synth.templates.operations, 'AWS::Events::Rule');
    expect(rule.Properties).toMatchObject({
      EventPattern: {
        source: ['aws.kms'],
        detail: { eventName: ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy'] },
      },
      Targets: [expect.objectContaining({ Arn: { Ref: topicId } })],
    });
    expect(
      (rule.Properties.EventPattern as { detail: { resources: { ARN: unknown[] } } }).detail.resources.ARN,
    ).toHaveLength(5);
  });
});
