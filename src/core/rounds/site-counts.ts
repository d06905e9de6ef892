/**
 * The row counts of a round's submitted parts as the round's status shows them, to every key that may read the
 * round (site keys included), under the disclosure rules (docs/disclosure-control.md): no count from 1 to 10.
 * Such a count is withheld (null, `suppressed: "1-10"`). Once the round is closed the pooled audit's row count
 * is the parts' sum, so a single withheld count could be worked out from it and the others: then the next
 * smallest count is withheld too (`suppressed: "partner"`), as complementary suppression does for tables.
 */

/** Counts from 1 to this are never shown. */
export const SMALL_COUNT_MAX = 10;

export interface ShownCount {
  /** The count, or null when withheld. */
  readonly rowCount: number | null;
  /** Why it is withheld: a count of 1 to 10, or the partner of one (so it cannot be worked out from the total). */
  readonly suppressed: '1-10' | 'partner' | null;
}

export function shownSiteCounts(counts: readonly number[]): ShownCount[] {
  const small = (n: number) => n >= 1 && n <= SMALL_COUNT_MAX;
  const shown: ShownCount[] = counts.map((n) =>
    small(n) ? { rowCount: null, suppressed: '1-10' } : { rowCount: n, suppressed: null },
  );
  const hidden = counts.filter(small).length;
  if (hidden === 1) {
    // The smallest other non-empty count: hiding it leaves two unknowns with one known sum.
    let partner = -1;
    counts.forEach((n, i) => {
      if (small(n) || n === 0) return;
      if (partner < 0 || n < (counts[partner] as number)) partner = i;
    });
    if (partner >= 0) shown[partner] = { rowCount: null, suppressed: 'partner' };
  }
  return shown;
}
