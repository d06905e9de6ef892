import { REGRESSION_METRIC_KEYS, type RegressionResult, type RegressionSliceResult } from '../../core/tasks';
import type { MetricValue } from '../../core/fairness';
import type { DisparityDto, MetricValueDto } from './dto/metrics.dto';
import type { RegressionGroupResultDto, RegressionMetricsDto } from './dto/regression-metrics.dto';

const DISPARITY_FIELDS = [
  'difference',
  'ratio',
  'differenceCiLow',
  'differenceCiHigh',
  'ratioCiLow',
  'ratioCiHigh',
  'pValue',
  'pValueAdjusted',
  'test',
] as const;

/**
 * A stored RegressionResult in the contract's shape, fields put back in reading order (jsonb sorts keys by
 * length): group keys in the slice's attribute order, metrics in REGRESSION_METRIC_KEYS order.
 */
export function toRegressionMetricsDto(auditId: string, r: RegressionResult): RegressionMetricsDto {
  return {
    auditId,
    task: 'regression',
    overall: {
      count: r.overall.count,
      metrics: metricMap(r.overall.metrics),
      ...(r.overall.predictionDeciles && { predictionDeciles: r.overall.predictionDeciles }),
    },
    ...(r.decileCutPoints && { decileCutPoints: r.decileCutPoints }),
    slices: r.slices.map(toSliceDto),
    conventions: r.conventions,
  };
}

function toSliceDto(slice: RegressionSliceResult): RegressionMetricsDto['slices'][number] {
  return {
    attributes: slice.attributes,
    reference: inOrder(slice.reference, slice.attributes),
    groups: slice.groups.map((g): RegressionGroupResultDto => ({
      key: inOrder(g.key, slice.attributes),
      count: g.count,
      share: g.share,
      metrics: metricMap(g.metrics),
      disparities: Object.fromEntries(
        REGRESSION_METRIC_KEYS.flatMap((k) => {
          const d = k === 'count' ? undefined : g.disparities[k];
          if (d === undefined) return [];
          const out: Record<string, unknown> = {};
          for (const f of DISPARITY_FIELDS) if (d[f] !== undefined) out[f] = d[f];
          return [[k, out as unknown as DisparityDto]];
        }),
      ),
      ...(g.predictionDeciles && { predictionDeciles: g.predictionDeciles }),
      flags: g.flags,
    })),
    summary: slice.summary,
    ...(slice.droppedRows !== undefined && { droppedRows: slice.droppedRows }),
  };
}

function metricMap(metrics: Partial<Record<string, MetricValue>>): Record<string, MetricValueDto> {
  const out: Record<string, MetricValueDto> = {};
  for (const k of REGRESSION_METRIC_KEYS) {
    const v = metrics[k];
    if (v === undefined) continue;
    out[k] = k === 'count' ? { value: v.value } : { value: v.value, ciLow: v.ciLow, ciHigh: v.ciHigh };
  }
  return out;
}

function inOrder(key: Record<string, string>, attributes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of attributes) if (key[a] !== undefined) out[a] = key[a];
  for (const [a, v] of Object.entries(key)) if (!(a in out)) out[a] = v;
  return out;
}
