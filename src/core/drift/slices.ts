import type { FairnessResult, SliceResult } from '../fairness/types';

/** Attribute names sorted and comma-joined: "race,sex", whatever order the slice names them in. */
export function sliceId(attributes: readonly string[]): string {
  return [...attributes].sort().join(',');
}

/** Slices with the same attributes (in any order) in both results. */
export function matchSlices(baseline: FairnessResult, current: FairnessResult): [SliceResult, SliceResult][] {
  return baseline.slices.flatMap((slice) => {
    const other = current.slices.find(
      (candidate) => sliceId(candidate.attributes) === sliceId(slice.attributes),
    );
    return other ? [[slice, other] as [SliceResult, SliceResult]] : [];
  });
}
