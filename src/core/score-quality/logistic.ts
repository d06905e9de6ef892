/**
 * Logistic recalibration of a score by maximum likelihood (Cox 1958; Van Calster et al. 2019):
 * logit P(y = 1) = a + logit(s) with logit(s) a fixed offset (calibration intercept, "calibration in the
 * large"), and logit P(y = 1) = a + b·logit(s) (calibration slope b). Newton–Raphson on the (weighted) log
 * likelihood with step halving; Wald intervals from the observed information.
 */

/** logit(s) uses s clipped to [CLIP, 1 − CLIP], so scores of exactly 0 and 1 have a finite logit. */
export const LOGIT_CLIP = 1e-6;
const STEP_TOLERANCE = 1e-12;
const MAX_ITERATIONS = 100;
/** A coefficient past this is separation (the likelihood has no finite maximum), not an estimate. */
const DIVERGED = 50;

export function clippedLogit(s: number): number {
  const p = Math.min(Math.max(s, LOGIT_CLIP), 1 - LOGIT_CLIP);
  return Math.log(p / (1 - p));
}

export interface WaldEstimate {
  value: number;
  se: number;
}

export type FitFailure = 'not_converged';

/** The rows of one group: logit offsets, labels and (optional) weights, addressed through `rows`. */
export interface LogisticData {
  x: Float64Array;
  labels: Uint8Array;
  weights: Float64Array | undefined;
  rows: ArrayLike<number>;
}

function sigmoid(eta: number): number {
  return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
}

/** log(1 + e^eta) without overflow. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

function logLikelihood(d: LogisticData, a: number, b: number, withSlope: boolean): number {
  let ll = 0;
  for (let k = 0; k < d.rows.length; k++) {
    const i = d.rows[k]!;
    const w = d.weights === undefined ? 1 : d.weights[i]!;
    const eta = a + (withSlope ? b : 1) * d.x[i]!;
    ll += w * (d.labels[i]! * eta - softplus(eta));
  }
  return ll;
}

/** Intercept a with logit(s) as a fixed offset. */
export function fitCalibrationIntercept(d: LogisticData): WaldEstimate | FitFailure {
  let a = 0;
  let ll = logLikelihood(d, a, 1, false);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let score = 0;
    let information = 0;
    for (let k = 0; k < d.rows.length; k++) {
      const i = d.rows[k]!;
      const w = d.weights === undefined ? 1 : d.weights[i]!;
      const p = sigmoid(a + d.x[i]!);
      score += w * (d.labels[i]! - p);
      information += w * p * (1 - p);
    }
    if (!(information > 0)) return 'not_converged';
    let step = score / information;
    let next = a + step;
    let nextLl = logLikelihood(d, next, 1, false);
    for (let halvings = 0; nextLl < ll && halvings < 30; halvings++) {
      step /= 2;
      next = a + step;
      nextLl = logLikelihood(d, next, 1, false);
    }
    a = next;
    ll = nextLl;
    if (Math.abs(a) > DIVERGED) return 'not_converged';
    if (Math.abs(step) < STEP_TOLERANCE)
      return { value: a, se: 1 / Math.sqrt(informationAt(d, a, 1, false)[0]) };
  }
  return 'not_converged';
}

/** Slope b (and its intercept) in logit P = a + b·logit(s). */
export function fitCalibrationSlope(d: LogisticData): WaldEstimate | FitFailure {
  let a = 0;
  let b = 1;
  let ll = logLikelihood(d, a, b, true);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let ga = 0;
    let gb = 0;
    for (let k = 0; k < d.rows.length; k++) {
      const i = d.rows[k]!;
      const w = d.weights === undefined ? 1 : d.weights[i]!;
      const r = w * (d.labels[i]! - sigmoid(a + b * d.x[i]!));
      ga += r;
      gb += r * d.x[i]!;
    }
    const [iaa, iab, ibb] = informationAt(d, a, b, true);
    const det = iaa * ibb - iab * iab;
    if (!(det > 0) || !Number.isFinite(det)) return 'not_converged';
    let da = (ibb * ga - iab * gb) / det;
    let db = (iaa * gb - iab * ga) / det;
    let nextLl = logLikelihood(d, a + da, b + db, true);
    for (let halvings = 0; nextLl < ll && halvings < 30; halvings++) {
      da /= 2;
      db /= 2;
      nextLl = logLikelihood(d, a + da, b + db, true);
    }
    a += da;
    b += db;
    ll = nextLl;
    if (Math.abs(a) > DIVERGED || Math.abs(b) > DIVERGED) return 'not_converged';
    if (Math.max(Math.abs(da), Math.abs(db)) < STEP_TOLERANCE) {
      const [jaa, jab, jbb] = informationAt(d, a, b, true);
      const variance = jaa / (jaa * jbb - jab * jab);
      return { value: b, se: Math.sqrt(variance) };
    }
  }
  return 'not_converged';
}

/** Fisher information [I_aa, I_ab, I_bb] (I_ab, I_bb are 0 without the slope). */
function informationAt(d: LogisticData, a: number, b: number, withSlope: boolean): [number, number, number] {
  let iaa = 0;
  let iab = 0;
  let ibb = 0;
  for (let k = 0; k < d.rows.length; k++) {
    const i = d.rows[k]!;
    const w = d.weights === undefined ? 1 : d.weights[i]!;
    const x = d.x[i]!;
    const p = sigmoid(a + (withSlope ? b : 1) * x);
    const v = w * p * (1 - p);
    iaa += v;
    if (withSlope) {
      iab += v * x;
      ibb += v * x * x;
    }
  }
  return [iaa, iab, ibb];
}
