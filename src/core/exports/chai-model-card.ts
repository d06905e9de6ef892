/**
 * The CHAI Applied Model Card (schema v0.2, resources/chai-model-card/) of a model, as XML: model facts from
 * its documentation, the HTI-1 attributes for the fields they match, `KeyMetrics/FairnessEquity` per group from
 * the latest audit of each data setting, known biases from failing or inconclusive controls, ongoing
 * maintenance from the monitoring documentation, the observed audit cadence and the drift policy. A field
 * without data says so in words; nothing is invented. Pure.
 */
import type { ControlOutcome, ControlStatus } from '../compliance/types';
import { formatNumber, groupLabel } from '../reports/format';
import { controlRationale } from '../reports/compliance-view';
import { SuppressionIndex } from '../reports/suppression-index';
import { auditDate, auditLabel, fairnessMetrics, RATE_WORDS, validityMetrics } from './evidence';
import { auditsOf, buildHti1Export, DATA_SOURCE_WORDS, MAX_AUDITS_CITED } from './hti-1';
import { privacyStatement } from '../privacy/statement';
import type {
  AuditControls,
  EvidenceMetric,
  ExportAudit,
  ExportInput,
  Hti1Attribute,
  OtherTaskAudit,
} from './types';

export const CHAI_NAMESPACE = 'https://mc.chai.org/v0.2/schema.xsd';

/** Control statuses whose findings the card lists as known biases. */
const BIAS_STATUSES: readonly ControlStatus[] = ['fail', 'inconclusive'];

/** At most this many group results per setting in FairnessEquity (the rest are in the HTI-1 export). */
export const MAX_FAIRNESS_RESULTS = 40;

export interface ChaiCardInput extends ExportInput {
  /** Controls of the latest audit of each setting. */
  controls: AuditControls[];
  softwareVersion: string;
}

/** Characters XML 1.0 forbids are dropped; &, <, > are escaped. */
export function xmlText(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}

type Node = [string, string | Node[]];

function render(node: Node, depth: number): string {
  const pad = '  '.repeat(depth);
  const [name, content] = node;
  if (typeof content === 'string') return `${pad}<${name}>${xmlText(content)}</${name}>`;
  if (content.length === 0) return `${pad}<${name}/>`;
  return `${pad}<${name}>\n${content.map((c) => render(c, depth + 1)).join('\n')}\n${pad}</${name}>`;
}

const notDocumented = (what: string): string => `Not documented in Fairwatch: ${what}.`;

function attr(attributes: readonly Hti1Attribute[], id: string): Hti1Attribute {
  const a = attributes.find((x) => x.id === id);
  if (!a) throw new Error(`unknown HTI-1 attribute ${id}`);
  return a;
}

/** The attribute's value, or a sentence saying it is empty and which field would fill it. */
function fromAttribute(attributes: readonly Hti1Attribute[], id: string): string {
  const a = attr(attributes, id);
  if (a.value !== null) return a.value;
  const fields = a.documentationFields.map((f) => `documentation.${f}`).join(', ');
  return notDocumented(`HTI-1 ${id} is empty${fields ? ` (the model's ${fields})` : ''}`);
}

function joinFilled(parts: (string | null)[], empty: string): string {
  const filled = parts.filter((p): p is string => p !== null && p.trim().length > 0);
  return filled.length > 0 ? filled.join('\n\n') : empty;
}

function valueJson(m: EvidenceMetric, a: ExportAudit): string {
  return JSON.stringify({
    kind: 'single',
    value: m.value,
    ...(m.ciLow !== undefined && m.ciLow !== null && { ciLow: m.ciLow }),
    ...(m.ciHigh !== undefined && m.ciHigh !== null && { ciHigh: m.ciHigh }),
    ...(m.count !== undefined && { n: m.count }),
    auditId: a.id,
    dataSource: a.dataSource,
    date: auditDate(a).slice(0, 10),
  });
}

function metricLabel(m: EvidenceMetric, a: ExportAudit): string {
  const setting = `${DATA_SOURCE_WORDS[a.dataSource]}, audit ${auditLabel(a)}`;
  const base = m.metric.replace(/\.ratio$/, '');
  const name = RATE_WORDS[base] ?? base.replace(/_/g, ' ');
  if (m.metric === 'impact_ratio')
    return `Impact ratio (lowest over highest selection rate), ${(m.attributes ?? []).join(' × ')} (${setting})`;
  if (m.metric.endsWith('.ratio') && m.group)
    return `${groupLabel(m.group, m.attributes)}: ${name} ratio to ${groupLabel(m.reference ?? {}, m.attributes)} (${setting})`;
  if (m.group) return `${groupLabel(m.group, m.attributes)}: ${name} (${setting})`;
  return `${name} (${setting})`;
}

function noResult(reason: string): Node {
  return [
    'MetricResult',
    [
      ['Label', 'No measured result'],
      ['ValueJson', JSON.stringify({ kind: 'none', reason })],
    ],
  ];
}

function results(pairs: { m: EvidenceMetric; a: ExportAudit }[], reason: string): Node {
  if (pairs.length === 0) return ['Results', [noResult(reason)]];
  return [
    'Results',
    pairs.map(({ m, a }): Node => [
      'MetricResult',
      [
        ['Label', metricLabel(m, a)],
        ['ValueJson', valueJson(m, a)],
      ],
    ]),
  ];
}

/** The latest audit of each setting the card reports on (internal test, external, local). */
export function latestPerSetting(audits: readonly ExportAudit[]): ExportAudit[] {
  return (['internal_test', 'external', 'local'] as const).flatMap((s) => auditsOf(audits, [s]).slice(0, 1));
}

function testingDescription(audits: readonly ExportAudit[], others: readonly OtherTaskAudit[] = []): string {
  const binary =
    audits.length === 0
      ? 'No audit of test, external or local data has been recorded.'
      : audits
          .map(
            (a) =>
              `Audit ${auditLabel(a)} (id ${a.id}) on ${DATA_SOURCE_WORDS[a.dataSource]}` +
              (a.dataSourceDescription?.trim() ? `: ${a.dataSourceDescription.trim()}` : '') +
              '.' +
              (a.privacy ? ` ${privacyStatement(a.privacy)}` : ''),
          )
          .join(' ');
  return binary + otherTasksText(others);
}

/**
 * The card's figures come from binary audits: the model's regression and multiclass audits are named as not
 * summarised rather than left out silently.
 */
function otherTasksText(others: readonly OtherTaskAudit[]): string {
  if (others.length === 0) return '';
  const named = others
    .slice(0, MAX_AUDITS_CITED)
    .map(
      (a) =>
        `${a.task} audit ${a.name ? `"${a.name}" (id ${a.id})` : `(id ${a.id})`} on ${DATA_SOURCE_WORDS[a.dataSource]}`,
    );
  const more = others.length > MAX_AUDITS_CITED ? ` and ${others.length - MAX_AUDITS_CITED} more` : '';
  return (
    ` Not summarised in this card, whose figures come from binary audits: ${named.join(', ')}${more}` +
    ' (their results: GET /v1/audits/{auditId}/metrics).'
  );
}

/**
 * A control outcome is a finding about bias when its decisive evidence is a group's measured figure (a rate,
 * ratio or gap of a demographic group), not a drift statistic or a documentation field.
 */
function isBiasFinding(o: ControlOutcome): boolean {
  const decisive = o.evidence[0];
  return (
    BIAS_STATUSES.includes(o.status) &&
    decisive?.group !== undefined &&
    !decisive.metric.startsWith('drift.') &&
    !decisive.metric.startsWith('documentation.')
  );
}

function knownBiases(input: ChaiCardInput): string {
  if (input.controls.length === 0)
    return 'No audit has been evaluated against the controls, so no bias is known from measurement.';
  // One line per finding, with every control that reports it (many frameworks share a rule).
  const findings = new Map<string, { status: ControlStatus; controls: string[] }>();
  for (const { audit, outcomes } of input.controls) {
    const idx = new SuppressionIndex(audit.results.slices);
    for (const o of outcomes.filter(isBiasFinding)) {
      const text = `audit ${auditLabel(audit)}, ${DATA_SOURCE_WORDS[audit.dataSource]}: ${controlRationale(o, idx)}`;
      const f = findings.get(text) ?? { status: o.status, controls: [] };
      f.controls.push(`${o.framework} ${o.controlId}`);
      findings.set(text, f);
    }
  }
  const evaluated = input.controls
    .map(({ audit }) => `${auditLabel(audit)}, ${DATA_SOURCE_WORDS[audit.dataSource]}`)
    .join('; ');
  if (findings.size === 0)
    return `No fairness control fails or is inconclusive on a group's measured figures in the latest audit of each data setting (${evaluated}).`;
  const lines = [...findings].map(
    ([text, f]) => `- ${f.status === 'fail' ? 'Fails' : 'Inconclusive'} (${f.controls.join('; ')}), ${text}`,
  );
  return `Groups for which fairness controls fail or cannot decide, on the latest audit of each data setting (${evaluated}):\n${lines.join('\n')}`;
}

/** The card as XML text (UTF-8), valid against the CHAI v0.2 schema. */
export function buildChaiModelCard(input: ChaiCardInput): string {
  const hti1 = buildHti1Export(input);
  const at = hti1.attributes;
  const doc = input.model.documentation;
  const text = (f: keyof typeof doc): string | null => {
    const v = doc[f];
    return typeof v === 'string' && v.trim() ? v.trim() : null;
  };
  const latest = latestPerSetting(input.audits);
  const validityPairs = latest.flatMap((a) =>
    validityMetrics(a)
      .filter((m) => !m.group)
      .map((m) => ({ m, a })),
  );
  const fairnessPairs = latest.flatMap((a) =>
    fairnessMetrics(a)
      .slice(0, MAX_FAIRNESS_RESULTS)
      .map((m) => ({ m, a })),
  );
  const brierPairs = validityPairs.filter(({ m }) => m.metric === 'brier_score');
  const band = input.driftPolicy.thresholds.fairnessBand;
  const cited = [...new Set(latest.map((a) => a.id))];

  const card: Node = [
    'AppliedModelCard',
    [
      [
        'BasicInfo',
        [
          ['ModelName', input.model.name],
          ['ModelDeveloper', text('developer') ?? notDocumented('the developer (documentation.developer)')],
          [
            'DeveloperContact',
            text('developer') ?? notDocumented("the developer's contact (documentation.developer)"),
          ],
        ],
      ],
      [
        'ReleaseInfo',
        [
          ['ReleaseStage', notDocumented('the release stage')],
          ['ReleaseDate', notDocumented('the release date')],
          ['ReleaseVersion', input.model.version],
          ['GlobalAvailability', notDocumented('where the model is available')],
        ],
      ],
      [
        'ModelSummary',
        [
          [
            'Summary',
            input.model.description?.trim() ||
              (text('intendedUse') ?? notDocumented('a summary (model description)')),
          ],
          ['Keywords', []],
        ],
      ],
      [
        'UsesAndDirections',
        [
          [
            'IntendedUseAndWorkflow',
            joinFilled(
              [text('intendedUse'), text('decisionRole') && `Decision-making role: ${text('decisionRole')}`],
              notDocumented('the intended use (documentation.intendedUse)'),
            ),
          ],
          ['PrimaryIntendedUsers', fromAttribute(at, '(B)(2)(iii)')],
          [
            'HowToUse',
            joinFilled(
              [text('setting') && `Setting: ${text('setting')}`],
              notDocumented('how to use the model'),
            ),
          ],
          ['TargetedPatientPopulation', fromAttribute(at, '(B)(2)(ii)')],
          ['CautionedOutOfScopeSettings', fromAttribute(at, '(B)(3)(i)')],
        ],
      ],
      [
        'Warnings',
        [
          ['KnownRisksAndLimitations', fromAttribute(at, '(B)(3)(ii)')],
          ['KnownBiasesOrEthicalConsiderations', knownBiases(input)],
          ['ClinicalRiskLevel', notDocumented('the clinical risk level')],
        ],
      ],
      [
        'TrustIngredients',
        [
          [
            'AISystemFacts',
            [
              [
                'OutcomesAndOutputs',
                joinFilled(
                  [text('outputDescription'), text('outputType') && `Output type: ${text('outputType')}`],
                  notDocumented('the outputs (documentation.outputDescription, outputType)'),
                ),
              ],
              ['ModelType', notDocumented('the model type')],
              [
                'InputDataSource',
                text('dataSources') ?? notDocumented('the input data source (documentation.dataSources)'),
              ],
              [
                'OutputAndInputDataTypes',
                text('outputType') ?? notDocumented('the input and output data types'),
              ],
              [
                'DevelopmentDataCharacterization',
                joinFilled(
                  [
                    attr(at, '(B)(4)(iii)').value,
                    text('inclusionExclusion') && `Inclusion and exclusion: ${text('inclusionExclusion')}`,
                  ],
                  notDocumented(
                    'the development data (no training or internal test audit, no documentation.inclusionExclusion)',
                  ),
                ),
              ],
              [
                'BiasMitigationApproaches',
                joinFilled(
                  [text('fairnessApproach'), text('mitigations')],
                  notDocumented('bias mitigation (documentation.fairnessApproach, mitigations)'),
                ),
              ],
              [
                'OngoingMaintenance',
                joinFilled(
                  [
                    attr(at, '(B)(8)(iii)').value,
                    text('updateProcess') && `Updates: ${text('updateProcess')}`,
                    text('correctionProcess') && `Corrections: ${text('correctionProcess')}`,
                  ],
                  notDocumented(
                    'ongoing maintenance (no local audits, no documentation.monitoringPlan or updateProcess)',
                  ),
                ),
              ],
              [
                'Transparency',
                `Generated by Fairwatch ${input.softwareVersion} on ${input.generatedAt} (export ${input.exportId}) from the audits ${cited.join(', ') || '(none)'}; ` +
                  `HTI-1 attributes filled: ${hti1.summary.total - hti1.summary.missing} of ${hti1.summary.total}. ` +
                  'Signed with the instance report-signing key (Ed25519, detached signature); POST the file to /v1/reports/verify to check it.',
              ],
            ],
          ],
          [
            'TransparencyInformation',
            [
              ['FundingSource', fromAttribute(at, '(B)(1)(ii)')],
              ...(text('externalTester')
                ? ([['ThirdPartyInformation', `External testing: ${text('externalTester')!}`]] as Node[])
                : []),
              ['StakeholdersConsulted', notDocumented('the stakeholders consulted')],
            ],
          ],
        ],
      ],
      [
        'KeyMetrics',
        [
          [
            'UsefulnessUsabilityEfficacy',
            [
              [
                'MetricGoal',
                'Discrimination and error rates of the model on the latest audit of each data setting (internal test, external, local), with intervals.',
              ],
              results(validityPairs, 'no audit with labels of test, external or local data'),
              [
                'Interpretation',
                joinFilled(
                  [attr(at, '(B)(7)(i)').value, attr(at, '(B)(7)(iii)').value, attr(at, '(B)(8)(ii)').value],
                  'No validity has been measured: no audit with labels of test, external or local data.',
                ),
              ],
              [
                'TestType',
                'Retrospective audit of recorded predictions against observed outcomes (Fairwatch).',
              ],
              ['TestingDataDescription', testingDescription(latest, input.otherTaskAudits)],
              [
                'ValidationProcessAndJustification',
                text('externalValidationProcess') ??
                  'Intervals: Wilson for rates, DeLong (logit) for ROC AUC; figures for groups of 1 to 10 people are not published (CMS cell-size rule).',
              ],
            ],
          ],
          [
            'FairnessEquity',
            [
              [
                'MetricGoal',
                `Each group's selection rate, true positive rate and false positive rate within the fairness band [${formatNumber(band[0])}, ${formatNumber(band[1])}] of its reference group; impact ratio of at least 0.80 (four-fifths rule).`,
              ],
              results(fairnessPairs, 'no audit of test, external or local data'),
              [
                'Interpretation',
                joinFilled(
                  [attr(at, '(B)(7)(ii)').value, attr(at, '(B)(7)(iv)').value, attr(at, '(B)(8)(iv)').value],
                  'No fairness has been measured: no audit of test, external or local data.',
                ),
              ],
              [
                'TestType',
                'Retrospective fairness audit per sensitive attribute and intersection: ratios to a reference group with Koopman intervals, two-proportion z or Fisher exact tests with Holm adjustment.',
              ],
              ['TestingDataDescription', testingDescription(latest, input.otherTaskAudits)],
              [
                'ValidationProcessAndJustification',
                "Groups smaller than the audit's minimum group size are flagged and carry no verdict; figures of groups of 1 to 10 people are suppressed with a complementary partner (CMS cell-size rule).",
              ],
            ],
          ],
          [
            'SafetyReliability',
            [
              [
                'MetricGoal',
                'Calibration of the scores (Brier score; lower is better) and stability over time under the drift policy.',
              ],
              results(brierPairs, 'no audit with labels and scores'),
              [
                'Interpretation',
                joinFilled(
                  [attr(at, '(B)(8)(i)').value],
                  'No local audits: reliability over time has not been observed.',
                ),
              ],
              [
                'TestType',
                'Retrospective audits; drift checks between consecutive audits (PSI, KS, chi-square, fairness band crossings).',
              ],
              ['TestingDataDescription', testingDescription(latest, input.otherTaskAudits)],
              [
                'ValidationProcessAndJustification',
                text('monitoringPlan') ?? notDocumented('the monitoring plan (documentation.monitoringPlan)'),
              ],
            ],
          ],
        ],
      ],
      [
        'Resources',
        [
          ['EvaluationReferences', fromAttribute(at, '(B)(7)(v)')],
          ['PeerReviewedPublications', notDocumented('peer-reviewed publications')],
          ['PatientConsentOrDisclosure', notDocumented('patient consent or disclosure')],
        ],
      ],
      ['Bibliography', '% No bibliography is documented in Fairwatch.'],
    ],
  ];
  const xml = render(card, 0).replace('<AppliedModelCard>', `<AppliedModelCard xmlns="${CHAI_NAMESPACE}">`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!-- CHAI Applied Model Card (schema v0.2), generated by Fairwatch. Signed: verify with POST /v1/reports/verify. -->\n${xml}\n`;
}
