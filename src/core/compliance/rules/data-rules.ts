import type { SliceResult } from '../../fairness/types';
import {
  DOCUMENTATION_FIELDS,
  isDocumented,
  type Documentation,
  type DocumentationField,
} from '../documentation';
import { daysBetween, listLabel, percent } from '../format';
import type { ComplianceThresholds, CompliancePolicy } from '../policy';
import type { ComplianceInput, RuleVerdict } from '../rule-spec';
import type { ControlEvidence } from '../types';
import { verdict, verdictFromFindings, type Finding } from './verdict';

const describe = (f: DocumentationField): string =>
  `${f} (${DOCUMENTATION_FIELDS[f].replace(/\.$/, '').toLowerCase()})`;

/** E-DOC: every listed field present; `datedBy` (an ISO date field) at most maxAgeDays old. */
export function evaluateDocumentation(
  fields: readonly DocumentationField[],
  datedBy: DocumentationField | undefined,
  doc: Documentation,
  now: string,
  maxAgeDays: number,
): RuleVerdict {
  const required = datedBy ? [...fields, datedBy] : [...fields];
  const evidence: ControlEvidence[] = required.map((f) => ({
    metric: `documentation.${f}`,
    value: isDocumented(doc, f) ? 'present' : 'missing',
  }));
  const missing = required.filter((f) => !isDocumented(doc, f));
  if (missing.length > 0) {
    const plural = missing.length > 1;
    return verdict(
      'fail',
      `The required documentation field${plural ? 's' : ''} ${listLabel(missing.map(describe))} ${plural ? 'are' : 'is'} missing.`,
      evidence,
    );
  }
  if (datedBy) {
    const age = daysBetween(doc[datedBy] ?? '', now);
    evidence.push({
      metric: `documentation.${datedBy}.ageDays`,
      value: age === null ? null : Math.floor(age),
      threshold: maxAgeDays,
    });
    if (age === null || age > maxAgeDays) {
      return verdict(
        'fail',
        `The review recorded in ${datedBy} is not a valid date within the last ${maxAgeDays} days.`,
        evidence,
      );
    }
  }
  return verdict('pass', `The required documentation (${listLabel([...fields])}) is recorded.`, evidence);
}

/** CMS cell-size rule: reports never print counts 1–10. */
/** What the data rules read of a result: slices, their groups' keys, counts and shares (any task). */
export interface SlicesOfAnyTask {
  slices: readonly (Pick<SliceResult, 'attributes' | 'droppedRows'> & {
    groups: readonly Pick<SliceResult['groups'][number], 'key' | 'count' | 'share'>[];
  })[];
}

export function evaluateSmallCells(
  result: SlicesOfAnyTask,
  policy: Pick<CompliancePolicy, 'suppressSmallCells'>,
): RuleVerdict {
  const smallGroups = result.slices
    .flatMap((s) => s.groups)
    .filter((g) => g.count >= 1 && g.count <= 10).length;
  const evidence = [
    { metric: 'policy.suppressSmallCells', value: String(policy.suppressSmallCells) },
    { metric: 'groups_with_counts_1_to_10', value: smallGroups, threshold: 10 },
  ];
  if (!policy.suppressSmallCells) {
    return verdict(
      'fail',
      'Reports are set to show counts from 1 to 10, which the CMS cell-size rule does not allow.',
      evidence,
    );
  }
  return verdict(
    'pass',
    `Reports hide every count from 1 to 10 and anything that would reveal one, as the CMS cell-size rule requires.`,
    evidence,
  );
}

function missingShare(slice: SlicesOfAnyTask['slices'][number]): number {
  const analysed = slice.groups.reduce((sum, g) => sum + g.count, 0);
  const dropped = slice.droppedRows ?? 0;
  const unknown = slice.groups.find((g) => Object.values(g.key).includes('Unknown'))?.count ?? 0;
  const total = analysed + dropped;
  return total > 0 ? (dropped + unknown) / total : 0;
}

/** MAP 2.3 / Art. 10(3): group shares vs the population served, and completeness of attributes. Never fails. */
export function evaluateRepresentation(
  result: SlicesOfAnyTask,
  reference: ComplianceInput['referencePopulation'],
  t: Pick<ComplianceThresholds, 'representationMin' | 'missingShareMax'>,
): RuleVerdict {
  const singles = result.slices.filter((s) => s.attributes.length === 1);
  const findings: Finding[] = [];
  for (const slice of singles) {
    const attr = slice.attributes[0] ?? '';
    const miss = missingShare(slice);
    findings.push({
      status: miss > t.missingShareMax ? 'review' : 'pass',
      evidence: {
        metric: 'missing_share',
        attributes: slice.attributes,
        value: miss,
        threshold: t.missingShareMax,
      },
      order: t.missingShareMax - miss,
      sentence: `For ${attr}, ${percent(miss)} of rows have no value, more than the ${percent(t.missingShareMax)} allowed, so a person should check whether some groups are under-recorded.`,
    });
    const ref = reference?.[attr];
    if (!ref) {
      findings.push({
        status: 'review',
        evidence: { metric: 'reference_population', attributes: slice.attributes, value: 'missing' },
        order: 1,
        sentence: `No reference population is documented for ${attr}, so a person should judge whether the data represent the people the model serves.`,
      });
      continue;
    }
    for (const [group, refShare] of Object.entries(ref)) {
      if (!(refShare > 0)) continue;
      const share = slice.groups.find((g) => g.key[attr] === group)?.share ?? 0;
      const ratio = share / refShare;
      findings.push({
        status: ratio < t.representationMin ? 'review' : 'pass',
        evidence: {
          metric: 'representation_ratio',
          attributes: slice.attributes,
          group: { [attr]: group },
          value: ratio,
          threshold: t.representationMin,
        },
        order: ratio - t.representationMin,
        sentence: `For ${attr}, the group ${group} makes up ${percent(share)} of the data but ${percent(refShare)} of the population served, so it is under-represented and a person should review it.`,
      });
    }
  }
  if (singles.length === 0)
    return verdict('review', 'No sensitive attribute was audited, so representativeness cannot be judged.');
  return verdictFromFindings(
    findings,
    `Every group's share of the data is at least ${percent(t.representationMin)} of its share of the population served, and few attribute values are missing.`,
  );
}

/** Names under which an audited column counts as a demographic attribute. */
const ATTRIBUTE_ALIASES: Record<string, string[]> = {
  race: ['race'],
  ethnicity: ['ethnicity', 'hispanic'],
  sex: ['sex', 'gender'],
  age: ['age'],
  language: ['language', 'preferred_language'],
  disability: ['disability'],
  'national origin': ['national_origin', 'nationality', 'country_of_birth', 'language'],
  'sexual orientation': ['sexual_orientation'],
  'gender identity': ['gender_identity'],
};

const norm = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** Whether an audited column name stands for the required attribute (e.g. "age_cat" for age, "race_ethnicity" for both). */
export function attributeMatches(required: string, audited: string): boolean {
  const a = norm(audited);
  const aliases = ATTRIBUTE_ALIASES[required] ?? [norm(required)];
  return aliases.some((x) => a === x || a.startsWith(`${x}_`) || a.endsWith(`_${x}`) || a.includes(`_${x}_`));
}

/** ONC HTI-1 / HHS 1557 / UGESP record groups: the audit covers these demographic attributes. */
export function evaluateAttributesPresent(
  attributes: readonly string[],
  result: SlicesOfAnyTask,
): RuleVerdict {
  const audited = [...new Set(result.slices.flatMap((s) => s.attributes))];
  const present = attributes.filter((req) => audited.some((a) => attributeMatches(req, a)));
  const missing = attributes.filter((req) => !present.includes(req));
  const evidence = attributes.map((req) => ({
    metric: `attribute.${req}`,
    value: present.includes(req) ? 'audited' : 'missing',
  }));
  if (present.length === 0) {
    return verdict('fail', `None of the attributes ${listLabel([...attributes])} was audited.`, evidence);
  }
  if (missing.length > 0) {
    return verdict(
      'review',
      `The audit did not cover ${listLabel(missing)}, so a person should confirm why ${missing.length > 1 ? 'they were' : 'it was'} left out.`,
      evidence,
    );
  }
  return verdict(
    'pass',
    `The audit covers ${listLabel([...attributes])} (audited as ${listLabel(audited)}).`,
    evidence,
  );
}
