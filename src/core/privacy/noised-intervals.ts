/**
 * Intervals that account for the noise of a noised cell table (docs/metrics.md, "Noised counts").
 *
 * A rate p = X/N of a group is a ratio of sums of released cells: X sums k_num cells, N sums k_den cells
 * (the numerator's cells are among the denominator's), each cell carrying independent noise of variance v
 * (cellNoiseVariance). By the delta method the noise adds to the variance of p
 *
 *   V_noise(p) = v · (k_num·(1 − p)² + (k_den − k_num)·p²) / N²
 *
 * and each side of the sampling interval is widened in quadrature: a side of length s becomes
 * √(s² + z²·V_noise). Differences add both groups' V_noise; ratios widen on the log scale with
 * V_noise(g)/p_g² + V_noise(r)/p_r². k_num and k_den are counted from the same upload read with every
 * table row as one row (computeFairness without counts gives each rate's numerator and denominator in
 * rows, which are the numbers of cells summed).
 */
import type { Disparity, FairnessResult, GroupResult, MetricValue, RateKey } from '../fairness';
import { clampTo } from '../stats';

type Metrics = Partial<Record<string, MetricValue>>;

/** V_noise(p) of one rate, or null when the rate has no value or no denominator. */
export function rateNoiseVariance(
  rate: Pick<MetricValue, 'value' | 'denominator'>,
  cells: Pick<MetricValue, 'numerator' | 'denominator'>,
  cellVariance: number,
): number | null {
  const p = rate.value;
  const n = rate.denominator;
  const kNum = cells.numerator;
  const kDen = cells.denominator;
  if (p === null || n === undefined || !(n > 0) || kNum === undefined || kDen === undefined) return null;
  return (cellVariance * (kNum * (1 - p) ** 2 + (kDen - kNum) * p * p)) / (n * n);
}

/** [low, high] around `centre`, each side widened in quadrature by z·√extra. */
export function widenInterval(
  centre: number,
  low: number,
  high: number,
  extra: number,
  z: number,
): { low: number; high: number } {
  return {
    low: centre - Math.sqrt((centre - low) ** 2 + z * z * extra),
    high: centre + Math.sqrt((high - centre) ** 2 + z * z * extra),
  };
}

function widenRate(metric: MetricValue, noise: number | null, z: number): void {
  if (
    noise === null ||
    metric.value === null ||
    typeof metric.ciLow !== 'number' ||
    typeof metric.ciHigh !== 'number'
  )
    return;
  const wide = widenInterval(metric.value, metric.ciLow, metric.ciHigh, noise, z);
  metric.ciLow = clampTo(wide.low, 0, 1);
  metric.ciHigh = clampTo(wide.high, 0, 1);
}

function widenDisparity(
  d: Disparity,
  group: number | null,
  reference: number | null,
  pg: number | null,
  pr: number | null,
  z: number,
): void {
  if (group === null || reference === null) return;
  if (
    d.difference !== null &&
    typeof d.differenceCiLow === 'number' &&
    typeof d.differenceCiHigh === 'number'
  ) {
    const wide = widenInterval(d.difference, d.differenceCiLow, d.differenceCiHigh, group + reference, z);
    d.differenceCiLow = Math.max(-1, wide.low);
    d.differenceCiHigh = Math.min(1, wide.high);
  }
  if (
    d.ratio !== null &&
    d.ratio > 0 &&
    pg !== null &&
    pr !== null &&
    pg > 0 &&
    pr > 0 &&
    typeof d.ratioCiLow === 'number' &&
    d.ratioCiLow > 0
  ) {
    const log = Math.log(d.ratio);
    const high = typeof d.ratioCiHigh !== 'number' ? null : Math.log(d.ratioCiHigh);
    const wide = widenInterval(
      log,
      Math.log(d.ratioCiLow),
      high ?? log,
      group / (pg * pg) + reference / (pr * pr),
      z,
    );
    d.ratioCiLow = Math.exp(wide.low);
    // An interval unbounded above stays so.
    if (high !== null) d.ratioCiHigh = Math.exp(wide.high);
  }
}

function keyOf(key: Record<string, string>): string {
  return JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)));
}

/** Each rate's V_noise, by metric key, for one group's metrics. */
function noiseOf(
  metrics: Metrics,
  cells: Metrics | undefined,
  cellVariance: number,
): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [key, metric] of Object.entries(metrics)) {
    const own = cells?.[key];
    if (metric?.numerator === undefined || own === undefined) continue;
    out.set(key, rateNoiseVariance(metric, own, cellVariance));
  }
  return out;
}

/**
 * `result` with every rate interval, and the difference and ratio intervals of those rates, widened for
 * the noise. `cells` is the same upload computed with one row per table row (the k's above). The result
 * is copied, not changed.
 */
export function widenForNoise(
  result: FairnessResult,
  cells: FairnessResult,
  cellVariance: number,
  z: number,
): FairnessResult {
  const out = structuredClone(result);
  const overallNoise = noiseOf(out.overall.metrics, cells.overall.metrics, cellVariance);
  for (const [key, noise] of overallNoise) widenRate(out.overall.metrics[key as RateKey]!, noise, z);
  out.slices.forEach((slice) => {
    const cellSlice = cells.slices.find(
      (s) => s.attributes.join('\u0000') === slice.attributes.join('\u0000'),
    );
    const cellGroups = new Map((cellSlice?.groups ?? []).map((g) => [keyOf(g.key), g]));
    const noise = slice.groups.map((g) =>
      noiseOf(g.metrics, cellGroups.get(keyOf(g.key))?.metrics, cellVariance),
    );
    const referenceIndex = slice.groups.findIndex((g) => keyOf(g.key) === keyOf(slice.reference));
    // Strategy "overall": the reference is the whole slice, which is the whole sample unless rows were dropped.
    const referenceNoise =
      referenceIndex >= 0 ? noise[referenceIndex]! : slice.droppedRows ? null : overallNoise;
    const referenceMetrics: Metrics | undefined =
      referenceIndex >= 0 ? slice.groups[referenceIndex]!.metrics : out.overall.metrics;
    slice.groups.forEach((group: GroupResult, g) => {
      for (const [key, disparity] of Object.entries(group.disparities)) {
        widenDisparity(
          disparity,
          noise[g]!.get(key) ?? null,
          referenceNoise?.get(key) ?? null,
          group.metrics[key as RateKey]?.value ?? null,
          referenceMetrics?.[key]?.value ?? null,
          z,
        );
      }
    });
    slice.groups.forEach((group, g) => {
      for (const [key, value] of noise[g]!) widenRate(group.metrics[key as RateKey]!, value, z);
    });
  });
  return out;
}
