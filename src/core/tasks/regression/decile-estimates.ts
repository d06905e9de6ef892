import { tCritical } from '../../stats';
import type { PredictionDecile } from '../types';
import { D, DECILE_STRIDE, DECILES } from './deciles';
import type { Shift } from './moments';

/**
 * Group g's ten deciles from its decile sums (deciles.ts): count, mean prediction, and mean target with a
 * t-interval (df = n_eff − 1, as for the group means; null below an effective size of 2).
 */
export function groupDeciles(
  sums: Float64Array,
  g: number,
  shift: Shift,
  confidenceLevel: number,
): PredictionDecile[] {
  const out: PredictionDecile[] = [];
  for (let d = 0; d < DECILES; d++) {
    const at = (g * DECILES + d) * DECILE_STRIDE;
    const w = sums[at + D.w]!;
    const count = sums[at + D.count]!;
    if (!(w > 0)) {
      out.push({
        decile: d + 1,
        count,
        meanPrediction: null,
        meanTarget: { value: null, ciLow: null, ciHigh: null },
      });
      continue;
    }
    const nEff = (w * w) / sums[at + D.w2]!;
    const my = sums[at + D.y1]! / w;
    const value = shift.y + my;
    const df = nEff - 1;
    let ciLow: number | null = null;
    let ciHigh: number | null = null;
    if (df > 0) {
      const variance = (Math.max(0, sums[at + D.y2]! / w - my * my) * nEff) / df;
      const half = tCritical(confidenceLevel, df) * Math.sqrt(variance / nEff);
      ciLow = value - half;
      ciHigh = value + half;
    }
    out.push({
      decile: d + 1,
      count,
      meanPrediction: shift.p + sums[at + D.p1]! / w,
      meanTarget: { value, ciLow, ciHigh },
    });
  }
  return out;
}
