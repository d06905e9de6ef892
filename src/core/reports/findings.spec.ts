import { sampleReportInput } from '../../../test/support/report-fixture';
import { buildReportViewModel } from './view-model';
import type { ReportInput } from './types';

/**
 * The race × sex slice with only its reference (White × Female) and Black × Male, no drift and no controls, so
 * the findings are Black × Male's two disparities alone. From the fixture's counts: its selection-rate ratio
 * 0.726 (adjusted p 0.0004) and false-positive-rate ratio 0.655 (adjusted p 0.0195), both below 0.8.
 */
function twoGroups(alpha: number): ReportInput {
  const input = sampleReportInput();
  const slice = input.result.slices.find((s) => s.attributes.join() === 'race,sex')!;
  const groups = slice.groups.filter(
    (g) => g.flags.includes('reference') || (g.key.race === 'Black' && g.key.sex === 'Male'),
  );
  expect(groups.map((g) => `${g.key.race} × ${g.key.sex}`)).toEqual(['White × Female', 'Black × Male']);
  return {
    ...input,
    alpha,
    drift: null,
    controls: [],
    result: { ...input.result, slices: [{ ...slice, groups }] },
  };
}

const BLACK_MALE_FPR = 'Black × Male patients who do not have the outcome are wrongly flagged';

describe("findings: statistical significance at the policy's alpha", () => {
  it('calls p = 0.0195 significant at alpha 0.05: a finding under review, first by size', () => {
    const findings = buildReportViewModel(twoGroups(0.05)).executiveSummary.findings;
    expect(findings.map((f) => f.severity)).toEqual(['review', 'review']);
    expect(findings[0]!.text).toContain(BLACK_MALE_FPR);
    expect(findings[0]!.text).toContain('statistically significant, adjusted p = 0.019');
  });

  it('calls the same gap not significant at alpha 0.01: information only, after the significant one', () => {
    const findings = buildReportViewModel(twoGroups(0.01)).executiveSummary.findings;
    expect(findings.map((f) => f.severity)).toEqual(['review', 'info']);
    expect(findings[0]!.text).toContain('Black × Male patients receive a positive prediction');
    expect(findings[1]!.text).toContain(BLACK_MALE_FPR);
    expect(findings[1]!.text).toContain('not statistically significant');
  });

  it("says the policy's alpha in the methodology, and the result's evidence test for detectable ratios", () => {
    const byTerm = (input: ReportInput, term: string): string =>
      buildReportViewModel(input).methodology.conventions.find((c) => c.term === term)!.text;
    expect(byTerm(twoGroups(0.05), 'Tests')).toContain(
      '"Statistically significant" means adjusted p < 0.05.',
    );
    expect(byTerm(twoGroups(0.01), 'Tests')).toContain(
      '"Statistically significant" means adjusted p < 0.01.',
    );
    expect(byTerm(twoGroups(0.01), 'p-value')).toContain('below 0.01 (after adjustment');
    // The fixture's result has no conventions.evidence: the engine's defaults, α = 0.05 and 80% power.
    expect(byTerm(twoGroups(0.01), 'Minimum detectable ratio')).toContain('α = 0.05, 80% power');
    const input = twoGroups(0.01);
    input.result.conventions = {
      ...input.result.conventions,
      evidence: { alpha: 0.1, power: 0.9, method: 'two-proportion-z-unpooled' },
    };
    expect(byTerm(input, 'Minimum detectable ratio')).toContain('α = 0.1, 90% power');
    // A group with a minimum detectable ratio gets the note that explains it.
    const blackMale = input.result.slices[0]!.groups[1]!.disparities.selection_rate!;
    blackMale.minDetectableRatio = 0.85;
    const notes = buildReportViewModel(input).slices[0]!.notes.join(' ');
    expect(notes).toContain('two-sided test at α = 0.1 with 90% power');
  });
});
