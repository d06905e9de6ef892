import type { DriftReport, Metrics } from '../client';
import { driftHiddenReason } from '../core/reports/drift-view';
import { SuppressionIndex } from '../core/reports/suppression-index';
import { num, pValue, renderTable } from './table';

type Check = DriftReport['checks'][number];

/**
 * The drift checks as a table, under the reports' disclosure rules: the figures (statistic, p-value,
 * baseline and current value) of a check about a group or rate that the audit's report suppresses, or about
 * a slice summary resting on one, are "suppressed", as in the report's drift section (driftHiddenReason).
 */
export function renderDriftTable(checks: readonly Check[], metrics: Metrics): string {
  const idx = new SuppressionIndex(metrics.slices);
  const minGroupSize = metrics.conventions.minGroupSize;
  const hidden = (c: Check): boolean => driftHiddenReason(c, idx, minGroupSize) !== null;
  const figure = (c: Check, text: string): string => (hidden(c) ? 'suppressed' : text);
  return renderTable(checks, [
    { header: 'STATUS', value: (c) => c.status.toUpperCase() },
    { header: 'KIND', value: (c) => c.kind },
    {
      header: 'GROUP',
      value: (c) => (c.key ? Object.values(c.key).join(' × ') : (c.attributes ?? []).join(' × ') || '-'),
    },
    { header: 'METRIC', value: (c) => c.metric ?? '-' },
    { header: 'STATISTIC', value: (c) => c.statistic },
    { header: 'VALUE', value: (c) => figure(c, num(c.value)), align: 'right' },
    { header: 'P', value: (c) => figure(c, pValue(c.pValueAdjusted ?? c.pValue)), align: 'right' },
    { header: 'BASELINE', value: (c) => figure(c, num(c.baseline)), align: 'right' },
    { header: 'CURRENT', value: (c) => figure(c, num(c.current)), align: 'right' },
  ]);
}

/** What the task table reads of a regression or multiclass audit's metrics: each slice's group sizes. */
export interface TaskGroupSizes {
  slices: readonly {
    attributes: readonly string[];
    groups: readonly { key: Record<string, string>; count: number }[];
  }[];
}

/** Counts 1–10 are never printed, nor derivable (docs/disclosure-control.md). */
const SMALL_CELL_MAX = 10;

/**
 * The drift checks of a regression or multiclass audit as a table. The same disclosure rule as the
 * binary table, from the group sizes alone: a check about a group of 1 to 10 people, or about an attribute
 * (a mix or a summary) whose slice has such a group, shows "suppressed" for every figure. A per-class
 * check names its class in the metric column ("selection_rate[urgent]").
 */
export function renderTaskDriftTable(checks: readonly Check[], metrics: TaskGroupSizes): string {
  const tiny = (count: number): boolean => count >= 1 && count <= SMALL_CELL_MAX;
  const sameKey = (a: Record<string, string>, b: Record<string, string>): boolean =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
  const hidden = (c: Check): boolean => {
    const slices = metrics.slices.filter(
      (s) =>
        c.attributes !== undefined && [...s.attributes].sort().join() === [...c.attributes].sort().join(),
    );
    if (c.key !== undefined)
      return slices.some((s) => s.groups.some((g) => sameKey(g.key, c.key!) && tiny(g.count)));
    return slices.some((s) => s.groups.some((g) => tiny(g.count)));
  };
  const figure = (c: Check, text: string): string => (hidden(c) ? 'suppressed' : text);
  return renderTable(checks, [
    { header: 'STATUS', value: (c) => c.status.toUpperCase() },
    { header: 'KIND', value: (c) => c.kind },
    {
      header: 'GROUP',
      value: (c) => (c.key ? Object.values(c.key).join(' × ') : (c.attributes ?? []).join(' × ') || '-'),
    },
    { header: 'METRIC', value: (c) => (c.metric ?? '-') + (c.class !== undefined ? `[${c.class}]` : '') },
    { header: 'STATISTIC', value: (c) => c.statistic },
    { header: 'VALUE', value: (c) => figure(c, num(c.value)), align: 'right' },
    { header: 'P', value: (c) => figure(c, pValue(c.pValueAdjusted ?? c.pValue)), align: 'right' },
    { header: 'BASELINE', value: (c) => figure(c, num(c.baseline)), align: 'right' },
    { header: 'CURRENT', value: (c) => figure(c, num(c.current)), align: 'right' },
  ]);
}
