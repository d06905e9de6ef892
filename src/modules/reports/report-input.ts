/**
 * Assembles the report view model's input from stored audit data. Mapping only: every number comes from the
 * stored results, drift, timeline and control outcomes.
 */
import { createHash } from 'node:crypto';
import type { ReportInput, TimelineSeries } from '../../core/reports';
import type { AuditMetrics } from '../../core/tasks';
import type { Audit } from '../audits/audits.types';
import type { ModelTimelinePoint } from '../drift/drift.types';
import type { Model } from '../models/models.types';

/** The metric whose per-group history the report charts, per sensitive attribute. */
export const TIMELINE_METRIC = 'selection_rate';

/**
 * One series per audited attribute (single-attribute slices): the selection rate of each group and the
 * slice summary in every audit of the model up to and including this one, oldest first. `timelineOf` is the
 * drift module's timeline (stored per-group values, never the audits' full results).
 */
export async function timelineSeries(
  audit: Audit,
  timelineOf: (attribute: string) => Promise<{ points: ModelTimelinePoint[] }>,
): Promise<TimelineSeries[]> {
  const attributes = audit.results.slices
    .filter((s) => s.attributes.length === 1)
    .map((s) => s.attributes[0] as string);
  const series: TimelineSeries[] = [];
  for (const attribute of attributes) {
    const { points } = await timelineOf(attribute);
    const upTo = points.findIndex((p) => p.auditId === audit.id);
    series.push({
      metric: TIMELINE_METRIC,
      attribute,
      points: points.slice(0, upTo + 1).map((p) => ({
        at: p.at,
        auditId: p.auditId,
        name: p.name,
        periodEnd: p.periodEnd,
        summary: definedNumbers(p.summary ?? {}),
        groups: p.groups.map((g) => ({ key: g.key, value: g.value, count: g.count })),
      })),
    });
  }
  return series;
}

function definedNumbers(summary: object): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(summary))
    if (typeof v === 'number' || v === null) out[k] = v as number | null;
  return out;
}

/** The stored entities, plus the view model input's fields that are passed through as they are. */
export interface ReportSources extends Pick<
  ReportInput,
  | 'drift'
  | 'timeline'
  | 'controls'
  | 'policyVersion'
  | 'alpha'
  | 'catalogVersion'
  | 'softwareVersion'
  | 'trailHead'
  | 'calibration'
  | 'thresholds'
> {
  report: { id: string; title: string; createdAt: Date };
  organizationName: string;
  model: Model;
  audit: Audit;
}

/** The view model input; its fingerprint is the SHA-256 of its own canonical JSON (with a null fingerprint). */
export function reportInput(s: ReportSources): ReportInput<AuditMetrics> {
  const { audit, model } = s;
  const cols = audit.columnsUsed;
  const usesThreshold = cols.prediction === undefined && cols.score !== undefined;
  const input: ReportInput<AuditMetrics> = {
    report: {
      id: s.report.id,
      title: s.report.title,
      createdAt: s.report.createdAt.toISOString(),
      fingerprint: null,
    },
    organization: { name: s.organizationName },
    model: {
      id: model.id,
      name: model.name,
      version: model.version,
      ...(model.description ? { description: model.description } : {}),
      ...(model.documentation.intendedUse ? { intendedUse: model.documentation.intendedUse } : {}),
      ...(model.documentation.owner ? { owner: model.documentation.owner } : {}),
    },
    audit: {
      id: audit.id,
      ...(audit.name ? { name: audit.name } : {}),
      createdAt: audit.createdAt.toISOString(),
      ...(audit.periodStart ? { periodStart: audit.periodStart.toISOString() } : {}),
      ...(audit.periodEnd ? { periodEnd: audit.periodEnd.toISOString() } : {}),
      rowCount: audit.rowCount,
      dataSha256: audit.dataSha256,
      columnsUsed: {
        ...(cols.label !== undefined ? { label: cols.label } : {}),
        ...(cols.prediction !== undefined ? { prediction: cols.prediction } : {}),
        ...(cols.score !== undefined ? { score: cols.score } : {}),
        ...(cols.count !== undefined ? { count: cols.count } : {}),
        ...(audit.config.targetColumn !== undefined ? { target: audit.config.targetColumn } : {}),
        attributes: [...cols.attributes],
      },
      config: {
        favorableOutcome: audit.config.favorableOutcome,
        reference: {
          strategy: audit.config.reference.strategy,
          ...(audit.config.reference.groups ? { groups: { ...audit.config.reference.groups } } : {}),
        },
        minGroupSize: audit.config.minGroupSize,
        ...(audit.config.privacy ? { privacy: audit.config.privacy } : {}),
        ...(usesThreshold ? { threshold: audit.config.threshold } : {}),
        ...(audit.config.targetColumn !== undefined ? { targetColumn: audit.config.targetColumn } : {}),
      },
    },
    result: audit.results,
    drift: s.drift,
    timeline: s.timeline,
    controls: s.controls,
    policyVersion: s.policyVersion,
    alpha: s.alpha,
    catalogVersion: s.catalogVersion,
    softwareVersion: s.softwareVersion,
    ...(s.trailHead ? { trailHead: s.trailHead } : {}),
    ...(s.calibration ? { calibration: s.calibration } : {}),
    ...(s.thresholds ? { thresholds: s.thresholds } : {}),
  };
  input.report.fingerprint = sha256Hex(canonicalJson(input));
  return input;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every level (undefined members left out, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
