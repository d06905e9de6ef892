/**
 * The disclosure-control rules that every shareable output passes through, beyond the per-slice table
 * suppression of ./suppression.ts (docs/disclosure-control.md):
 * - published numbers carry the printed precision only (2 decimals), never full precision;
 * - a trend point is suppressed by the same rules in its own audit (a group of 1..10 people, a rate whose
 *   numerator or complement is 1..10, complementary suppression of a second group);
 * - a slice summary is published only over groups that carry evidence (at least minGroupSize people, and at
 *   least 11) and whose rate is shown, and says which groups were left out.
 * Pure and browser-safe (the console imports it through ./browser.ts).
 */
import { isSmallCount, keyId } from './format';

/** Decimals of every published rate and ratio (the tables print 2). */
export const PUBLISHED_DECIMALS = 2;

/** A published rate or ratio: rounded to the printed precision (null and non-finite stay null). */
export function published(v: number | null | undefined): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  const f = 10 ** PUBLISHED_DECIMALS;
  return Math.round(v * f) / f;
}

/** Rates whose denominator is the group's size: their numerator is value × count. */
const COUNT_DENOMINATOR = new Set(['selection_rate', 'base_rate', 'accuracy', 'scoring_rate']);

export interface AuditGroupPoint {
  key: Record<string, string>;
  value: number | null;
  count?: number;
}

/**
 * The groups of one audit's point that must not be shown: group size unknown or 1..10, or (for a rate whose
 * denominator is the group size) a numerator or complement of 1..10; then, when that hides exactly one
 * non-empty group, the next-smallest group too (its rate and the others' would give the hidden one back
 * from the audit's overall figure). Returns the key ids.
 */
export function hiddenInAudit(groups: readonly AuditGroupPoint[], metric: string): Set<string> {
  const hidden = new Set<string>();
  for (const g of groups) {
    const n = g.count;
    if (n === undefined || isSmallCount(n)) {
      hidden.add(keyId(g.key));
      continue;
    }
    if (COUNT_DENOMINATOR.has(metric) && g.value !== null) {
      const num = Math.round(g.value * n);
      if (isSmallCount(num) || isSmallCount(n - num)) hidden.add(keyId(g.key));
    }
  }
  const nonEmpty = groups.filter((g) => (g.count ?? 1) > 0);
  const hiddenNonEmpty = nonEmpty.filter((g) => hidden.has(keyId(g.key)));
  if (hiddenNonEmpty.length === 1) {
    const partner = nonEmpty
      .filter((g) => !hidden.has(keyId(g.key)))
      .sort((a, b) => (a.count ?? 0) - (b.count ?? 0) || keyId(a.key).localeCompare(keyId(b.key)))[0];
    if (partner) hidden.add(keyId(partner.key));
  }
  return hidden;
}

/** The least number of people a group needs for a published summary to rest on it. */
export function evidenceMinimum(minGroupSize: number): number {
  return Math.max(minGroupSize, 11);
}

/**
 * Impact ratio over the groups that may carry a published summary: lowest favourable rate over the highest.
 * Null with fewer than two such groups or a highest rate of 0.
 */
export function publishedImpactRatio(
  rates: readonly (number | null)[],
  favorable: 'positive' | 'negative',
): number | null {
  const fav = rates
    .filter((v): v is number => v !== null && Number.isFinite(v))
    .map((v) => (favorable === 'positive' ? v : 1 - v));
  if (fav.length < 2) return null;
  const top = Math.max(...fav);
  return top > 0 ? published(Math.min(...fav) / top) : null;
}

/** Words for an audit on a trend axis: its name, else its period end, else its date; unique per chart. */
export function auditAxisLabels(
  points: readonly { auditId: string; at: string; name?: string | null; periodEnd?: string | null }[],
): Map<string, string> {
  const labels = new Map<string, string>();
  const used = new Map<string, number>();
  for (const p of points) {
    if (labels.has(p.auditId)) continue;
    const base = p.name?.trim()
      ? p.name.trim()
      : p.periodEnd
        ? `period to ${p.periodEnd.slice(0, 10)}`
        : p.at.slice(0, 10);
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    labels.set(p.auditId, seen === 0 ? base : `${base} (${seen + 1})`);
  }
  return labels;
}
