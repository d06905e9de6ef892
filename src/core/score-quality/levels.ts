/**
 * A group's rows compressed to its distinct scores: per distinct score s, the weight of the rows with label 1
 * and with label 0 there. These are sufficient statistics of every calibration metric (Brier score, ECE, O/E,
 * and the logistic likelihood of the calibration intercept and slope), so a fit costs one pass per Newton
 * step over the distinct scores, not over the rows. Built from rows visited in ascending score order (the
 * engine's one score sort), many groups at once.
 */

export interface ScoreLevels {
  length: number;
  /** Distinct scores, ascending. */
  score: Float64Array;
  /** Σw of the label-1 rows at score[l]. */
  positive: Float64Array;
  /** Σw of the label-0 rows at score[l]. */
  negative: Float64Array;
  /** Σw and Σw² over the group's rows (Kish's effective size (Σw)²/Σw² scales the intervals). */
  weight: number;
  weightSq: number;
}

/**
 * The levels of many groups in three flat arrays: group g owns [start[g], start[g] + capacity[g]), of which
 * the first size[g] are filled. A group needs at most min(its rows, the distinct scores of the sample).
 * Rows must be added in ascending score order (per group).
 */
export class LevelBuffer {
  readonly start: Int32Array;
  readonly size: Int32Array;
  readonly score: Float64Array;
  readonly positive: Float64Array;
  readonly negative: Float64Array;
  readonly weight: Float64Array;
  readonly weightSq: Float64Array;

  constructor(capacity: ArrayLike<number>) {
    const groups = capacity.length;
    this.start = new Int32Array(groups);
    let total = 0;
    for (let g = 0; g < groups; g++) {
      this.start[g] = total;
      total += capacity[g]!;
    }
    this.size = new Int32Array(groups);
    this.score = new Float64Array(total);
    this.positive = new Float64Array(total);
    this.negative = new Float64Array(total);
    this.weight = new Float64Array(groups);
    this.weightSq = new Float64Array(groups);
  }

  /** One row of group g (scores ascending within a group); `wSq` its Σw² (w for a count, see squaredWeight). */
  add(g: number, score: number, label: number, w: number, wSq = w * w): void {
    let at = this.start[g]! + this.size[g]! - 1;
    if (this.size[g] === 0 || this.score[at] !== score) {
      at++;
      this.size[g]!++;
      this.score[at] = score;
    }
    if (label === 1) this.positive[at]! += w;
    else this.negative[at]! += w;
    this.weight[g]! += w;
    this.weightSq[g]! += wSq;
  }

  /** Group g's levels (views into the buffer). */
  levels(g: number): ScoreLevels {
    const from = this.start[g]!;
    const to = from + this.size[g]!;
    return {
      length: this.size[g]!,
      score: this.score.subarray(from, to),
      positive: this.positive.subarray(from, to),
      negative: this.negative.subarray(from, to),
      weight: this.weight[g]!,
      weightSq: this.weightSq[g]!,
    };
  }
}

/** The levels of one group from its rows (any order): for tests and small inputs. */
export function levelsOf(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): ScoreLevels {
  const order = Array.from(scores, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const buffer = new LevelBuffer([scores.length]);
  for (const i of order) buffer.add(0, scores[i]!, labels[i]!, weights === undefined ? 1 : weights[i]!);
  return buffer.levels(0);
}

/** Distinct values of an ascending array. */
export function distinctCount(sorted: Float64Array): number {
  let count = sorted.length > 0 ? 1 : 0;
  for (let k = 1; k < sorted.length; k++) if (sorted[k] !== sorted[k - 1]) count++;
  return count;
}
