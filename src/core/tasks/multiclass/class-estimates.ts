/**
 * From a group's label × prediction table to the binary task's estimates (core/fairness/rates.ts), so that
 * every rate, interval, disparity, test and summary of a multiclass audit is computed by the same code as a
 * binary audit's:
 * - class k one-vs-rest: TP = T[k][k], FN = row k − TP, FP = column k − TP, TN = the rest (Σw and Σw² alike);
 * - accuracy: the correct rows (the diagonal) as "TP", the others as "FP", so that the binary accuracy
 *   (TP + TN)/all is the share on the diagonal, with its Wilson interval on the same effective size.
 * In label-free mode there is no label: a class's predictions are all "FP" (selection rate only).
 */
import { estimateGroup, type GroupEstimates } from '../../fairness/rates';
import { CELL, SLOT, STRIDE } from '../../fairness/tally';
import type { RateKey } from '../../fairness/types';
import { CLASS_RATE_KEYS } from '../types';
import type { GroupTable } from './class-table';

/** The estimates of one group: per class (one-vs-rest) and its accuracy. */
export interface GroupClassEstimates {
  rows: number;
  /** classes[k]: rates of CLASS_RATE_KEYS (selection_rate only in label-free mode). */
  classes: GroupEstimates[];
  /** Rates: accuracy only; null in label-free mode. */
  accuracy: GroupEstimates | null;
  /** Labelled rows all of one class (n > 0). */
  singleClass: boolean;
}

interface Margins {
  /** Σ over predictions of label row l. */
  row: Float64Array;
  /** Σ over labels of prediction column p. */
  column: Float64Array;
  diagonal: Float64Array;
  total: number;
}

export function classEstimates(
  table: GroupTable,
  classCount: number,
  labelled: boolean,
): GroupClassEstimates {
  const w = margins(table.weight, classCount, labelled);
  const w2 = margins(table.weightSq, classCount, labelled);
  const context = { hasLabels: labelled, hasScores: false };
  const classes: GroupEstimates[] = [];
  for (let k = 0; k < classCount; k++) {
    const block = new Float64Array(STRIDE);
    fillOneVsRest(block, SLOT.weight, w, k);
    fillOneVsRest(block, SLOT.weightSq, w2, k);
    block[SLOT.rows] = table.rows;
    classes.push(onlyRates(estimateGroup(block, null, context), CLASS_RATE_KEYS));
  }
  let accuracy: GroupEstimates | null = null;
  if (labelled) {
    const block = new Float64Array(STRIDE);
    fillCorrect(block, SLOT.weight, w);
    fillCorrect(block, SLOT.weightSq, w2);
    block[SLOT.rows] = table.rows;
    accuracy = onlyRates(estimateGroup(block, null, context), ['accuracy']);
  }
  const present = labelled ? w.row.filter((v) => v > 0).length : 0;
  return { rows: table.rows, classes, accuracy, singleClass: present === 1 };
}

function fillOneVsRest(block: Float64Array, offset: number, m: Margins, k: number): void {
  const tp = m.diagonal[k]!;
  const fn = m.row[k]! - tp;
  const fp = m.column[k]! - tp;
  block[offset + CELL.TP] = tp;
  block[offset + CELL.FN] = Math.max(0, fn);
  block[offset + CELL.FP] = Math.max(0, fp);
  // Clamped: with weights the subtraction can leave −1e-16 where the true sum is 0.
  block[offset + CELL.TN] = Math.max(0, m.total - tp - fn - fp);
}

function fillCorrect(block: Float64Array, offset: number, m: Margins): void {
  let correct = 0;
  for (const d of m.diagonal) correct += d;
  block[offset + CELL.TP] = correct;
  block[offset + CELL.FP] = Math.max(0, m.total - correct);
}

function margins(t: Float64Array, classCount: number, labelled: boolean): Margins {
  const row = new Float64Array(classCount);
  const column = new Float64Array(classCount);
  const diagonal = new Float64Array(classCount);
  let total = 0;
  const labelSlots = labelled ? classCount : 1;
  for (let l = 0; l < labelSlots; l++) {
    for (let p = 0; p < classCount; p++) {
      const v = t[l * classCount + p]!;
      row[l]! += v;
      column[p]! += v;
      total += v;
    }
    if (labelled) diagonal[l] = t[l * classCount + l]!;
  }
  // Without labels nothing is a true positive: every prediction of a class counts against "the rest".
  return { row: labelled ? row : new Float64Array(classCount), column, diagonal, total };
}

/** The estimates with only `keys` among their rates (so disparities, tests and flags see only those). */
function onlyRates(estimates: GroupEstimates, keys: readonly RateKey[]): GroupEstimates {
  const rates: GroupEstimates['rates'] = {};
  for (const key of keys) {
    const rate = estimates.rates[key];
    if (rate !== undefined) rates[key] = rate;
  }
  return { ...estimates, rates, singleClass: false };
}
