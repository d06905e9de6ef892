/**
 * The order of a multiclass audit's classes when the config does not give one (`config.classes`): the union
 * of the labels and predictions seen, in natural order, so that it does not depend on the order of the rows
 * (or on how an upload was split between ingest threads): "2" before "10", "Level 2" before "Level 10", text
 * by UTF-16 code unit (locale-independent, as group names). Runs of digits compare by value, then by length
 * ("01" after "1"); a digit run sorts before text at the same position.
 */
const DIGITS = /(\d+)/;

export function compareNatural(a: string, b: string): number {
  const x = a.split(DIGITS);
  const y = b.split(DIGITS);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const order = i % 2 === 1 ? compareDigits(x[i]!, y[i]!) : compareText(x[i]!, y[i]!);
    if (order !== 0) return order;
  }
  return x.length - y.length || compareText(a, b);
}

/** Class names in natural order (a copy). */
export function orderClasses(names: readonly string[]): string[] {
  return [...names].sort(compareNatural);
}

function compareDigits(a: string, b: string): number {
  const [x, y] = [a.replace(/^0+/, ''), b.replace(/^0+/, '')];
  return x.length - y.length || compareText(x, y) || a.length - b.length;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
