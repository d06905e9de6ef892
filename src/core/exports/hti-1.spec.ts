import { evaluateHti1Attributes } from '../compliance/rules/hti1-rules';
import { fairnessResult, type GroupSpec } from '../../../test/support/compliance-fixtures';
import { DEFAULT_DRIFT_THRESHOLDS } from '../drift/types';
import type { DataSource } from '../ingest/audit-config';
import { xmlText } from './chai-model-card';
import { HTI1_ATTRIBUTES } from './hti-1-attributes';
import { buildHti1Export, observedCadence } from './hti-1';
import { populationDrift } from './population';
import type { ExportAudit, ExportInput } from './types';
import { HTI1_PARAGRAPHS } from '../../../test/support/hti-1-paragraphs';

function audit(id: string, dataSource: DataSource, periodEnd: string, groups: GroupSpec[]): ExportAudit {
  return {
    id,
    name: id,
    dataSource,
    dataSourceDescription: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    periodStart: null,
    periodEnd,
    rowCount: groups.reduce((s, g) => s + g.n, 0),
    documentation: {},
    results: fairnessResult([{ attributes: ['race'], groups }]),
  };
}

const GROUPS: GroupSpec[] = [
  { name: 'White', n: 500, selected: 200 },
  { name: 'Black', n: 300, selected: 90 },
];

function input(
  audits: ExportAudit[],
  documentation: ExportInput['model']['documentation'] = {},
): ExportInput {
  return {
    exportId: 'e1',
    generatedAt: '2025-02-01T00:00:00.000Z',
    model: {
      id: 'm1',
      name: 'm',
      version: '1',
      description: null,
      documentation,
      createdAt: '2024-01-01T00:00:00.000Z',
    },
    audits,
    driftPolicy: { thresholds: DEFAULT_DRIFT_THRESHOLDS, overridden: false },
  };
}

describe('HTI-1 source attributes', () => {
  it("lists the 31 attributes in the regulation's order, in its words", () => {
    expect(HTI1_ATTRIBUTES.map((a) => a.id)).toEqual(HTI1_PARAGRAPHS);
    expect(HTI1_ATTRIBUTES.find((a) => a.id === '(B)(7)(ii)')?.title).toBe(
      'Fairness of intervention in test data derived from the same source as the initial training data',
    );
  });

  it('without audits or documentation every attribute is missing, and the summary lists them all first', () => {
    const doc = buildHti1Export(input([]));
    expect(doc.attributes.map((a) => a.source)).toEqual(Array(31).fill('missing'));
    expect(doc.summary.missingAttributes.map((m) => m.id)).toEqual(HTI1_PARAGRAPHS);
    expect(doc.summary.missingAttributes[0]?.howToFill).toContain('documentation.developer');
  });

  it('fills documentation attributes from the model fields, and leaves the others missing', () => {
    const doc = buildHti1Export(input([], { intendedUse: '  Triage  ', monitoringCadence: 'quarterly' }));
    const by = new Map(doc.attributes.map((a) => [a.id, a]));
    expect(by.get('(B)(2)(i)')).toMatchObject({ source: 'documentation', value: 'Triage' });
    // two fields: each named; one of them is enough to fill it
    expect(by.get('(B)(8)(i)')).toMatchObject({
      source: 'documentation',
      value: 'monitoringCadence: quarterly',
    });
    expect(by.get('(B)(2)(ii)')).toMatchObject({ source: 'missing', value: null });
    // intendedUse fills (B)(2)(i); monitoringCadence both (B)(8)(i) and (B)(8)(iii)
    expect(doc.summary).toMatchObject({ fromDocumentation: 3, fromAudits: 0, missing: 28 });
  });

  it('takes each measured attribute from the audits of its setting', () => {
    const training = audit('train', 'training', '2022-12-31', GROUPS);
    const internal = audit('int', 'internal_test', '2023-06-30', GROUPS);
    const external = audit('ext', 'external', '2023-09-30', GROUPS);
    const local1 = audit('loc1', 'local', '2024-01-31', GROUPS);
    const local2 = audit('loc2', 'local', '2024-03-01', GROUPS);
    const doc = buildHti1Export(input([local1, external, training, local2, internal]));
    const cited = (id: string) =>
      (doc.attributes.find((a) => a.id === id)?.evidence ?? []).map((e) => e.auditId);
    expect(cited('(B)(4)(iii)')).toEqual(['train']); // training before internal test
    expect(cited('(B)(7)(i)')).toEqual(['int']);
    expect(cited('(B)(7)(ii)')).toEqual(['int']);
    expect(cited('(B)(7)(iii)')).toEqual(['ext']);
    expect(cited('(B)(7)(iv)')).toEqual(['ext']);
    expect(cited('(B)(6)(iii)')).toEqual(['ext']);
    expect(cited('(B)(8)(ii)')).toEqual(['loc2']);
    expect(cited('(B)(8)(iv)')).toEqual(['loc2']);
    expect(cited('(B)(8)(i)')).toEqual(['loc1', 'loc2']);
    expect(cited('(B)(4)(iv)')).toEqual(['train', 'loc2']);
    // (B)(6)(i) needs a description of the external setting: none here
    expect(doc.attributes.find((a) => a.id === '(B)(6)(i)')?.source).toBe('missing');
    // the Black selection-rate ratio: (90/300) / (200/500) = 0.75
    const ratio = doc.attributes
      .find((a) => a.id === '(B)(7)(iv)')
      ?.evidence?.[0]?.metrics.find((m) => m.metric === 'selection_rate.ratio');
    expect(ratio).toBeUndefined(); // the fixture gives no ratio (null): nothing is invented
    const shares = doc.attributes.find((a) => a.id === '(B)(6)(iii)')?.evidence?.[0]?.metrics;
    expect(shares?.map((m) => [m.group?.race, m.value])).toEqual([
      ['White', 0.63], // 500/800 = 0.625, rounded half up at 2 decimals
      ['Black', 0.38], // 300/800 = 0.375
    ]);
  });

  it('never publishes a group of 1 to 10 people, nor the partner that would give it away', () => {
    const a = audit('ext', 'external', '2024-01-01', [
      { name: 'White', n: 500, selected: 200 },
      { name: 'Black', n: 300, selected: 90 },
      { name: 'Hispanic', n: 60, selected: 20 },
      { name: 'Asian', n: 7, selected: 3 },
    ]);
    const doc = buildHti1Export(input([a]));
    const shares = doc.attributes.find((x) => x.id === '(B)(6)(iii)')!;
    expect(shares.evidence?.[0]?.metrics.map((m) => m.group?.race)).toEqual(['White', 'Black']);
    expect(shares.value).toContain('2 group(s) not printed');
    expect(shares.value).not.toMatch(/Asian|Hispanic/);
  });

  it('observes the audit cadence: median of the days between local audits', () => {
    // 2024-01-31 → 2024-03-01: 30 days; → 2024-04-30: 60 days; median 45
    const local = ['2024-04-30', '2024-03-01', '2024-01-31'].map((d) => audit(d, 'local', d, GROUPS));
    expect(observedCadence(local)?.text).toContain(
      '3 local audits from 2024-01-31 to 2024-04-30, a median of 45 days apart (shortest 30, longest 60)',
    );
    expect(observedCadence(local.slice(0, 1))?.text).toContain('no cadence can be observed yet');
    expect(observedCadence([])).toBeNull();
  });

  it('measures population drift as the PSI of group shares', () => {
    const before = audit('a', 'training', '2024-01-01', [
      { name: 'White', n: 500, selected: 1 },
      { name: 'Black', n: 500, selected: 1 },
    ]);
    const after = audit('b', 'local', '2024-06-01', [
      { name: 'White', n: 600, selected: 1 },
      { name: 'Black', n: 400, selected: 1 },
    ]);
    // (0.6−0.5)·ln(0.6/0.5) + (0.4−0.5)·ln(0.4/0.5) = 0.0182321557 + 0.0223143551
    const d = populationDrift(before, after, DEFAULT_DRIFT_THRESHOLDS);
    expect(d?.checks[0]?.value).toBeCloseTo(0.0405465108, 9);
    expect(d?.checks[0]?.status).toBe('ok');
  });
});

describe('onc-hti-1 rule over the export', () => {
  const state = (source: 'audits' | 'documentation' | 'missing') => [
    { id: '(B)(1)(i)', source: 'documentation' as const, documentationFields: ['developer'] },
    { id: '(B)(1)(ii)', source, documentationFields: ['fundingSource'] },
  ];
  it('passes when every attribute is filled and fails naming the empty one', () => {
    expect(evaluateHti1Attributes(['(B)(1)(i)', '(B)(1)(ii)'], state('documentation')).status).toBe('pass');
    const fail = evaluateHti1Attributes(['(B)(1)(i)', '(B)(1)(ii)'], state('missing'));
    expect(fail.status).toBe('fail');
    expect(fail.rationale).toContain('(B)(1)(ii)');
    expect(fail.rationale).toContain('fundingSource');
    expect(evaluateHti1Attributes(['(B)(1)(i)'], undefined).status).toBe('not_applicable');
  });
});

describe('model card XML text', () => {
  it('escapes markup and drops characters XML 1.0 forbids', () => {
    expect(xmlText('a < b & c > d\u0001\u000be')).toBe('a &lt; b &amp; c &gt; de');
    expect(xmlText('keeps\ttabs\nand lines')).toBe('keeps\ttabs\nand lines');
  });
});

describe('HTI-1 and regression or multiclass audits', () => {
  const OTHERS: ExportInput['otherTaskAudits'] = [
    {
      id: 'reg1',
      name: 'LOS Q1',
      task: 'regression',
      dataSource: 'local',
      createdAt: '2025-01-02T00:00:00.000Z',
    },
    {
      id: 'mc1',
      name: null,
      task: 'multiclass',
      dataSource: 'external',
      createdAt: '2025-01-03T00:00:00.000Z',
    },
  ];

  it('names them in the validity and fairness attributes of their setting, and nowhere else', () => {
    const local = audit('loc', 'local', '2024-01-31', GROUPS);
    const doc = buildHti1Export({ ...input([local]), otherTaskAudits: OTHERS });
    const value = (id: string) => doc.attributes.find((a) => a.id === id)?.value ?? '';
    // (B)(8)(iv) local fairness: measured from the binary audit, and the regression audit named.
    expect(value('(B)(8)(iv)')).toContain(
      'Not summarised here: regression audit "LOS Q1" (reg1) on local data; this export\'s figures come from binary audits only',
    );
    expect(value('(B)(8)(iv)')).not.toContain('mc1');
    // (B)(7)(iv) external fairness: no binary external audit, so missing, and its howToFill names mc1.
    const missing = doc.summary.missingAttributes.find((m) => m.id === '(B)(7)(iv)');
    expect(missing?.howToFill).toContain('Not summarised here: multiclass audit mc1 on external data');
    // Attributes of other settings and documentation-only ones say nothing about them.
    expect(value('(B)(7)(ii)')).not.toContain('Not summarised');
    expect(JSON.stringify(buildHti1Export(input([local])))).not.toContain('Not summarised');
  });
});
