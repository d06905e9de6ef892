/**
 * The HTI-1 source-attribute list of a model (GET /v1/models/{modelId}/exports/hti-1): all 31 attributes of
 * 45 CFR 170.315(b)(11)(iv)(B) in the regulation's order. The measured ones come from the audits whose data
 * setting HTI-1 names (internal_test for (B)(7)(i)-(ii), external for (B)(6) and (B)(7)(iii)-(iv), local for
 * (B)(8)), each with its evidence (audit ids, dates, metrics, intervals); the rest from the model's
 * documentation; what is still empty is `missing` and listed first in the summary. Pure: the caller gathers
 * the audits and the drift.
 */
import { DOCUMENTATION_FIELDS, isDocumented, type Documentation } from '../compliance/documentation';
import type { DataSource } from '../ingest/audit-config';
import { formatNumber, groupLabel } from '../reports/format';
import {
  auditDate,
  auditLabel,
  evidenceOf,
  fairnessMetrics,
  figureText,
  outsideBandText,
  peopleText,
  representativenessMetrics,
  validityMetrics,
} from './evidence';
import { privacyParameters } from '../privacy/statement';
import { populationDrift } from './population';
import { HTI1_ATTRIBUTES, type Hti1AttributeSpec, type Hti1Measure } from './hti-1-attributes';
import type {
  EvidenceMetric,
  ExportAudit,
  ExportInput,
  Hti1Attribute,
  Hti1Evidence,
  Hti1Export,
} from './types';

/** At most this many audits of one setting are cited (latest first). */
export const MAX_AUDITS_CITED = 5;

export const REGULATION = '45 CFR 170.315(b)(11)(iv)(B) (ONC HTI-1 final rule, 89 FR 1192, January 2024)';

export const DATA_SOURCE_WORDS: Record<DataSource, string> = {
  training: 'training data',
  internal_test: 'test data from the source of the training data',
  external: 'external data',
  local: 'local data',
};

interface Measured {
  text: string;
  evidence: Hti1Evidence[];
}

/** Audits of the given settings, latest first (period end, else run date). */
export function auditsOf(audits: readonly ExportAudit[], sources: readonly DataSource[]): ExportAudit[] {
  return audits
    .filter((a) => sources.includes(a.dataSource))
    .sort((a, b) => auditDate(b).localeCompare(auditDate(a)) || b.createdAt.localeCompare(a.createdAt));
}

function documentationText(
  doc: Documentation,
  fields: readonly (keyof typeof DOCUMENTATION_FIELDS)[],
): string | null {
  const filled = fields.filter((f) => isDocumented(doc, f));
  if (filled.length === 0) return null;
  if (fields.length === 1) return (doc[filled[0]!] as string).trim();
  return filled.map((f) => `${f}: ${(doc[f] as string).trim()}`).join('; ');
}

function listText(metrics: readonly EvidenceMetric[], limit = 12): string {
  const shown = metrics.slice(0, limit).map((m) => {
    const who = m.group ? `${groupLabel(m.group, m.attributes)}: ` : '';
    return `${who}${figureText(m)}`;
  });
  return metrics.length > limit
    ? `${shown.join('; ')}; and ${metrics.length - limit} more in the evidence`
    : shown.join('; ');
}

function settingHeader(a: ExportAudit): string {
  const noised = a.privacy ? ` (noised counts, ${privacyParameters(a.privacy)})` : '';
  return `Audit ${auditLabel(a)} on ${DATA_SOURCE_WORDS[a.dataSource]} (${peopleText(a.rowCount)})${noised}`;
}

function validity(audits: ExportAudit[]): Measured | null {
  if (audits.length === 0) return null;
  const evidence = audits.map((a) => evidenceOf(a, validityMetrics(a)));
  const text = audits
    .map((a, i) => {
      const m = evidence[i]!.metrics;
      const overall = m.filter((x) => !x.group);
      const byGroup = m.filter((x) => x.group);
      if (overall.length === 0 && byGroup.length === 0)
        return `${settingHeader(a)}: no validity figure can be published (no labels or scores, or too few people).`;
      const lowest = [...byGroup].sort((x, y) => (x.value ?? 1) - (y.value ?? 1))[0];
      return (
        `${settingHeader(a)}: ${listText(overall)}` +
        (lowest
          ? `; lowest group ROC AUC ${groupLabel(lowest.group!, lowest.attributes)} ${formatNumber(lowest.value)}`
          : '') +
        '.'
      );
    })
    .join(' ');
  return { text, evidence };
}

function fairness(audits: ExportAudit[], band: string): Measured | null {
  if (audits.length === 0) return null;
  const evidence = audits.map((a) => evidenceOf(a, fairnessMetrics(a)));
  const text = audits
    .map((a, i) => {
      const irs = evidence[i]!.metrics.filter((m) => m.metric === 'impact_ratio');
      const ir = irs
        .map(
          (m) =>
            `${(m.attributes ?? []).join(' × ')} ${m.value === null ? 'not published' : formatNumber(m.value)}`,
        )
        .join(', ');
      const out = outsideBandText(a);
      const outside =
        out.shown.length === 0 && out.hidden === 0
          ? `no group's selection rate, TPR or FPR ratio to its reference is outside the fairness band ${band}`
          : `outside the fairness band ${band}: ${[...out.shown, ...(out.hidden > 0 ? [`${out.hidden} group(s) whose figures are not printed (small groups)`] : [])].join('; ')}`;
      return `${settingHeader(a)}: impact ratio (lowest selection rate over highest) ${ir || 'not computed'}; ${outside}.`;
    })
    .join(' ');
  return { text, evidence };
}

function representativeness(audits: ExportAudit[]): Measured | null {
  if (audits.length === 0) return null;
  const evidence = audits.map((a) => evidenceOf(a, representativenessMetrics(a)));
  const text = audits
    .map((a, i) => {
      const shares = evidence[i]!.metrics;
      const byAttr = new Map<string, string[]>();
      for (const m of shares) {
        const attr = (m.attributes ?? [])[0] ?? '';
        byAttr.set(attr, [
          ...(byAttr.get(attr) ?? []),
          `${groupLabel(m.group ?? {}, m.attributes)} ${formatNumber(m.value)}`,
        ]);
      }
      const parts = [...byAttr].map(([attr, list]) => `${attr}: ${list.join(', ')}`);
      const hidden =
        a.results.slices.filter((s) => s.attributes.length === 1).reduce((n, s) => n + s.groups.length, 0) -
        shares.length;
      return (
        `${settingHeader(a)}, share of each group: ${parts.join('; ') || 'none published'}` +
        (hidden > 0 ? ` (${hidden} group(s) not printed: 1 to 10 people, or withheld with one)` : '') +
        '.'
      );
    })
    .join(' ');
  return { text, evidence };
}

function days(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

/** The monitoring cadence the local audits show: how many, over which span, median days between them. */
export function observedCadence(local: readonly ExportAudit[]): Measured | null {
  if (local.length === 0) return null;
  const inOrder = [...local].reverse();
  const dates = inOrder.map(auditDate);
  const evidence = inOrder.map((a) => evidenceOf(a, []));
  if (local.length === 1)
    return {
      text: `One local audit so far, ${auditLabel(local[0]!)}; no cadence can be observed yet.`,
      evidence,
    };
  const gaps = dates
    .slice(1)
    .map((d, i) => days(dates[i]!, d))
    .sort((x, y) => x - y);
  const mid = gaps.length / 2;
  const median = gaps.length % 2 === 1 ? gaps[Math.floor(mid)]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  return {
    text:
      `Observed: ${local.length} local audits from ${dates[0]!.slice(0, 10)} to ${dates[dates.length - 1]!.slice(0, 10)}, ` +
      `a median of ${formatNumber(median, median % 1 === 0 ? 0 : 1)} days apart (shortest ${gaps[0]}, longest ${gaps[gaps.length - 1]}); ` +
      `the latest is ${auditLabel(local[0]!)}.`,
    evidence,
  };
}

function trendText(local: ExportAudit[]): string {
  if (local.length < 2) return '';
  const points = [...local].reverse().map((a) => {
    const auc = validityMetrics(a).find((m) => m.metric === 'roc_auc' && !m.group);
    return `${auditDate(a).slice(0, 10)} ${auc ? formatNumber(auc.value) : 'n/a'}`;
  });
  return ` Trend of overall ROC AUC over the local audits: ${points.join(', ')}.`;
}

function fairnessTrendText(local: ExportAudit[]): string {
  if (local.length < 2) return '';
  const points = [...local].reverse().map((a) => {
    const irs = fairnessMetrics(a).filter((m) => m.metric === 'impact_ratio' && m.value !== null);
    const worst = irs.sort((x, y) => (x.value ?? 1) - (y.value ?? 1))[0];
    return `${auditDate(a).slice(0, 10)} ${worst ? `${formatNumber(worst.value)} (${(worst.attributes ?? []).join(' × ')})` : 'n/a'}`;
  });
  return ` Trend of the lowest published impact ratio over the local audits: ${points.join(', ')}.`;
}

function measure(kind: Hti1Measure, input: ExportInput): Measured | null {
  const { audits } = input;
  const t = input.driftPolicy.thresholds;
  const band = `[${formatNumber(t.fairnessBand[0])}, ${formatNumber(t.fairnessBand[1])}]`;
  const internal = auditsOf(audits, ['internal_test']).slice(0, 1);
  const external = auditsOf(audits, ['external']).slice(0, MAX_AUDITS_CITED);
  const allLocal = auditsOf(audits, ['local']);
  const latestLocal = allLocal.slice(0, 1);
  switch (kind) {
    case 'known_risks': {
      const latest = (['internal_test', 'external', 'local'] as const).flatMap((s) =>
        auditsOf(audits, [s]).slice(0, 1),
      );
      const flagged = latest
        .map((a) => ({ a, out: outsideBandText(a) }))
        .filter((x) => x.out.shown.length + x.out.hidden > 0);
      if (flagged.length === 0) return null;
      return {
        text: flagged
          .map(
            ({ a, out }) =>
              `Measured in the audit ${auditLabel(a)} on ${DATA_SOURCE_WORDS[a.dataSource]}: groups outside the fairness band ${band}: ` +
              [
                ...out.shown,
                ...(out.hidden > 0
                  ? [`${out.hidden} group(s) whose figures are not printed (small groups)`]
                  : []),
              ].join('; ') +
              '.',
          )
          .join(' '),
        evidence: flagged.map(({ a }) =>
          evidenceOf(
            a,
            fairnessMetrics(a).filter((m) => m.metric !== 'impact_ratio'),
          ),
        ),
      };
    }
    case 'development_representativeness': {
      const dev = auditsOf(audits, ['training']).slice(0, 1);
      return representativeness(dev.length > 0 ? dev : internal);
    }
    case 'external_representativeness':
      return representativeness(external);
    case 'development_relevance': {
      const dev = auditsOf(audits, ['training']).slice(0, 1);
      const from = dev[0] ?? internal[0];
      const to = latestLocal[0];
      const d = from && to ? populationDrift(from, to, t) : null;
      if (!d) return null;
      const base = audits.find((a) => a.id === d.baselineAuditId);
      const cur = audits.find((a) => a.id === d.auditId);
      if (!base || !cur) return null;
      const shifted = d.checks.filter((c) => c.status !== 'ok');
      const list = d.checks
        .map((c) => `${c.attributes.join(' × ')} ${c.statistic} ${formatNumber(c.value, 3)} (${c.status})`)
        .join(', ');
      return {
        text:
          `Population drift (PSI of each attribute's group mix) from the development audit ${auditLabel(base)} to the latest local audit ${auditLabel(cur)}: ` +
          (shifted.length === 0
            ? `no attribute's distribution shifted beyond the drift policy (${list}).`
            : `${shifted.map((c) => c.attributes.join(' × ')).join(', ')} shifted (${list}).`),
        evidence: [base, cur].map((a) =>
          evidenceOf(
            a,
            a === cur
              ? d.checks.map((c) => ({
                  metric: `drift.population.${c.statistic}`,
                  attributes: c.attributes,
                  value: c.value,
                }))
              : [],
          ),
        ),
      };
    }
    case 'external_setting': {
      const described = external.filter(
        (a) =>
          a.dataSourceDescription?.trim() ||
          isDocumented(a.documentation, 'dataSources') ||
          isDocumented(a.documentation, 'setting'),
      );
      if (described.length === 0) return null;
      return {
        text: described
          .map((a) => {
            const parts = [
              a.dataSourceDescription?.trim(),
              isDocumented(a.documentation, 'dataSources')
                ? `data sources: ${a.documentation.dataSources!.trim()}`
                : null,
              isDocumented(a.documentation, 'setting') ? `setting: ${a.documentation.setting!.trim()}` : null,
            ].filter((p): p is string => !!p);
            return `Audit ${auditLabel(a)}: ${parts.join('; ')}.`;
          })
          .join(' '),
        evidence: described.map((a) => evidenceOf(a, [])),
      };
    }
    case 'internal_validity':
      return validity(internal);
    case 'internal_fairness':
      return fairness(internal, band);
    case 'external_validity':
      return validity(external);
    case 'external_fairness':
      return fairness(external, band);
    case 'local_validity': {
      const m = validity(latestLocal);
      return m && { text: m.text + trendText(allLocal.slice(0, 12)), evidence: m.evidence };
    }
    case 'local_fairness': {
      const m = fairness(latestLocal, band);
      return m && { text: m.text + fairnessTrendText(allLocal.slice(0, 12)), evidence: m.evidence };
    }
    case 'validity_monitoring':
      return observedCadence(allLocal);
    case 'fairness_monitoring': {
      const cadence = observedCadence(allLocal);
      if (!cadence) return null;
      const policy =
        ` Drift policy in force${input.driftPolicy.overridden ? ' (set for this model)' : ' (the defaults)'}: ` +
        `fairness band ${band}, PSI warning ${formatNumber(t.psiWarning)} and alert ${formatNumber(t.psiAlert)}, ` +
        `a group's rate change of ${formatNumber(t.rateChangeWarning)} warns and ${formatNumber(t.rateChangeAlert)} alerts (with significance at alpha ${formatNumber(t.alpha)}).`;
      return { text: cadence.text + policy, evidence: cadence.evidence };
    }
  }
}

function howToFill(spec: Hti1AttributeSpec): string {
  const fields = spec.documentation.map((f) => `documentation.${f}`);
  const audit: Partial<Record<Hti1Measure, string>> = {
    development_representativeness: 'an audit with config.dataSource "training" or "internal_test"',
    development_relevance: 'a development audit (training or internal_test) and a local audit',
    external_setting: 'an external audit (config.dataSource "external") with config.dataSourceDescription',
    external_representativeness: 'an audit with config.dataSource "external"',
    internal_validity: 'an audit with config.dataSource "internal_test" and labels',
    internal_fairness: 'an audit with config.dataSource "internal_test"',
    external_validity: 'an audit with config.dataSource "external" and labels',
    external_fairness: 'an audit with config.dataSource "external"',
    local_validity: 'an audit with config.dataSource "local" and labels',
    local_fairness: 'an audit with config.dataSource "local"',
    validity_monitoring: 'local audits',
    fairness_monitoring: 'local audits',
  };
  const ways = [
    ...(fields.length > 0 ? [`the model's ${fields.join(' and ')} (PATCH /v1/models/{modelId})`] : []),
    ...(spec.measured && audit[spec.measured] ? [audit[spec.measured]!] : []),
  ];
  return `Fill with ${ways.join(', or ')}.`;
}

/** The data setting whose audits a validity or fairness attribute reads. */
const SETTING_OF: Partial<Record<Hti1Measure, DataSource>> = {
  internal_validity: 'internal_test',
  internal_fairness: 'internal_test',
  external_validity: 'external',
  external_fairness: 'external',
  local_validity: 'local',
  local_fairness: 'local',
};

/**
 * The regression and multiclass audits on an attribute's data setting, named because its figures are those of
 * binary audits only (a truthful export does not leave them out silently). Null when there are none.
 */
export function otherTaskNote(measure: Hti1Measure | undefined, input: ExportInput): string | null {
  const setting = measure ? SETTING_OF[measure] : undefined;
  const others = (input.otherTaskAudits ?? []).filter((a) => a.dataSource === setting);
  if (!setting || others.length === 0) return null;
  const named = others
    .slice(0, MAX_AUDITS_CITED)
    .map((a) => `${a.task} audit ${a.name ? `"${a.name}" (${a.id})` : a.id}`);
  const more = others.length > MAX_AUDITS_CITED ? ` and ${others.length - MAX_AUDITS_CITED} more` : '';
  return (
    `Not summarised here: ${named.join(', ')}${more} on ${DATA_SOURCE_WORDS[setting]}; this export's figures ` +
    'come from binary audits only (see GET /v1/audits/{auditId}/metrics).'
  );
}

/** One attribute: measured text (with evidence) and the documentation, or missing. */
export function buildAttribute(spec: Hti1AttributeSpec, input: ExportInput): Hti1Attribute {
  const doc = documentationText(input.model.documentation, spec.documentation);
  const measured = spec.measured ? measure(spec.measured, input) : null;
  const note = otherTaskNote(spec.measured, input);
  const base = { id: spec.id, title: spec.title, documentationFields: [...spec.documentation] };
  if (measured) {
    const text = note ? `${measured.text} ${note}` : measured.text;
    return {
      ...base,
      value: doc ? `${text} Documented: ${doc}` : text,
      source: 'audits',
      evidence: measured.evidence,
    };
  }
  if (doc) return { ...base, value: note ? `${doc} ${note}` : doc, source: 'documentation' };
  return { ...base, value: null, source: 'missing' };
}

/** The whole export, attributes in the regulation's order, the missing ones first in the summary. */
export function buildHti1Export(input: ExportInput): Omit<Hti1Export, 'signature'> {
  const attributes = HTI1_ATTRIBUTES.map((spec) => buildAttribute(spec, input));
  const missing = HTI1_ATTRIBUTES.filter((_, i) => attributes[i]!.source === 'missing');
  return {
    exportId: input.exportId,
    modelId: input.model.id,
    model: { name: input.model.name, version: input.model.version },
    generatedAt: input.generatedAt,
    regulation: REGULATION,
    summary: {
      total: attributes.length,
      fromAudits: attributes.filter((a) => a.source === 'audits').length,
      fromDocumentation: attributes.filter((a) => a.source === 'documentation').length,
      missing: missing.length,
      missingAttributes: missing.map((spec) => ({
        id: spec.id,
        title: spec.title,
        documentationFields: [...spec.documentation],
        howToFill: [howToFill(spec), otherTaskNote(spec.measured, input)].filter(Boolean).join(' '),
      })),
    },
    attributes,
  };
}

/** The audits an export's measured attributes cite, deduplicated. */
export function citedAuditIds(attributes: readonly Hti1Attribute[]): string[] {
  return [...new Set(attributes.flatMap((a) => (a.evidence ?? []).map((e) => e.auditId)))];
}
