/** Attribute names sorted and comma-joined: "race,sex", whatever order the slice names them in. */
export function sliceId(attributes: readonly string[]): string {
  return [...attributes].sort().join(',');
}

/** Slices with the same attributes (in any order) in both results, of any task. */
export function matchSlices<S extends { attributes: readonly string[] }>(
  baseline: { slices: readonly S[] },
  current: { slices: readonly S[] },
): [S, S][] {
  return baseline.slices.flatMap((slice) => {
    const other = current.slices.find(
      (candidate) => sliceId(candidate.attributes) === sliceId(slice.attributes),
    );
    return other ? [[slice, other] as [S, S]] : [];
  });
}
