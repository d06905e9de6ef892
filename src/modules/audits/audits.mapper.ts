import {
  CALIBRATION_DISPARITY_KEYS,
  METRIC_KEYS,
  RATE_KEYS,
  type Disparity,
  type FairnessResult,
  type GroupResult,
  type MetricValue,
  type SliceResult,
} from '../../core/fairness';
import type { AuditSummary } from './audit-headline';
import type { AuditConfigDto, AuditDto } from './dto/audit.dto';
import type {
  DisparityDto,
  GroupResultDto,
  MetricValueDto,
  MetricsDto,
  SliceResultDto,
} from './dto/metrics.dto';
import type { Audit } from './audits.types';

export function toAuditDto(a: Audit): AuditDto {
  return {
    id: a.id,
    modelId: a.modelId,
    createdAt: a.createdAt.toISOString(),
    rowCount: a.rowCount,
    dataSha256: a.dataSha256,
    config: a.config as unknown as AuditConfigDto,
    summary: a.summary as unknown as AuditSummary, // written by auditHeadline() (audit-headline.ts)
    skippedRows: a.skippedRows,
    firstSkippedRows: a.firstSkippedRows,
    columnsUsed: { ...a.columnsUsed, attributes: [...a.columnsUsed.attributes] },
    name: a.name,
    periodStart: a.periodStart?.toISOString() ?? null,
    periodEnd: a.periodEnd?.toISOString() ?? null,
    notes: a.notes,
    dataSource: a.dataSource,
    dataSourceDescription: a.dataSourceDescription,
    documentation: a.documentation,
  };
}

/**
 * The stored FairnessResult in the contract's shape. jsonb keeps object keys sorted by length, so the fields are
 * put back in reading order: group keys in the slice's attribute order, metrics in METRIC_KEYS order, value
 * before its interval.
 */
export function toMetricsDto(auditId: string, results: FairnessResult): MetricsDto {
  return {
    auditId,
    overall: { count: results.overall.count, metrics: metricMap(results.overall.metrics) },
    slices: results.slices.map(toSliceDto),
    labelFree: results.labelFree,
    conventions: results.conventions,
  };
}

function toSliceDto(slice: SliceResult): SliceResultDto {
  return {
    attributes: slice.attributes,
    reference: inOrder(slice.reference, slice.attributes),
    groups: slice.groups.map((g) => toGroupDto(g, slice.attributes)),
    summary: slice.summary,
    ...(slice.droppedRows !== undefined && { droppedRows: slice.droppedRows }),
  };
}

function toGroupDto(g: GroupResult, attributes: readonly string[]): GroupResultDto {
  const disparities: Record<string, DisparityDto> = {};
  for (const k of [...RATE_KEYS, ...CALIBRATION_DISPARITY_KEYS]) {
    const d = g.disparities[k];
    if (d) disparities[k] = toDisparityDto(d);
  }
  return {
    key: inOrder(g.key, attributes),
    count: g.count,
    share: g.share,
    metrics: metricMap(g.metrics),
    disparities,
    ...(g.averageOddsDifference !== undefined && { averageOddsDifference: g.averageOddsDifference }),
    flags: g.flags,
  };
}

function metricMap(metrics: Partial<Record<string, MetricValue>>): Record<string, MetricValueDto> {
  return metricsInOrder(metrics, METRIC_KEYS);
}

/** The metrics of `keys` present, in that order, each with its fields in reading order. */
export function metricsInOrder(
  metrics: Partial<Record<string, MetricValue>>,
  keys: readonly string[],
): Record<string, MetricValueDto> {
  const out: Record<string, MetricValueDto> = {};
  for (const k of keys) {
    const v = metrics[k];
    if (v)
      out[k] = pick(v, [
        'value',
        'ciLow',
        'ciHigh',
        'numerator',
        'denominator',
        'flag',
      ]) as unknown as MetricValueDto;
  }
  return out;
}

const DISPARITY_FIELDS: readonly (keyof Disparity)[] = [
  'difference',
  'ratio',
  'differenceCiLow',
  'differenceCiHigh',
  'ratioCiLow',
  'ratioCiHigh',
  'pValue',
  'pValueAdjusted',
  'test',
  'impactRatio',
  'withinBand',
  'minDetectableRatio',
  'minDetectableRatioAbove',
];

export function toDisparityDto(d: Disparity): DisparityDto {
  return pick(d, DISPARITY_FIELDS) as unknown as DisparityDto;
}

function pick<T extends object>(source: T, fields: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const f of fields) if (source[f] !== undefined) out[f] = source[f];
  return out;
}

export function inOrder(key: Record<string, string>, attributes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of attributes) if (key[a] !== undefined) out[a] = key[a];
  for (const [a, v] of Object.entries(key)) if (!(a in out)) out[a] = v;
  return out;
}
