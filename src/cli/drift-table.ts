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
