import type { ControlOutcome } from '../client';
import { gateVerdict } from './audit-summary';

const outcome = (
  framework: ControlOutcome['framework'],
  controlId: string,
  status: ControlOutcome['status'],
) =>
  ({
    framework,
    controlId,
    title: controlId,
    status,
    evidence: [],
    rationale: '',
    policyVersion: 0,
    catalogVersion: '2026.11.1',
  }) satisfies ControlOutcome;

describe('gateVerdict', () => {
  it('fails on a failing control of the gated frameworks, naming it', () => {
    const v = gateVerdict(
      ['eeoc-ugesp'],
      [
        outcome('eeoc-ugesp', '29 CFR 1607.4(D)', 'fail'),
        outcome('eeoc-ugesp', '29 CFR 1607.4(B)', 'review'),
      ],
    );
    expect(v.passed).toBe(false);
    expect(v.message).toBe('Gate FAILED: 1 control of eeoc-ugesp fails (eeoc-ugesp 29 CFR 1607.4(D)).');
  });

  it('passes when only review or other frameworks fail, counting reviews of the gated ones', () => {
    const v = gateVerdict(
      ['eeoc-ugesp'],
      [
        outcome('eeoc-ugesp', '29 CFR 1607.4(B)', 'review'),
        outcome('hipaa', '45 CFR 164.514(b)', 'fail'),
        outcome('hipaa', 'CMS', 'review'),
      ],
    );
    expect(v.passed).toBe(true);
    expect(v.failed).toEqual([]);
    expect(v.message).toBe('Gate passed: no control of eeoc-ugesp fails (1 needs review).');
  });
});
