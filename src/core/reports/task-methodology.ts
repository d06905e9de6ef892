/**
 * The methodology appendix of regression and multiclass reports: the conventions the numbers were computed
 * with, taken from the result's own `conventions` (interval methods, bootstrap seed and replicates), and the
 * small-cell statement for the task. Prose, kept apart from the logic that decides what is printed.
 */
import type { MulticlassResult, RegressionResult } from '../tasks/types';
import { formatPercent } from './format';
import { SUPPRESSION_STATEMENT } from './methodology';
import type { MethodologyItem, ReportInput } from './types';

/** Words for the interval and test methods results name. */
const METHOD_WORDS: Record<string, string> = {
  t: "Student's t",
  wilson: 'Wilson score',
  newcombe: 'Newcombe hybrid score',
  koopman: 'Koopman score',
  katz: 'Katz log',
  'bootstrap-percentile': 'bootstrap percentile',
  'sqrt-of-t-interval-of-mse': "the square root of the mean squared error's t interval",
  'delta-method-t': 'the delta method with a t critical value',
  'delta-method-log': 'the delta method on the log scale',
  'welch-t': "Welch's t-test",
  'bootstrap-bca': 'bootstrap BCa',
  welch: "Welch's t",
  delta: 'delta method',
  fieller: "Fieller's",
  'z-test': 'two-proportion z-test',
  fisher: "Fisher's exact test",
  'z-or-fisher': "two-proportion z-test (Fisher's exact test when an expected cell is below 5)",
};

export function methodWords(method: string): string {
  return METHOD_WORDS[method] ?? method.replace(/[-_]/g, ' ');
}

type TaskInput = ReportInput<RegressionResult | MulticlassResult>;

function shared(input: TaskInput): MethodologyItem[] {
  const c = input.result.conventions;
  const strategy: Record<typeof c.referenceStrategy, string> = {
    largest: 'the largest group of each slice (most rows; ties go to the first by name)',
    most_favorable: 'the group with the most favourable figure in each slice',
    overall: 'the whole analysed slice',
    explicit: `groups named in the audit configuration${
      input.audit.config.reference.groups
        ? ` (${Object.entries(input.audit.config.reference.groups)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')})`
        : ''
    }`,
  };
  return [
    {
      term: 'Reference group',
      text: `Each group is compared with ${strategy[c.referenceStrategy]}: differences are the group's figure minus the reference's (0 means equal), ratios the group's over the reference's (1 means equal).`,
    },
    {
      term: 'Fairness band',
      text: `A ratio inside ${c.fairnessBand[0]}–${c.fairnessBand[1]} (inclusive) counts as within the band.`,
    },
    {
      term: 'Minimum group size',
      text: `Groups with fewer than ${c.minGroupSize} rows are flagged "small sample"; their results are uncertain, and gaps between groups are computed over the larger groups only.`,
    },
    {
      term: 'Missing attribute values',
      text:
        c.missingAttribute === 'group'
          ? 'Missing values form their own group, "Unknown".'
          : "Rows missing an attribute are left out of that attribute's slices.",
    },
    {
      term: 'Policy and catalog',
      text: `Controls were decided by policy version ${input.policyVersion} against control catalog ${input.catalogVersion}. Controls whose rule does not apply to this task are "not applicable", with the reason.`,
    },
  ];
}

const level = (c: number): string => formatPercent(c, Number.isInteger(c * 100) ? 0 : 1);

export function regressionConventions(
  input: ReportInput<RegressionResult>,
  target: string,
): MethodologyItem[] {
  const c = input.result.conventions;
  const boot = c.bootstrap
    ? ` (resampled with seed ${c.bootstrap.seed}, ${c.bootstrap.replicates} replicates)`
    : '';
  return [
    {
      term: 'Task',
      text: `Regression: the model predicts a number, here ${target}. Each group's errors are compared with the reference group's.`,
    },
    {
      term: 'Measures',
      text: `Mean error: the mean of prediction − ${target} (below 0 the model under-predicts, above 0 it over-predicts). MAE: mean absolute error. RMSE: root mean squared error. R²: 1 − (sum of squared errors)/(sum of squared deviations of ${target} from the group's mean), within the group; not defined when every ${target} of the group is the same.`,
    },
    {
      term: 'Intervals',
      text: `${level(c.confidenceLevel)} intervals: ${methodWords(c.intervals.mean)} for the means (mean ${target}, mean prediction, mean error, MAE); ${methodWords(c.intervals.rootMeanSquaredError)} for RMSE; ${methodWords(c.intervals.r2)} for R²; ${methodWords(c.intervals.difference)} for differences; ${methodWords(c.intervals.ratio)} for ratios${boot}. Shown as "value (low–high)".`,
    },
    {
      term: 'Tests',
      text: `A group's mean is compared with its reference's by ${methodWords(c.tests.means)}; p-values are adjusted with Holm's method. "Statistically significant" means adjusted p < ${input.alpha}.`,
    },
    {
      term: 'Deciles of prediction',
      text: `The predictions of the whole sample are cut at their deciles; in each decile every group's mean ${target} is shown with its ${methodWords(c.intervals.mean)} interval. At the same prediction, a group whose mean ${target} is higher (intervals apart) is under-served by a model that allocates by prediction (Obermeyer et al., Science 2019).`,
    },
    ...shared(input),
  ];
}

export function multiclassConventions(input: ReportInput<MulticlassResult>): MethodologyItem[] {
  const c = input.result.conventions;
  return [
    {
      term: 'Task',
      text: `Multiclass: the model predicts one of ${input.result.classes.length} classes (${input.result.classes.map((x) => `"${x}"`).join(', ')}). Accuracy is the share predicted correctly; each class is also judged one-vs-rest.`,
    },
    {
      term: 'One-vs-rest',
      text: 'For a class: selection rate = the share predicted that class; TPR = of those who have it, the share predicted it; FPR = of those who do not, the share predicted it; PPV = of those predicted it, the share who have it.',
    },
    {
      term: 'Intervals',
      text: `${level(c.confidenceLevel)} intervals: ${methodWords(c.intervals.rate)} for rates (accuracy and the one-vs-rest rates), ${methodWords(c.intervals.difference)} for differences of rates, ${methodWords(c.intervals.ratio)} for ratios. Shown as "value (low–high)".`,
    },
    {
      term: 'Tests',
      text: `A group is compared with its reference by ${methodWords(c.tests.proportions)}; p-values are adjusted with Holm's method. "Statistically significant" means adjusted p < ${input.alpha}.`,
    },
    ...shared(input),
  ];
}

export const REGRESSION_SUPPRESSION =
  ' In regression reports the groups × deciles table is treated the same way: a decile of a group with 1 to 10 people is not shown, and a second cell of its row or column is withheld where the totals would give it away.';
export const MULTICLASS_SUPPRESSION =
  " In multiclass reports a class's four figures for a group (selection rate, TPR, FPR, PPV) rest on the same people and are shown or hidden together: hidden when any of the counts behind them is from 1 to 10, with a second group or class withheld where the totals would give them away.";

export function taskSuppressionStatement(task: 'regression' | 'multiclass'): string {
  return SUPPRESSION_STATEMENT + (task === 'regression' ? REGRESSION_SUPPRESSION : MULTICLASS_SUPPRESSION);
}
