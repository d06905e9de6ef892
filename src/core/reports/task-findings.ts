/**
 * The executive summary's findings for regression and multiclass audits: at most three, in words true to the
 * numbers printed in the tables (the same suppression: a hidden group or figure is never the subject of a
 * finding). Candidates: a group's gap to the reference (regression: mean error whose interval excludes 0, an
 * error ratio outside the fairness band; multiclass: an accuracy, selection or TPR ratio outside the band),
 * then the failing or reviewed controls, as for the binary task (FINDING_RANK).
 */
import type { ControlOutcome } from '../compliance/types';
import type { Disparity } from '../fairness/types';
import type { MulticlassResult, RegressionResult } from '../tasks/types';
import { controlRationale } from './compliance-view';
import { FINDING_RANK } from './findings';
import { formatNumber, formatPRelation, formatPercent, groupLabel } from './format';
import { peopleOf } from './labels';
import { multiclassHidden, suppressMulticlass, type SuppressedMulticlassSlice } from './multiclass-view';
import {
  regressionDigits,
  regressionHidden,
  suppressRegression,
  type SuppressedRegressionSlice,
} from './regression-view';
import type { SuppressionIndex } from './suppression-index';
import { formatMeasure } from './task-format';
import type { Finding } from './types';

const MAX_FINDINGS = 3;

interface Candidate {
  rank: number;
  magnitude: number;
  finding: Finding;
}

export interface TaskFindingContext {
  band: [number, number];
  alpha: number;
  noun: string;
  controls: readonly ControlOutcome[];
  idx: SuppressionIndex;
}

const capital = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

function who(
  s: {
    slice: {
      attributes: string[];
      reference: Record<string, string>;
      groups: readonly { key: Record<string, string> }[];
    };
    refIndex: number;
  },
  i: number,
  noun: string,
): { who: string; than: string } | null {
  const g = s.slice.groups[i];
  if (!g || i === s.refIndex) return null;
  const { attributes } = s.slice;
  const than =
    s.refIndex < 0
      ? `all ${noun} in the slice`
      : peopleOf(groupLabel(s.slice.reference, attributes), attributes, noun);
  return { who: peopleOf(groupLabel(g.key, attributes), attributes, noun), than };
}

/** "below the fairness band's lower limit of 80%" / "above … of 1.25", as the binary findings say it. */
function bandWords(ratio: number, band: [number, number]): string {
  return ratio < band[0]
    ? `below the fairness band's lower limit of ${formatPercent(band[0])}`
    : `above the fairness band's upper limit of ${formatNumber(band[1])}`;
}

function significance(d: Disparity, alpha: number): { words: string; significant: boolean } {
  const p = d.pValueAdjusted ?? d.pValue ?? null;
  if (p === null) {
    const lo = d.ratioCiLow;
    const hi = d.ratioCiHigh;
    if (typeof lo === 'number' && typeof hi === 'number')
      return lo > 1 || hi < 1
        ? {
            words: `95% interval of the ratio ${formatNumber(lo)}–${formatNumber(hi)}, which excludes 1`,
            significant: true,
          }
        : {
            words: `95% interval of the ratio ${formatNumber(lo)}–${formatNumber(hi)}, which includes 1`,
            significant: false,
          };
    return { words: 'significance not tested', significant: false };
  }
  return p < alpha
    ? { words: `statistically significant, adjusted p ${formatPRelation(p)}`, significant: true }
    : { words: 'not statistically significant', significant: false };
}

/**
 * One finding per failing or reviewed rationale: several controls judged on the same evidence share one
 * rationale, and the summary names them together rather than repeating the sentence once per control.
 */
function controlCandidates(ctx: TaskFindingContext): Candidate[] {
  const byText = new Map<string, { status: 'fail' | 'review'; ids: string[] }>();
  for (const c of ctx.controls) {
    if (c.status !== 'fail' && c.status !== 'review') continue;
    const rationale = controlRationale(c, ctx.idx).replace(/\.?\s*$/, '.');
    const key = `${c.status}\u0000${rationale}`;
    const entry = byText.get(key) ?? { status: c.status, ids: [] };
    entry.ids.push(c.controlId);
    byText.set(key, entry);
  }
  return [...byText].map(([key, { status, ids }]) => ({
    rank: FINDING_RANK.control[status],
    magnitude: 0,
    finding: {
      severity: status,
      text: `${key.slice(key.indexOf('\u0000') + 1)} Affects: ${ids.join(', ')}.`,
      controlIds: ids,
    },
  }));
}

function pick(cands: Candidate[], band: [number, number], none: string): Finding[] {
  cands.sort(
    (a, b) => b.rank - a.rank || b.magnitude - a.magnitude || a.finding.text.localeCompare(b.finding.text),
  );
  const out = cands.slice(0, MAX_FINDINGS).map((c) => c.finding);
  return out.length > 0
    ? out
    : [
        {
          severity: 'info',
          text: `${none} (fairness band ${band[0]}–${band[1]}), and no control fails or needs review.`,
          controlIds: [],
        },
      ];
}

function regressionCandidates(
  s: SuppressedRegressionSlice,
  digits: number,
  target: string,
  ctx: TaskFindingContext,
): Candidate[] {
  const out: Candidate[] = [];
  const ref = s.slice.groups[s.refIndex];
  s.slice.groups.forEach((g, i) => {
    const w = who(s, i, ctx.noun);
    if (!w || regressionHidden(s, i).gap) return;
    const d = g.disparities.mean_error;
    const me = g.metrics.mean_error?.value;
    const meRef = ref?.metrics.mean_error?.value;
    if (
      typeof d?.difference === 'number' &&
      typeof d.differenceCiLow === 'number' &&
      typeof d.differenceCiHigh === 'number' &&
      typeof me === 'number' &&
      typeof meRef === 'number'
    ) {
      const excludes = d.differenceCiLow > 0 || d.differenceCiHigh < 0;
      if (excludes && d.difference !== 0) {
        const lower = d.difference < 0;
        const dir = (v: number): string => (v < 0 ? 'under-predicts' : 'over-predicts');
        out.push({
          rank: FINDING_RANK.disparity.review,
          magnitude:
            Math.abs(d.difference) / Math.max(1e-12, Math.abs(ref?.metrics.mean_absolute_error?.value ?? 1)),
          finding: {
            severity: 'review',
            text: `For ${w.who} the model's predictions of ${target} are ${lower ? 'lower' : 'higher'}, relative to the actual ${target}, than for ${w.than}, by ${formatMeasure(Math.abs(d.difference), digits)} on average (difference in mean error ${formatMeasure(d.difference, digits)}, 95% interval ${formatMeasure(d.differenceCiLow, digits)} to ${formatMeasure(d.differenceCiHigh, digits)}): it ${dir(me)} for ${w.who} by ${formatMeasure(Math.abs(me), digits)} and ${dir(meRef)} for ${w.than} by ${formatMeasure(Math.abs(meRef), digits)}.`,
            controlIds: [],
          },
        });
      }
    }
    const m = g.disparities.mean_absolute_error;
    const mae = g.metrics.mean_absolute_error?.value;
    const maeRef = ref?.metrics.mean_absolute_error?.value;
    if (
      typeof m?.ratio === 'number' &&
      m.ratio > 0 &&
      (m.ratio < ctx.band[0] || m.ratio > ctx.band[1]) &&
      typeof mae === 'number' &&
      typeof maeRef === 'number'
    ) {
      const sig = significance(m, ctx.alpha);
      out.push({
        rank: sig.significant ? FINDING_RANK.disparity.review : FINDING_RANK.disparity.info,
        magnitude: Math.abs(Math.log(m.ratio)),
        finding: {
          severity: sig.significant ? 'review' : 'info',
          text: `${capital(`the model's mean absolute error for ${w.who}`)} is ${formatNumber(m.ratio)} times that for ${w.than} (MAE ${formatMeasure(mae, digits)} against ${formatMeasure(maeRef, digits)}; ${bandWords(m.ratio, ctx.band)}; ${sig.words}).`,
          controlIds: [],
        },
      });
    }
  });
  return out;
}

export function regressionFindings(
  result: RegressionResult,
  target: string,
  ctx: TaskFindingContext,
): Finding[] {
  const digits = regressionDigits(result);
  const cands = suppressRegression(result).flatMap((s) => regressionCandidates(s, digits, target, ctx));
  return pick(
    [...cands, ...controlCandidates(ctx)],
    ctx.band,
    "No group's mean error differs clearly from the reference's and no error ratio lies outside the band",
  );
}

function multiclassCandidates(
  s: SuppressedMulticlassSlice,
  classes: readonly string[],
  ctx: TaskFindingContext,
): Candidate[] {
  const out: Candidate[] = [];
  const ref = s.slice.groups[s.refIndex];
  const add = (d: Disparity | undefined, text: (rel: string, tail: string) => string): void => {
    if (
      typeof d?.ratio !== 'number' ||
      !Number.isFinite(d.ratio) ||
      (d.ratio >= ctx.band[0] && d.ratio <= ctx.band[1])
    )
      return;
    const sig = significance(d, ctx.alpha);
    const rel =
      d.ratio < 1 ? `${formatPercent(d.ratio)} of the rate of` : `${formatNumber(d.ratio)} times the rate of`;
    out.push({
      rank: sig.significant ? FINDING_RANK.disparity.review : FINDING_RANK.disparity.info,
      magnitude: d.ratio === 0 ? Infinity : Math.abs(Math.log(d.ratio)),
      finding: {
        severity: sig.significant ? 'review' : 'info',
        text: text(rel, `${bandWords(d.ratio, ctx.band)}; ${sig.words}`),
        controlIds: [],
      },
    });
  };
  s.slice.groups.forEach((g, i) => {
    const w = who(s, i, ctx.noun);
    if (!w) return;
    if (!multiclassHidden(s, i).gap) {
      const a = g.metrics.accuracy?.value;
      const b = ref?.metrics.accuracy?.value;
      add(
        g.disparities.accuracy,
        (rel, tail) =>
          `${capital(w.who)} are classified correctly at ${rel} ${w.than} (accuracy ${formatNumber(a)} against ${formatNumber(b)}; ${tail}).`,
      );
    }
    for (const c of classes) {
      if (multiclassHidden(s, i, c).gap) continue;
      const ds = g.disparities.classes?.[c];
      add(
        ds?.selection_rate,
        (rel, tail) =>
          `${capital(w.who)} are predicted "${c}" at ${rel} ${w.than} (selection rate ${formatNumber(g.classes[c]?.selection_rate?.value)} against ${formatNumber(ref?.classes[c]?.selection_rate?.value)}; ${tail}).`,
      );
      add(
        ds?.true_positive_rate,
        (rel, tail) =>
          `${capital(w.who)} whose class is "${c}" are recognised as "${c}" at ${rel} ${w.than} (true positive rate ${formatNumber(g.classes[c]?.true_positive_rate?.value)} against ${formatNumber(ref?.classes[c]?.true_positive_rate?.value)}; ${tail}).`,
      );
    }
  });
  return out;
}

export function multiclassFindings(result: MulticlassResult, ctx: TaskFindingContext): Finding[] {
  const cands = suppressMulticlass(result).flatMap((s) => multiclassCandidates(s, result.classes, ctx));
  return pick(
    [...cands, ...controlCandidates(ctx)],
    ctx.band,
    "No group's accuracy, selection rate or TPR ratio lies outside the band",
  );
}
