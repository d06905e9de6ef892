import { controlRationale } from './compliance-view';
import { FINGERPRINT_PLACEHOLDER, overallVerdict } from './labels';
import { SuppressionIndex } from './suppression-index';
import { buildReportViewModel } from './view-model';
import { TINY_GROUP, sampleReportInput } from '../../../test/support/report-fixture';
import type { ReportInput } from './types';
import type { ChartModel } from './charts';

/** Every group a chart plots: series with points (timelines) and the categories of points (disparity rows). */
const plotted = (chart: ChartModel): string[] =>
  chart.series.flatMap((s) => [
    ...(s.points.length > 0 && s.line ? [s.label] : []),
    ...s.points.flatMap((p) =>
      [p.x, p.y].filter((v): v is string => typeof v === 'string' && chart.kind === 'disparity'),
    ),
  ]);

/** Every string in a value, with its path. */
function strings(
  v: unknown,
  path = '$',
  out: { path: string; s: string }[] = [],
): { path: string; s: string }[] {
  if (typeof v === 'string') out.push({ path, s: v });
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) strings(x, `${path}.${k}`, out);
  return out;
}

/** Standalone integers 1..10 in a text, after removing things that are not counts. */
function smallIntegers(text: string, controlIds: string[]): string[] {
  let t = text;
  for (const id of controlIds) t = t.split(id).join(' ');
  t = t
    .replace(/\b\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?\b/g, ' ') // ISO dates
    .replace(
      /\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b/g,
      ' ',
    )
    .replace(/\b[0-9a-f]{32,64}\b/g, ' ') // hashes
    .replace(/\d+\.\d+(\.\d+)*/g, ' ') // decimals and versions
    .replace(/\d{1,3}(,\d{3})+/g, ' ') // counts above 999
    .replace(/\d+ (pass|fail|need|needs|not applicable|controls|slices)\b/g, ' ') // numbers of controls and slices, not people
    .replace(/\d+%/g, ' ')
    .replace(/≤10/g, ' ')
    .replace(/\b1 to 10\b/g, ' ')
    .replace(/Audit \d+/g, ' ')
    .replace(/\brpt-[\w-]+|aud-\w+|Q1 2026|18–39|40–64/g, ' ');
  return t.match(/(?<![\w.])(10|[1-9])(?![\w.])/g) ?? [];
}

describe('buildReportViewModel', () => {
  const input = sampleReportInput();
  const vm = buildReportViewModel(input);

  it('gives the overall verdict from the controls', () => {
    expect(vm.cover.verdict).toBe('fail');
    expect(vm.cover.verdictLabel).toBe('Fails');
    expect(overallVerdict([{ status: 'pass' }, { status: 'review' }, { status: 'not_applicable' }])).toBe(
      'review',
    );
    expect(overallVerdict([{ status: 'pass' }, { status: 'not_applicable' }])).toBe('pass');
    expect(overallVerdict([{ status: 'review' }, { status: 'fail' }])).toBe('fail');
    const passing = buildReportViewModel({
      ...input,
      controls: input.controls.map((c) => ({ ...c, status: 'pass' as const })),
    });
    expect(passing.cover.verdictLabel).toBe('Passes');
  });

  it('puts the worst finding first, tied to the controls it affects', () => {
    const f = vm.executiveSummary.findings;
    expect(f).toHaveLength(3);
    // Black/White selection: (140+122)/900 vs (500+460)/2400 = 0.2911/0.4 = 0.7278 → "73%"
    expect(f[0]?.text).toBe(
      'Black patients receive a positive prediction at 73% of the rate of White patients (below the 80% four-fifths threshold; statistically significant, adjusted p < 0.001). Affects: MEASURE 2.11, 45 CFR 92.210(b), 29 CFR 1607.4(D).',
    );
    expect(f[0]?.controlIds).toEqual(['MEASURE 2.11', '45 CFR 92.210(b)', '29 CFR 1607.4(D)']);
    const rank = { fail: 2, review: 1, info: 0 } as const;
    for (let i = 1; i < f.length; i++)
      expect(rank[f[i - 1]?.severity ?? 'info']).toBeGreaterThanOrEqual(rank[f[i]?.severity ?? 'info']);
    // The race impact-ratio drift rests on Asian (300 people, withheld as the tiny group's partner): not a
    // finding with figures; the drift table says why it is suppressed.
    expect(f.some((x) => x.text.startsWith('Drift (race'))).toBe(false);
    expect(vm.drift.checks.find((c) => c.subject === 'race · Impact ratio')?.message).toBe(
      'A change was detected; details are suppressed because the summary rests on a group whose figures are suppressed.',
    );
    expect(f.some((x) => x.text.includes(TINY_GROUP))).toBe(false);
  });

  it('names groups whose name holds a number as a group, so it does not read as a count', () => {
    const ages = buildReportViewModel({
      ...input,
      controls: [],
      drift: null,
      result: {
        ...input.result,
        slices: input.result.slices.filter((s) => s.attributes.join() === 'age_band'),
      },
    });
    expect(ages.executiveSummary.findings.map((f) => f.text)).toEqual([
      'Patients in the age_band group "65 and over" receive a positive prediction at 1.37 times the rate of patients in the age_band group "40–64" (above the fairness band\'s upper limit of 1.25; statistically significant, adjusted p < 0.001).',
    ]);
  });

  it('prints the tiny group as ≤10 and hides its complement, with every rate suppressed', () => {
    const race = vm.slices.find((s) => s.title === 'race');
    const tiny = race?.rows.find((r) => r.label === TINY_GROUP);
    expect(tiny?.count).toBe('≤10');
    expect(tiny?.cells.every((c) => c.text === 'suppressed')).toBe(true);
    // complementary: Asian (300) is the next-smallest group of the race slice; it is hidden, not called ≤10
    const asian = race?.rows.find((r) => r.label === 'Asian');
    expect(asian?.count).toBe('suppressed');
    expect(asian?.cells.every((c) => c.text === 'suppressed')).toBe(true);
    expect(race?.rows.find((r) => r.label === 'Black')?.count).toBe('900');
    expect(race?.rows.find((r) => r.label === 'White')?.cells[0]?.text).toBe('0.40 (0.38–0.42)'); // 960/2400, Wilson
    expect(vm.suppressionApplied).toBe(true);
    expect(vm.methodology.suppressionStatement).toContain('no count from 1 to 10 is printed');
  });

  it('never prints a count from 1 to 10 anywhere in the view model', () => {
    const ids = input.controls.map((c) => c.controlId);
    const found = strings(vm)
      .filter((x) => !x.path.endsWith('$schema'))
      .map((x) => ({ ...x, n: smallIntegers(x.s, ids) }))
      .filter((x) => x.n.length > 0)
      .map((x) => `${x.path}: ${x.s}`);
    // The only standalone small integers left are known non-count phrases.
    const allowed = [
      /policy version 3/,
      /denominator below 5/,
      /expected cell is below 5/,
      /A ratio of 1 means parity/,
      /line at 1 = parity/,
    ];
    expect(found.filter((f) => !allowed.some((a) => a.test(f)))).toEqual([]);
    const json = JSON.stringify(vm);
    expect(json).not.toMatch(/\b6 patients/);
    // the tiny group's control: a sentence from the same facts, without the figure, with the true reason
    expect(json).toContain(
      'The control needs review on the selection rate of the group American Indian or Alaska Native; the figure is not printed because the group has 1 to 10 people.',
    );
    // the tiny group is absent from every chart's data
    for (const t of vm.drift.trends) expect(plotted(t.chart)).not.toContain(TINY_GROUP);
    for (const s of vm.slices) if (s.chart) expect(plotted(s.chart)).not.toContain(TINY_GROUP);
  });

  it('computes slice summaries over the groups of at least minGroupSize whose rates are shown, naming the rest', () => {
    const inter = vm.slices.find((s) => s.title === 'race × sex');
    // shown groups: White F 500/1250 = 0.4, White M 460/1150 = 0.4, Black F 140/480, Black M 122/420 = 0.29048
    // → 0.29048 / 0.4 = 0.726; the tiny cells (≤10) and their partners Asian × Female/Male are left out
    expect(inter?.summaryLines[0]).toBe('Demographic parity ratio: 0.73');
    expect(inter?.summaryLines.at(-1)).toBe(
      `Summaries are over the groups with at least 30 people whose rates are shown; left out: ${TINY_GROUP} × Female, ${TINY_GROUP} × Male (fewer than 30 people); Asian × Female, Asian × Male (figures suppressed).`,
    );
    const sex = vm.slices.find((s) => s.title === 'sex');
    // 699/1894 vs 633/1712: 0.36906 / 0.36974 = 0.998
    expect(sex?.summaryLines[0]).toBe('Demographic parity ratio: 1.00');
  });

  it('lists drift checks that are not ok, replacing details of a suppressed group', () => {
    expect(vm.drift.okCount).toBe(2);
    expect(vm.drift.checks.map((c) => c.statusLabel)).toEqual(['Alert', 'Alert', 'Warning', 'Warning']);
    const tiny = vm.drift.checks.find((c) => c.subject.startsWith(TINY_GROUP));
    expect(tiny?.message).toBe(
      'A change was detected; details are suppressed because the group has 1 to 10 people.',
    );
    expect(vm.drift.trends[0]?.title).toBe(
      'Impact ratio by attribute across audits (groups of at least 30 people)',
    );
  });

  it('leaves out of a trend a group whose rate is suppressed in this audit, though its count is shown', () => {
    // Male: 1,707 of 1,712 selected leaves 5 not selected, so the rate is suppressed (and Female's with it).
    const input2 = sampleReportInput({ timelinePoints: 4 });
    const sexSlice = input2.result.slices.find((s) => s.attributes.join() === 'sex')!;
    const male = sexSlice.groups.find((g) => g.key.sex === 'Male')!;
    male.metrics.selection_rate = { ...male.metrics.selection_rate!, value: 1707 / 1712, numerator: 1707 };
    const v = buildReportViewModel(input2);
    expect(v.slices.find((s) => s.title === 'sex')?.rows.find((r) => r.label === 'Male')?.count).toBe(
      '1,712',
    );
    const trend = v.drift.trends.find((t) => t.title === 'Selection rate by sex across audits');
    expect(trend).toBeDefined();
    expect(plotted(trend!.chart)).not.toContain('Male');
    expect(trend?.note).toContain('Male');
    // The fixture's own trend keeps both groups.
    const sex = vm.drift.trends.find((t) => t.title === 'Selection rate by sex across audits');
    expect(plotted(sex!.chart)).toContain('Male');
  });

  it('groups controls by framework in catalog order', () => {
    expect(vm.compliance.frameworks.map((f) => f.framework)).toEqual([
      'nist-ai-rmf',
      'hhs-1557',
      'eeoc-ugesp',
    ]);
    expect(vm.compliance.frameworks[0]?.counts).toBe('2 pass, 1 fail, 1 need review');
    const c = vm.compliance.frameworks[1]?.controls.find((x) => x.controlId === '45 CFR 92.210(a)');
    expect(c?.statusLabel).toBe('Needs review');
    expect(c?.evidence).toBe(`Selection rate for ${TINY_GROUP}: suppressed (group of 1 to 10); n ≤10`);
  });

  it('says so when no suppression is needed, and prints a placeholder fingerprint', () => {
    const noTiny: ReportInput = {
      ...input,
      report: { ...input.report, fingerprint: null },
      result: {
        ...input.result,
        slices: input.result.slices
          .filter((s) => s.attributes.length === 1)
          .map((s) => ({ ...s, groups: s.groups.filter((g) => g.key.race !== TINY_GROUP) })),
      },
      drift: null,
      timeline: [],
    };
    const v = buildReportViewModel(noTiny);
    expect(v.suppressionApplied).toBe(false);
    expect(v.executiveSummary.overview[2]).toBe(
      'No small-cell suppression was needed: every count shown is 0 or above 10.',
    );
    expect(v.cover.fingerprint).toBe(FINGERPRINT_PLACEHOLDER);
    expect(v.drift.notes).toEqual([
      'No baseline audit to compare with: drift was not assessed.',
      'No earlier audits of this model: there is no trend to show yet.',
    ]);
  });

  it('names the ratio interval as the result computed it, not a fixed 95% Koopman', () => {
    const ratioNote = (v: ReturnType<typeof buildReportViewModel>) =>
      v.slices[0]?.notes.find((n) => n.startsWith('Ratio:'));
    const withIntervals = (confidenceLevel: number, ratio: 'koopman' | 'katz') =>
      buildReportViewModel({
        ...input,
        result: {
          ...input.result,
          conventions: {
            ...input.result.conventions,
            confidenceLevel,
            intervals: { ...input.result.conventions.intervals, ratio },
          },
        },
      });
    expect(ratioNote(withIntervals(0.95, 'koopman'))).toContain('with its 95% Koopman score interval;');
    const katz90 = withIntervals(0.9, 'katz');
    expect(ratioNote(katz90)).toContain('with its 90% Katz log interval;');
    expect(ratioNote(katz90)).not.toContain('95%');
  });
});

describe('audit-trail head in the provenance', () => {
  const head = {
    seq: '42',
    hash: 'ab'.repeat(32),
    createdAt: '2026-12-05T23:56:17.123000Z',
    signature: 'c2ln'.repeat(22),
    keyId: '3f9a0c2b7d4e1f68',
  };

  it('prints the signed head in full when the input has one, and nothing otherwise', () => {
    const withHead = buildReportViewModel({ ...sampleReportInput(), trailHead: head });
    const item = withHead.methodology.provenance.find((p) => p.term === 'Audit trail head');
    expect(item?.text).toBe(
      `Audit trail event 42 of 2026-12-05T23:56:17.123000Z, hash ${'ab'.repeat(32)}. Ed25519 signature ${'c2ln'.repeat(22)} (key 3f9a0c2b7d4e1f68) over the organization, seq and hash. Send it to POST /v1/audit-events/verify to prove the trail up to this event is unchanged.`,
    );
    const without = buildReportViewModel(sampleReportInput());
    expect(without.methodology.provenance.some((p) => p.term === 'Audit trail head')).toBe(false);
  });

  it('says people, not rows, when the audit was a table of counts, and names the count column', () => {
    const rowsOf = (input: ReportInput) =>
      buildReportViewModel(input).methodology.provenance.find((p) => p.term === 'Rows')?.text;
    const plain = sampleReportInput();
    const people = plain.audit.rowCount.toLocaleString('en-US');
    expect(rowsOf(plain)).toBe(`${people} rows uploaded; ${people} analysed`);
    const counted: ReportInput = {
      ...plain,
      audit: { ...plain.audit, columnsUsed: { ...plain.audit.columnsUsed, count: 'n' } },
    };
    expect(rowsOf(counted)).toBe(
      `${people} people uploaded as a table of counts (column n: each row stands for that many people); ${people} analysed`,
    );
    const columns = buildReportViewModel(counted).methodology.provenance.find(
      (p) => p.term === 'Columns used',
    );
    expect(columns?.text).toContain('score: risk_score; count: n; sensitive attributes');
  });

  it('says so when the trail was empty', () => {
    const empty = { ...head, seq: '0', hash: '0'.repeat(64), createdAt: null };
    const vm = buildReportViewModel({ ...sampleReportInput(), trailHead: empty });
    expect(vm.methodology.provenance.find((p) => p.term === 'Audit trail head')?.text).toMatch(
      /^The audit trail was empty \(seq 0\)\. Ed25519 signature /,
    );
  });
});

describe('controlRationale: the words of a control as published', () => {
  const idx = new SuppressionIndex(sampleReportInput().result.slices);
  const ir = (race: string) => ({
    metric: 'impact_ratio',
    attributes: ['race'],
    group: { race },
    value: 0.29,
    threshold: 0.8,
    count: 300,
  });

  it('drops the figures of a group whose rate is suppressed when a later evidence item is the one explained, and says why', () => {
    const text = controlRationale(
      {
        status: 'review',
        evidence: [{ metric: 'documentation.mitigations', value: 'missing' }, ir('Asian')],
        rationale:
          'No mitigation is recorded: for race, the group Asian receives the favourable outcome at 29% of the rate of the most-favoured group (White), below the 80% four-fifths threshold.',
      },
      idx,
    );
    expect(text).toBe(
      'No mitigation is recorded: for race, the group Asian receives the favourable outcome at a share (not printed) of the rate of the most-favoured group (White), below the 80% four-fifths threshold. (The figure for Asian is not printed because its figures are withheld so that a smaller group of 1 to 10 people cannot be worked out from the totals.)',
    );
  });

  it('leaves a shown group\'s figures and a policy limit alone (no "≤10-percentage-point")', () => {
    const rationale =
      'For race, the false negative rate of the group Black differs from the reference group (White) by 12 percentage points, more than the 10-percentage-point limit.';
    expect(
      controlRationale(
        { status: 'fail', evidence: [ir('Black'), { ...ir(TINY_GROUP), count: 10 }], rationale },
        idx,
      ),
    ).toBe(rationale);
  });
});

describe('overall verdict with controls the data cannot decide', () => {
  it('is inconclusive, not a pass, when no control fails or needs review but one is inconclusive', () => {
    expect(
      overallVerdict([{ status: 'pass' }, { status: 'inconclusive' }, { status: 'not_applicable' }]),
    ).toBe('inconclusive');
    expect(overallVerdict([{ status: 'inconclusive' }, { status: 'review' }])).toBe('review');
    expect(overallVerdict([{ status: 'inconclusive' }, { status: 'fail' }])).toBe('fail');
    expect(overallVerdict([{ status: 'pass' }, { status: 'not_applicable' }])).toBe('pass');
  });

  it('says so on the cover, with the number of undecided controls', () => {
    const input = sampleReportInput();
    const controls: ReportInput['controls'] = input.controls.map((c, k) => ({
      ...c,
      status: k === 0 ? 'inconclusive' : c.status === 'not_applicable' ? 'not_applicable' : 'pass',
    }));
    const vm = buildReportViewModel({ ...input, controls });
    expect(vm.cover.verdict).toBe('inconclusive');
    expect(vm.cover.verdictLabel).toBe('Inconclusive');
    expect(vm.cover.verdictExplanation).toBe(
      "No control fails or needs review, but the data cannot decide 1 control: each one's rationale says how many more people would decide it.",
    );
  });
});

describe('drift section: led by the changes that matter', () => {
  it('lists at most 12 checks, alerts first then the larger statistic, and counts the rest truthfully', () => {
    const input = sampleReportInput();
    const warnings = Array.from({ length: 18 }, (_, i) => ({
      kind: 'score' as const,
      statistic: 'psi' as const,
      value: 0.1 + i / 1000,
      status: 'warning' as const,
      message: `The score distribution moved a little (case ${String.fromCharCode(65 + i)}).`,
    }));
    const alerts = [0.3, 0.5].map((value) => ({
      kind: 'score' as const,
      statistic: 'psi' as const,
      value,
      status: 'alert' as const,
      message: `The score distribution moved strongly (PSI ${value}).`,
    }));
    const vm = buildReportViewModel({
      ...input,
      drift: { ...input.drift!, checks: [...warnings, ...alerts] },
    });
    expect(vm.drift.attentionCount).toBe(20);
    expect(vm.drift.checks).toHaveLength(12);
    expect(vm.drift.checks.slice(0, 2).map((c) => c.message)).toEqual([
      'The score distribution moved strongly (PSI 0.5).',
      'The score distribution moved strongly (PSI 0.3).',
    ]);
    // The ten warnings shown are the ten largest: values 0.117 down to 0.108 (cases R down to I).
    expect(vm.drift.checks[2]!.message).toContain('case R');
    expect(vm.drift.checks[11]!.message).toContain('case I');
    expect(vm.drift.notes).toContain(
      "8 more checks need attention (0 alerts, 8 warnings), ranked below those listed (alerts first, then by the size of the statistic); all are in the console's drift view and GET /v1/audits/{id}/drift.",
    );
  });
});

describe('group rows: what the audit could detect', () => {
  it('prints the minimum detectable ratios under the ratio, never for the reference or a hidden ratio', () => {
    const input = sampleReportInput();
    const race = input.result.slices.find((s) => s.attributes.join() === 'race')!;
    const withEvidence = race.groups.map((g) => ({
      ...g,
      disparities: {
        ...g.disparities,
        selection_rate: g.disparities.selection_rate && {
          ...g.disparities.selection_rate,
          minDetectableRatio: 0.62,
          minDetectableRatioAbove: 1.45,
        },
      },
    }));
    const result = {
      ...input.result,
      slices: input.result.slices.map((s) => (s === race ? { ...race, groups: withEvidence } : s)),
    };
    const vm = buildReportViewModel({ ...input, result });
    const rows = vm.slices.find((s) => s.attributes.join() === 'race')!.rows;
    expect(rows.find((r) => r.label === 'Black')!.detectable).toBe('detectable: below 0.62 or above 1.45');
    expect(rows.find((r) => r.label === 'White')!.detectable).toBeNull(); // the reference
    expect(rows.find((r) => r.label === TINY_GROUP)!.detectable).toBeNull(); // its ratio is suppressed
    // Results computed before the evidence fields existed print nothing rather than a false "none".
    const plain = buildReportViewModel(input).slices.find((s) => s.attributes.join() === 'race')!.rows;
    expect(plain.every((r) => r.detectable === null)).toBe(true);
  });
});
