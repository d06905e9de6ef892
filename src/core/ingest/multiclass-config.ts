/**
 * Settings a multiclass audit cannot honour, refused rather than silently ignored (api-contract.md,
 * "Regression and multiclass audits"): its labels and predictions are class names, so there is no score to
 * threshold, no positive label and no favorable outcome (and so no "most_favorable" reference).
 */
import { MAX_CLASSES } from './batch';

const BINARY_ONLY_FIELDS = {
  scoreColumn: 'a multiclass audit has no score: its predictions (predictionColumn) are class names',
  threshold: 'a multiclass audit has no threshold: its predictions are class names',
  positiveLabel: 'a multiclass audit has no positive label: every class is reported one-vs-rest',
  favorableOutcome: 'a multiclass audit has no favorable outcome',
} as const;

/** Adds a problem per binary-only field of `raw` and for too many classes (`add` names the config field). */
export function checkMulticlassFields(
  raw: Record<string, unknown>,
  classes: readonly string[] | undefined,
  add: (field: string, message: string) => void,
): void {
  for (const [field, why] of Object.entries(BINARY_ONLY_FIELDS)) {
    // null ("do not use a column") is harmless; any other value is a binary setting.
    if (raw[field] !== undefined && raw[field] !== null)
      add(field, `is not used with task "multiclass": ${why}`);
  }
  const reference = raw.reference as { strategy?: unknown } | undefined;
  if (reference?.strategy === 'most_favorable')
    add(
      'reference.strategy',
      '"most_favorable" needs a favorable outcome: use "largest", "overall" or "explicit"',
    );
  if (classes !== undefined && classes.length > MAX_CLASSES)
    add('classes', `lists ${classes.length} classes; a multiclass audit has at most ${MAX_CLASSES}`);
}
