import { loadConfig } from '@ocs/infra/config';
import { nagSuppressions } from '@ocs/infra/nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { nagFindings, SYNTH_TIMEOUT, type Synthesised, synthOcs } from './support';

let synth: Synthesised;
beforeAll(() => {
  // nag: true registers AwsSolutionsChecks as a validation plugin: synthesis itself fails on a finding.
  synth = synthOcs({ nag: true });
}, SYNTH_TIMEOUT);

describe('cdk-nag AwsSolutionsChecks', () => {
  it('reports no unacknowledged finding, error or warning, over the whole app', () => {
    const findings = nagFindings(synth.app).map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });

  it('gives every acknowledged finding a reason of its own', () => {
    const suppressions = nagSuppressions(
      synth.stacks,
      loadConfig(synth.app.node, { CDK_DEFAULT_ACCOUNT: '123456789012' }),
    );
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) {
      expect(s.reason.length, s.ids.join()).toBeGreaterThanOrEqual(60);
      for (const id of s.ids) expect(id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
    }
  });

  it('acknowledges no finding on the data, keys or compute stacks (the certified core)', () => {
    const suppressions = nagSuppressions(
      synth.stacks,
      loadConfig(synth.app.node, { CDK_DEFAULT_ACCOUNT: '123456789012' }),
    );
    const paths = suppressions.map((s) => s.construct.node.path);
    expect(paths.filter((p) => /^ocs-(keys|compute)\//.test(p))).toEqual([]);
    // In the data stack only CDK's own custom-resource provider (the initiative seed) is acknowledged.
    expect(paths.filter((p) => p.startsWith('ocs-data/'))).toEqual([
      expect.stringMatching(/^ocs-data\/AWS679f53fac002430cb0da5b7982bd2287$/),
    ]);
  });
});
