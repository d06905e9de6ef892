import { CATALOG_VERSION, CONTROLS, FRAMEWORKS, frameworkControls } from './catalog';
import type { RuleKind, RuleSpec } from './rule-spec';
import { FRAMEWORK_IDS } from './types';

/** Every kind the engine knows; a Record so adding a kind without listing it here is a compile error. */
const ALL_KINDS: Record<RuleKind, true> = {
  fairness: true,
  impact_ratio: true,
  error_rate_gap: true,
  performance: true,
  calibration: true,
  drift: true,
  documentation: true,
  small_cells: true,
  record_keeping: true,
  predefined_thresholds: true,
  representation: true,
  attributes_present: true,
  monitoring: true,
  audit_age: true,
  mitigated: true,
  hti1_attributes: true,
  all: true,
};

const kindsOf = (rule: RuleSpec): RuleKind[] =>
  rule.kind === 'all' ? ['all', ...rule.rules.flatMap(kindsOf)] : [rule.kind];

describe('compliance catalog', () => {
  it('has a dated version', () => {
    expect(CATALOG_VERSION).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
  });

  it('describes exactly the frameworks of the API contract', () => {
    expect(FRAMEWORKS.map((f) => f.id)).toEqual([...FRAMEWORK_IDS]);
  });

  it('has a unique (framework, controlId) for every control', () => {
    const keys = CONTROLS.map((c) => `${c.framework}::${c.controlId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(FRAMEWORK_IDS)('has controls for %s', (id) => {
    expect(frameworkControls(id).length).toBeGreaterThan(0);
  });

  it('contains the controls the issue names, with IDs as the frameworks write them', () => {
    const ids = (fw: string) => CONTROLS.filter((c) => c.framework === fw).map((c) => c.controlId);
    expect(ids('nist-ai-rmf')).toEqual(
      expect.arrayContaining([
        'MAP 2.3',
        'MEASURE 2.1',
        'MEASURE 2.3',
        'MEASURE 2.4',
        'MEASURE 2.5',
        'MEASURE 2.10',
        'MEASURE 2.11',
        'MANAGE 4.1',
      ]),
    );
    expect(ids('eu-ai-act')).toEqual(
      expect.arrayContaining([
        'Art. 9(8)',
        'Art. 10(2)(f)',
        'Art. 10(2)(g)',
        'Art. 10(3)',
        'Art. 12',
        'Art. 15',
        'Art. 72',
      ]),
    );
    expect(ids('hhs-1557')).toEqual(['45 CFR 92.210(a)', '45 CFR 92.210(b)', '45 CFR 92.210(c)']);
    expect(ids('onc-hti-1')).toEqual([
      '45 CFR 170.315(b)(11)(iv)(B)(1)',
      '45 CFR 170.315(b)(11)(iv)(B)(2)',
      '45 CFR 170.315(b)(11)(iv)(B)(3)',
      '45 CFR 170.315(b)(11)(iv)(B)(4)',
      '45 CFR 170.315(b)(11)(iv)(B)(5)',
      '45 CFR 170.315(b)(11)(iv)(B)(6)',
      '45 CFR 170.315(b)(11)(iv)(B)(7)',
      '45 CFR 170.315(b)(11)(iv)(B)(8)',
      '45 CFR 170.315(b)(11)(iv)(B)(9)',
    ]);
    expect(ids('iso-42001')).toEqual(['A.5.4', 'A.6.2.4', 'A.6.2.6', 'A.7.4']);
    expect(ids('nyc-ll144')).toEqual(expect.arrayContaining(['6 RCNY 5-301(b)']));
    expect(ids('eeoc-ugesp')).toEqual(expect.arrayContaining(['29 CFR 1607.4(D)']));
    expect(ids('hipaa')).toEqual(['45 CFR 164.514(b)', 'CMS cell size suppression policy']);
  });

  it('gives every control a title, a description, coded evidence and a rule', () => {
    for (const c of CONTROLS) {
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.description.length).toBeGreaterThan(20);
      expect(c.evidence.length).toBeGreaterThan(0);
      expect(
        c.evidence.some(
          (e) => /^E-(GRP|IR|DRIFT|DQ|DOC|LOG)/.test(e) || e.startsWith('Report') || e.startsWith('Audited'),
        ),
      ).toBe(true);
    }
  });

  it('uses every rule kind the engine has', () => {
    const used = new Set(CONTROLS.flatMap((c) => kindsOf(c.rule)));
    expect([...used].sort()).toEqual(Object.keys(ALL_KINDS).sort());
  });

  it('applies R-FAIR (impact ratios and FNR/FPR gaps) and calibration by group to MEASURE 2.11, and the four-fifths rule with significance', () => {
    const rule = (id: string) => CONTROLS.find((c) => c.controlId === id)?.rule;
    expect(rule('MEASURE 2.11')).toEqual({
      kind: 'all',
      rules: [
        { kind: 'fairness', gapMetrics: ['false_negative_rate', 'false_positive_rate'] },
        { kind: 'calibration' },
      ],
    });
    expect(rule('Art. 15')).toMatchObject({
      kind: 'all',
      rules: expect.arrayContaining([{ kind: 'calibration' }]),
    });
    expect(rule('29 CFR 1607.4(D)')).toEqual({
      kind: 'impact_ratio',
      rate: 'selection_rate',
      requireSignificance: true,
    });
  });
});
