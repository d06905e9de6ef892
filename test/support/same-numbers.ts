/**
 * The differences between two API answers that must agree: same shape, strings and nulls, numbers within
 * 1e-12 relative. A cell table's sums (mean score, Brier score) add the same values in another order than the
 * rows' sums do, so the last bits of a double may differ; a count differs by at least 1, far outside 1e-12.
 */
const RELATIVE = 1e-12;

export function numberDifferences(
  expected: unknown,
  actual: unknown,
  path = '$',
  out: string[] = [],
): string[] {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const scale = Math.max(Math.abs(expected), Math.abs(actual));
    const relative = expected === actual ? 0 : Math.abs(expected - actual) / scale;
    if (!(relative <= RELATIVE)) out.push(`${path}: ${expected} vs ${actual}`);
  } else if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) out.push(`${path}: ${expected.length} vs ${actual.length} items`);
    expected.forEach((v, i) => numberDifferences(v, actual[i], `${path}[${i}]`, out));
  } else if (
    typeof expected === 'object' &&
    expected !== null &&
    typeof actual === 'object' &&
    actual !== null
  ) {
    const keys = Object.keys(expected);
    if (keys.join() !== Object.keys(actual).join())
      out.push(`${path}: keys ${keys.join()} vs ${Object.keys(actual).join()}`);
    for (const k of keys)
      numberDifferences(
        (expected as Record<string, unknown>)[k],
        (actual as Record<string, unknown>)[k],
        `${path}.${k}`,
        out,
      );
  } else if (expected !== actual) out.push(`${path}: ${String(expected)} vs ${String(actual)}`);
  return out;
}
