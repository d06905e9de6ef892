/**
 * The words every shareable artifact (report, exports, console) uses to say that an audit's figures are
 * noised, and how. One place, so the report, the exports and the console say the same thing.
 */
import type { PrivacyConfig, PrivacyMechanism } from '../ingest/audit-config';
import { cellNoiseVariance, isContinuous } from './mechanisms';

const MECHANISM_NAMES: Record<PrivacyMechanism, string> = {
  geometric: 'two-sided geometric',
  laplace: 'Laplace',
  gaussian: 'Gaussian (analytic calibration)',
  discrete_gaussian: 'discrete Gaussian',
};

/** "ε = 1" or "ε = 1, δ = 1e-6". */
export function privacyParameters(privacy: PrivacyConfig): string {
  return privacy.delta === undefined
    ? `ε = ${privacy.epsilon}`
    : `ε = ${privacy.epsilon}, δ = ${privacy.delta}`;
}

/** One sentence for a cover page or an export: the figures are noised, with which mechanism and (ε, δ). */
export function privacyStatement(privacy: PrivacyConfig): string {
  return (
    `Differentially private: the counts were noised before upload with the ${MECHANISM_NAMES[privacy.mechanism]} ` +
    `mechanism (${privacyParameters(privacy)}), so every figure here is computed from noised counts.`
  );
}

/** The methodology paragraph: the guarantee, what the noise does to the numbers, and how intervals include it. */
export function privacyMethodology(privacy: PrivacyConfig): string {
  const sd = Math.sqrt(cellNoiseVariance(privacy));
  return (
    `${privacyStatement(privacy)} Adding or removing one person changes one count by 1, and the noise makes ` +
    `the released table (${privacyParameters(privacy)})-differentially private. Each count carries noise with a ` +
    `standard deviation of about ${sd.toPrecision(3)}${isContinuous(privacy.mechanism) ? ' (rounding to whole numbers included)' : ''}. ` +
    `The intervals include this noise: each side of a rate's interval is widened by the noise ` +
    `of its numerator and denominator. Tests and p-values do not include it.`
  );
}
