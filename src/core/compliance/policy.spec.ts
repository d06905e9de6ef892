import { DomainError } from '../errors';
import { DEFAULT_POLICY, assertFrameworks, resolvePolicy, type PolicyOverrides } from './policy';
import { FRAMEWORK_IDS } from './types';

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('compliance policy', () => {
  it('defaults to the catalog conventions (four-fifths, 5-point gaps, alpha 0.05, n 30, PSI 0.10/0.25, 365 days)', () => {
    expect(DEFAULT_POLICY.thresholds).toMatchObject({
      irMin: 0.8,
      gapMax: 0.05,
      alpha: 0.05,
      nMin: 30,
      minEvents: 5,
      psiReview: 0.1,
      psiFail: 0.25,
      maxAgeDays: 365,
    });
    expect(DEFAULT_POLICY.frameworks).toEqual([...FRAMEWORK_IDS]);
    expect(DEFAULT_POLICY.suppressSmallCells).toBe(true);
  });

  it('applies overrides and keeps the rest', () => {
    const p = resolvePolicy({
      version: 4,
      frameworks: ['eeoc-ugesp', 'nyc-ll144'],
      thresholds: { irMin: 0.9 },
    });
    expect(p.version).toBe(4);
    expect(p.frameworks).toEqual(['eeoc-ugesp', 'nyc-ll144']);
    expect(p.thresholds.irMin).toBe(0.9);
    expect(p.thresholds.gapMax).toBe(0.05);
    // New thresholds without their own adoption date do not inherit the default's.
    expect(p.adoptedAt).toBeNull();
    expect(resolvePolicy({ thresholds: { irMin: 0.9 }, adoptedAt: '2026-01-01' }).adoptedAt).toBe(
      '2026-01-01',
    );
    expect(resolvePolicy({ version: 2 }).adoptedAt).toBe(DEFAULT_POLICY.adoptedAt);
  });

  it('rejects invalid overrides with invalid_input (HTTP 400) naming every bad field', () => {
    const overrides = {
      version: -1,
      frameworks: ['nist-ai-rmf', 'gdpr'],
      thresholds: { irMin: 1.5, nMin: 2.5, bogus: 1 },
      adoptedAt: 'yesterday',
    } as unknown as PolicyOverrides;
    const e = thrown(() => resolvePolicy(overrides));
    expect(e.code).toBe('invalid_input');
    expect(e.errors.map((x) => x.field).sort()).toEqual(
      [
        'adoptedAt',
        'frameworks',
        'thresholds.bogus',
        'thresholds.irMin',
        'thresholds.nMin',
        'version',
      ].sort(),
    );
    expect(e.errors.find((x) => x.field === 'frameworks')?.message).toContain('gdpr');
  });

  it('rejects a PSI review band at or above the fail band', () => {
    const e = thrown(() => resolvePolicy({ thresholds: { psiReview: 0.3 } }));
    expect(e.errors).toEqual([
      { field: 'thresholds.psiReview', message: 'must be below thresholds.psiFail' },
    ]);
  });

  it('assertFrameworks narrows known IDs and rejects unknown ones with invalid_input (HTTP 400)', () => {
    expect(assertFrameworks(['hipaa', 'hipaa', 'iso-42001'])).toEqual(['hipaa', 'iso-42001']);
    const e = thrown(() => assertFrameworks(['hipaa', 'sox', 'gdpr']));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain('sox, gdpr');
    expect(e.errors).toEqual([
      { field: 'frameworks', message: 'unknown framework "sox"' },
      { field: 'frameworks', message: 'unknown framework "gdpr"' },
    ]);
  });
});
