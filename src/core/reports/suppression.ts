/**
 * Small-cell suppression (CMS cell-size rule, docs/metrics.md "Small cells in reports"):
 * counts 1..10 are never printed, nor anything they can be derived from.
 *
 * (a) a group count in 1..10 is hidden ("≤10") and all its rates and intervals are suppressed;
 * (b) a rate whose numerator, denominator or denominator − numerator is in 1..10 is suppressed
 *     (a rate times a shown denominator would reveal the numerator);
 * (c) complementary suppression: along every line of cells whose sum is known (the whole slice; for an
 *     intersection also each row and column, whose sum is the marginal group's count), a single
 *     suppressed cell gets a partner: the next-smallest cell is suppressed too. The same is done per
 *     rate metric, since numerators add up along the same lines.
 * Disparities (ratio, difference, impact ratio) of a suppressed rate are suppressed, and so are all
 * disparities of a metric whose reference group (or top group for the impact ratio) is suppressed.
 */
import type { GroupResult, MetricKey, MetricValue, RateKey, SliceResult } from '../fairness/types';
import { CALIBRATION_KEYS, RATE_KEYS } from '../fairness/types';
import { isSmallCount, keyId } from './format';

export type CountSuppressionReason = 'small_count' | 'complementary';
export type MetricSuppressionReason =
  | 'count'
  | 'small_numerator_or_denominator'
  | 'unknown_denominator'
  | 'depends_on_suppressed'
  | 'complementary';

export interface GroupSuppression {
  countSuppressed: boolean;
  countReason: CountSuppressionReason | null;
  /** Metric → why it must not be shown. Absent keys may be shown. */
  suppressedMetrics: Partial<Record<MetricKey, MetricSuppressionReason>>;
  /** Rate keys whose disparities vs the reference (difference, ratio, intervals, p-values) must not be shown. */
  suppressedDisparities: RateKey[];
  /**
   * The impact ratio (rate / top group's rate) must not be shown: the group's own selection rate is
   * suppressed, or the top group's is (a shown rate divided by the impact ratio would reveal it).
   */
  impactRatioSuppressed: boolean;
}

export interface SliceSuppression {
  /** Same order as the slice's groups. */
  groups: GroupSuppression[];
  /** Whether anything in the slice was suppressed. */
  applied: boolean;
  /** The slice total must not be shown either (a single non-empty suppressed cell with no partner). */
  totalSuppressed: boolean;
}

const RATE_SET = new Set<string>(RATE_KEYS);

interface NumDen {
  num: number;
  den: number;
}

/** Numerator and denominator of a rate: given by the engine, else inferred from the group's other rates. */
function numDen(group: GroupResult, key: MetricKey): NumDen | null {
  const m = group.metrics[key];
  if (m && m.numerator !== undefined && m.denominator !== undefined)
    return { num: m.numerator, den: m.denominator };
  const n = group.count;
  const fromValue = (den: number | null): NumDen | null => {
    if (den === null) return null;
    const v = m?.value;
    if (v === null || v === undefined) return { num: 0, den };
    return { num: v * den, den };
  };
  const countOf = (k: MetricKey): number | null => {
    const mv: MetricValue | undefined = group.metrics[k];
    if (!mv) return null;
    if (mv.numerator !== undefined) return mv.numerator;
    if (mv.value === null) return n === 0 ? 0 : null;
    return mv.value * n;
  };
  switch (key) {
    case 'base_rate':
    case 'selection_rate':
    case 'accuracy':
    case 'scoring_rate':
      return fromValue(n);
    case 'true_positive_rate':
    case 'false_negative_rate': {
      const pos = countOf('base_rate');
      return fromValue(pos);
    }
    case 'false_positive_rate':
    case 'true_negative_rate': {
      const pos = countOf('base_rate');
      return fromValue(pos === null ? null : n - pos);
    }
    case 'positive_predictive_value':
    case 'false_discovery_rate': {
      const pp = countOf('selection_rate');
      return fromValue(pp);
    }
    case 'negative_predictive_value':
    case 'false_omission_rate': {
      const pp = countOf('selection_rate');
      return fromValue(pp === null ? null : n - pp);
    }
    case 'balanced_accuracy':
    case 'f1':
    case 'roc_auc':
    case 'brier_score':
    case 'mean_score':
    case 'count':
    case 'expected_calibration_error':
    case 'observed_expected_ratio':
    case 'calibration_intercept':
    case 'calibration_slope':
      return null;
  }
}

function smallND(nd: NumDen): boolean {
  return isSmallCount(nd.num) || isSmallCount(nd.den) || isSmallCount(nd.den - nd.num);
}

/** Lines of cells with a known sum: the whole slice, and for intersections each row/column. */
export function sliceLines(slice: {
  attributes: readonly string[];
  groups: readonly { key: Record<string, string> }[];
}): number[][] {
  const all = slice.groups.map((_, i) => i);
  const lines: number[][] = [all];
  if (slice.attributes.length >= 2) {
    for (const fixedOut of slice.attributes) {
      const others = slice.attributes.filter((a) => a !== fixedOut);
      const byRest = new Map<string, number[]>();
      slice.groups.forEach((g, i) => {
        const id = others.map((a) => `${a}=${g.key[a] ?? ''}`).join('\u0001');
        const list = byRest.get(id);
        if (list) list.push(i);
        else byRest.set(id, [i]);
      });
      for (const l of byRest.values()) lines.push(l);
    }
  }
  return lines;
}

/** Applies rules (a), (b), (c) to one slice. Pure; the input is not modified. */
export function suppressSlice(
  slice: Pick<SliceResult, 'attributes' | 'groups' | 'reference'>,
): SliceSuppression {
  const groups = slice.groups;
  const out: GroupSuppression[] = groups.map((g) => ({
    countSuppressed: isSmallCount(g.count),
    countReason: isSmallCount(g.count) ? 'small_count' : null,
    suppressedMetrics: {},
    suppressedDisparities: [],
    impactRatioSuppressed: false,
  }));
  const lines = sliceLines(slice);
  let totalSuppressed = false;
  const labelOf = (i: number): string => keyId(groups[i]?.key ?? {});

  // (c) complementary suppression of counts, to a fixed point.
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const hidden = line.filter((i) => out[i]?.countSuppressed && (groups[i]?.count ?? 0) > 0);
      if (hidden.length !== 1) continue;
      const candidates = line
        .filter((i) => !out[i]?.countSuppressed && (groups[i]?.count ?? 0) > 0)
        .sort(
          (a, b) => (groups[a]?.count ?? 0) - (groups[b]?.count ?? 0) || labelOf(a).localeCompare(labelOf(b)),
        );
      const pick = candidates[0];
      const target = pick === undefined ? undefined : out[pick];
      if (target) {
        target.countSuppressed = true;
        target.countReason = 'complementary';
        changed = true;
      } else if (line === lines[0]) {
        totalSuppressed = true;
      }
    }
  }

  // Metric keys present anywhere in the slice.
  const metricKeys = new Set<MetricKey>();
  for (const g of groups)
    for (const k of Object.keys(g.metrics) as MetricKey[]) if (k !== 'count') metricKeys.add(k);

  // (a) + (b): per group and metric.
  groups.forEach((g, i) => {
    const s = out[i];
    if (!s) return;
    for (const key of metricKeys) {
      if (s.countSuppressed) {
        s.suppressedMetrics[key] = 'count';
        continue;
      }
      if (RATE_SET.has(key) && key !== 'balanced_accuracy' && key !== 'f1') {
        const nd = numDen(g, key);
        if (nd === null) s.suppressedMetrics[key] = 'unknown_denominator';
        else if (smallND(nd)) s.suppressedMetrics[key] = 'small_numerator_or_denominator';
      }
    }
    const dependsOn = (key: MetricKey, parts: MetricKey[]): void => {
      if (!metricKeys.has(key) || s.suppressedMetrics[key]) return;
      const missing = parts.some((p) => !g.metrics[p]);
      if (missing || parts.some((p) => s.suppressedMetrics[p]))
        s.suppressedMetrics[key] = 'depends_on_suppressed';
    };
    dependsOn('balanced_accuracy', ['true_positive_rate', 'true_negative_rate']);
    dependsOn('f1', ['true_positive_rate', 'positive_predictive_value']);
    // O/E times the expected count (mean score × n) gives the events, and the fits carry them too: the
    // calibration keys are hidden wherever the base rate is.
    for (const key of CALIBRATION_KEYS) dependsOn(key, ['base_rate']);
    if (metricKeys.has('roc_auc') && !s.suppressedMetrics.roc_auc) {
      const pos = numDen(g, 'true_positive_rate')?.den ?? numDen(g, 'base_rate')?.num ?? null;
      if (pos === null) s.suppressedMetrics.roc_auc = 'unknown_denominator';
      else if (isSmallCount(pos) || isSmallCount(g.count - pos))
        s.suppressedMetrics.roc_auc = 'small_numerator_or_denominator';
    }
  });

  // (c) for rates: numerators add up along the same lines.
  for (const key of metricKeys) {
    if (!RATE_SET.has(key)) continue;
    for (let changed = true; changed;) {
      changed = false;
      for (const line of lines) {
        // A suppressed cell hides its value even when it is undefined; a shown "—" reveals nothing.
        const hidden = line.filter((i) => out[i]?.suppressedMetrics[key] !== undefined);
        if (hidden.length !== 1) continue;
        const bearing = line.filter((i) => (groups[i]?.metrics[key]?.value ?? null) !== null);
        const denOf = (i: number): number => {
          const g = groups[i];
          return g ? (numDen(g, key)?.den ?? g.count) : 0;
        };
        const pick = bearing
          .filter((i) => !out[i]?.suppressedMetrics[key])
          .sort((a, b) => denOf(a) - denOf(b) || labelOf(a).localeCompare(labelOf(b)))[0];
        const target = pick === undefined ? undefined : out[pick];
        if (target) {
          target.suppressedMetrics[key] = 'complementary';
          changed = true;
        }
      }
    }
  }

  // Disparities.
  const refId = keyId(slice.reference);
  const refIndex = groups.findIndex((g) => keyId(g.key) === refId);
  const topIndex = groups.findIndex((g) => g.disparities.selection_rate?.impactRatio === 1);
  groups.forEach((g, i) => {
    const s = out[i];
    if (!s) return;
    for (const key of Object.keys(g.disparities) as RateKey[]) {
      const own = s.suppressedMetrics[key] !== undefined;
      const ref = refIndex >= 0 && out[refIndex]?.suppressedMetrics[key] !== undefined;
      if (own || ref) s.suppressedDisparities.push(key);
    }
    const top = topIndex >= 0 && out[topIndex]?.suppressedMetrics.selection_rate !== undefined;
    s.impactRatioSuppressed = s.suppressedMetrics.selection_rate !== undefined || top;
  });

  const applied =
    totalSuppressed || out.some((s) => s.countSuppressed || Object.keys(s.suppressedMetrics).length > 0);
  return { groups: out, applied, totalSuppressed };
}
