/**
 * Logistic recalibration of a score by maximum likelihood (Cox 1958; Van Calster et al. 2019):
 * logit P(y = 1) = a + logit(s) with logit(s) a fixed offset (calibration intercept, "calibration in the
 * large"), and logit P(y = 1) = a + b·logit(s) (calibration slope b). Newton–Raphson on the (weighted) log
 * likelihood over a group's distinct scores (levels.ts): each distinct score is one term, weighted by its
 * label-1 and label-0 weight, so the fit is exact and costs a pass over the distinct scores per step (with
 * many distinct scores, two or three passes from a start found on merged neighbours). Wald intervals from
 * the Fisher information.
 */
import type { ScoreLevels } from './levels';

/** logit(s) uses s clipped to [CLIP, 1 − CLIP], so scores of exactly 0 and 1 have a finite logit. */
export const LOGIT_CLIP = 1e-6;
const STEP_TOLERANCE = 1e-12;
const MAX_ITERATIONS = 100;
/** A coefficient past this is separation (the likelihood has no finite maximum), not an estimate. */
const DIVERGED = 50;
/** Steps longer than this are checked against the log likelihood (and halved if it falls). */
const SAFE_STEP = 1e-3;
/** Step halving gives up below this fraction of the Newton step. */
const MIN_STEP_FRACTION = 1e-10;

export function clippedLogit(s: number): number {
  const p = clip(s);
  return Math.log(p / (1 - p));
}

function clip(s: number): number {
  return Math.min(Math.max(s, LOGIT_CLIP), 1 - LOGIT_CLIP);
}

export interface WaldEstimate {
  value: number;
  /** Standard error from the inverse Fisher information of the weighted likelihood. */
  se: number;
}

export type FitFailure = 'not_converged';

/** The gradient of the log likelihood and the Fisher information at (a, b); without the slope only the a-parts. */
interface Pass {
  ga: number;
  gb: number;
  iaa: number;
  iab: number;
  ibb: number;
}

/** The logit of each level's (clipped) score, and its odds s/(1 − s). */
export interface LevelLogits {
  x: Float64Array;
  odds: Float64Array;
}

export function levelLogits(levels: ScoreLevels): LevelLogits {
  const x = new Float64Array(levels.length);
  const odds = new Float64Array(levels.length);
  for (let l = 0; l < levels.length; l++) {
    const p = clip(levels.score[l]!);
    odds[l] = p / (1 - p);
    x[l] = Math.log(odds[l]!);
  }
  return { x, odds };
}

/** What a fit reads: per level its label-1 and label-0 weight, logit and odds. */
interface Problem {
  length: number;
  positive: Float64Array;
  negative: Float64Array;
  x: Float64Array;
  odds: Float64Array;
}

/** The intercept's pass: e^(a + x) = e^a·odds, so no exponential per level. */
function interceptPass(d: Problem, a: number): Pass {
  const c = Math.exp(a);
  let ga = 0;
  let iaa = 0;
  const { positive, negative, odds } = d;
  for (let l = 0; l < d.length; l++) {
    const q = c * odds[l]!;
    const total = positive[l]! + negative[l]!;
    const p = q / (1 + q);
    ga += positive[l]! - total * p;
    iaa += (total * p) / (1 + q);
  }
  return { ga, gb: 0, iaa, iab: 0, ibb: 0 };
}

function slopePass(d: Problem, a: number, b: number): Pass {
  let ga = 0;
  let gb = 0;
  let iaa = 0;
  let iab = 0;
  let ibb = 0;
  const { positive, negative, x } = d;
  for (let l = 0; l < d.length; l++) {
    const xl = x[l]!;
    const eta = a + b * xl;
    // sigmoid(eta) without overflow
    const e = Math.exp(-Math.abs(eta));
    const p = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
    const total = positive[l]! + negative[l]!;
    const r = positive[l]! - total * p;
    const v = total * p * (1 - p);
    ga += r;
    gb += r * xl;
    iaa += v;
    iab += v * xl;
    ibb += v * xl * xl;
  }
  return { ga, gb, iaa, iab, ibb };
}

/** The log likelihood at (a, b) (b = 1 for the intercept), for the step-halving safeguard. */
function logLikelihood(d: Problem, a: number, b: number): number {
  let ll = 0;
  const { positive, negative, x } = d;
  for (let l = 0; l < d.length; l++) {
    const eta = a + b * x[l]!;
    ll +=
      positive[l]! * eta -
      (positive[l]! + negative[l]!) * (Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta))));
  }
  return ll;
}

/**
 * Levels merged into runs of at least 8 neighbours, at most COARSE_LEVELS runs (each at its weighted mean
 * logit), when there are 2,048 levels or more: the fit on these
 * lands within about 1e-7 of the exact maximum, so the exact fit that starts there needs two or three passes
 * instead of five to eight (measured on 1M rows with 160,000 to 410,000 distinct scores per group). Only the starting point comes from it; the estimate is the exact fit's.
 */
const COARSE_LEVELS = 4096;

function coarse(d: Problem): Problem | null {
  const runs = Math.min(COARSE_LEVELS, Math.floor(d.length / 8));
  if (runs < COARSE_LEVELS / 16) return null;
  const merged: Problem = {
    length: runs,
    positive: new Float64Array(runs),
    negative: new Float64Array(runs),
    x: new Float64Array(runs),
    odds: new Float64Array(runs),
  };
  for (let m = 0; m < runs; m++) {
    const to = Math.floor(((m + 1) * d.length) / runs);
    let positive = 0;
    let negative = 0;
    let weightedX = 0;
    for (let l = Math.floor((m * d.length) / runs); l < to; l++) {
      positive += d.positive[l]!;
      negative += d.negative[l]!;
      weightedX += (d.positive[l]! + d.negative[l]!) * d.x[l]!;
    }
    const total = positive + negative;
    merged.positive[m] = positive;
    merged.negative[m] = negative;
    merged.x[m] = total > 0 ? weightedX / total : 0;
    merged.odds[m] = Math.exp(merged.x[m]!);
  }
  return merged;
}

/** The merged levels of a group, built once for both fits. */
const COARSE = new WeakMap<LevelLogits, Problem | null>();

/** Intercept a with logit(s) as a fixed offset. */
export function fitCalibrationIntercept(levels: ScoreLevels, logits: LevelLogits): WaldEstimate | FitFailure {
  const fit = warmNewton({ ...levels, ...logits }, logits, false);
  return fit === 'not_converged' ? fit : { value: fit.a, se: fit.se };
}

/** Slope b (and its intercept) in logit P = a + b·logit(s). */
export function fitCalibrationSlope(levels: ScoreLevels, logits: LevelLogits): WaldEstimate | FitFailure {
  const fit = warmNewton({ ...levels, ...logits }, logits, true);
  return fit === 'not_converged' ? fit : { value: fit.b, se: fit.se };
}

interface Point {
  a: number;
  b: number;
  /** Standard error of the reported coefficient (a without the slope, b with it). */
  se: number;
}

/** Newton on the exact levels, started from the fit on the coarse ones when there are many levels. */
function warmNewton(d: Problem, logits: LevelLogits, withSlope: boolean): Point | FitFailure {
  let merged = COARSE.get(logits);
  if (merged === undefined) COARSE.set(logits, (merged = coarse(d)));
  const start = merged === null ? null : newton(merged, withSlope, { a: 0, b: 1, se: NaN });
  return newton(d, withSlope, start === null || start === 'not_converged' ? { a: 0, b: 1, se: NaN } : start);
}

/** The Newton step at a pass and the standard error of the coefficient reported; null when singular. */
function newtonStep(at: Pass, withSlope: boolean): { da: number; db: number; se: number } | null {
  if (withSlope) {
    const det = at.iaa * at.ibb - at.iab * at.iab;
    if (!(det > 0) || !Number.isFinite(det)) return null;
    return {
      da: (at.ibb * at.ga - at.iab * at.gb) / det,
      db: (at.iaa * at.gb - at.iab * at.ga) / det,
      se: Math.sqrt(at.iaa / det),
    };
  }
  if (!(at.iaa > 0) || !Number.isFinite(at.iaa)) return null;
  return { da: at.ga / at.iaa, db: 0, se: 1 / Math.sqrt(at.iaa) };
}

/**
 * Newton–Raphson from `start` (a = 0, b = 1: a perfectly calibrated score, unless warm-started). A step
 * longer than SAFE_STEP is halved until the log likelihood does not fall (far from the maximum a full step
 * can overshoot, e.g. from b = 1 when scores sit at the clip); shorter steps, near the maximum of this
 * concave likelihood, are taken whole. Converged when the full Newton step is below STEP_TOLERANCE: the
 * estimate is the point plus that step, its Wald standard error the one at the point (they differ by less
 * than the step). Under separation the likelihood has no finite maximum and the estimates run past
 * DIVERGED: not converged.
 */
function newton(d: Problem, withSlope: boolean, start: Point): Point | FitFailure {
  let { a, b } = start;
  const pass = (pa: number, pb: number): Pass => (withSlope ? slopePass(d, pa, pb) : interceptPass(d, pa));
  let at = pass(a, b);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const step = newtonStep(at, withSlope);
    if (step === null) return 'not_converged';
    const size = Math.max(Math.abs(step.da), Math.abs(step.db));
    if (!Number.isFinite(size)) return 'not_converged';
    if (size < STEP_TOLERANCE) return { a: a + step.da, b: b + step.db, se: step.se };
    let t = 1;
    if (size > SAFE_STEP) {
      const before = logLikelihood(d, a, b);
      // a little slack for rounding in sums of many terms near the maximum
      const floor = before - 1e-12 * (1 + Math.abs(before));
      while (!(logLikelihood(d, a + t * step.da, b + t * step.db) >= floor)) {
        t /= 2;
        if (t < MIN_STEP_FRACTION) return 'not_converged';
      }
    }
    a += t * step.da;
    b += t * step.db;
    if (Math.abs(a) > DIVERGED || Math.abs(b) > DIVERGED) return 'not_converged';
    at = pass(a, b);
  }
  return 'not_converged';
}
