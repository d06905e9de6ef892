/**
 * A stored MulticlassResult in the contract's shape, its fields put back in reading order (jsonb keeps object
 * keys sorted by length): classes in the result's order, rates in CLASS_RATE_KEYS order, value before its
 * interval. Class names that look like integers ("1", "10") come first in any JSON object whatever the
 * order they are written in: `classes` carries the order.
 */
import type { Disparity } from '../../core/fairness';
import {
  CLASS_RATE_KEYS,
  type ClassMetrics,
  type MulticlassGroupResult,
  type MulticlassResult,
  type MulticlassSliceResult,
} from '../../core/tasks';
import { inOrder, metricsInOrder, toDisparityDto } from './audits.mapper';
import type { DisparityDto, MetricValueDto } from './dto/metrics.dto';
import type {
  MulticlassGroupDto,
  MulticlassMetricsResultDto,
  MulticlassSliceDto,
} from './dto/multiclass-metrics.dto';

const GROUP_METRICS = ['count', 'accuracy'] as const;

export function toMulticlassMetricsDto(auditId: string, r: MulticlassResult): MulticlassMetricsResultDto {
  return {
    auditId,
    task: 'multiclass',
    classes: r.classes,
    labelFree: r.labelFree,
    overall: {
      count: r.overall.count,
      metrics: metricsInOrder(r.overall.metrics, GROUP_METRICS),
      classes: classRates(r.overall.classes, r.classes),
    },
    slices: r.slices.map((s) => toSliceDto(s, r.classes)),
    conventions: r.conventions,
  };
}

function toSliceDto(slice: MulticlassSliceResult, classes: readonly string[]): MulticlassSliceDto {
  const summaries = slice.summary.classes;
  return {
    attributes: slice.attributes,
    reference: inOrder(slice.reference, slice.attributes),
    groups: slice.groups.map((g) => toGroupDto(g, slice.attributes, classes)),
    summary: {
      accuracy_difference: slice.summary.accuracy_difference,
      accuracy_ratio: slice.summary.accuracy_ratio,
      classes: Object.fromEntries(classes.flatMap((c) => (summaries[c] ? [[c, summaries[c]]] : []))),
    },
    ...(slice.droppedRows !== undefined && { droppedRows: slice.droppedRows }),
  };
}

function toGroupDto(
  g: MulticlassGroupResult,
  attributes: readonly string[],
  classes: readonly string[],
): MulticlassGroupDto {
  const byClass = g.disparities.classes ?? {};
  return {
    key: inOrder(g.key, attributes),
    count: g.count,
    share: g.share,
    metrics: metricsInOrder(g.metrics, GROUP_METRICS),
    classes: classRates(g.classes, classes),
    disparities: {
      ...(g.disparities.accuracy && { accuracy: toDisparityDto(g.disparities.accuracy) }),
      classes: Object.fromEntries(classes.map((c) => [c, disparitiesInOrder(byClass[c] ?? {})])),
    },
    flags: g.flags,
  };
}

function classRates(
  rates: Record<string, ClassMetrics>,
  classes: readonly string[],
): Record<string, Record<string, MetricValueDto>> {
  return Object.fromEntries(classes.map((c) => [c, metricsInOrder(rates[c] ?? {}, CLASS_RATE_KEYS)]));
}

function disparitiesInOrder(d: Partial<Record<string, Disparity>>): Record<string, DisparityDto> {
  const out: Record<string, DisparityDto> = {};
  for (const k of CLASS_RATE_KEYS) {
    const v = d[k];
    if (v) out[k] = toDisparityDto(v);
  }
  return out;
}
