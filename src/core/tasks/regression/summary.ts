import type { RegressionSliceSummary } from '../types';
import { DISPARITY_KEYS } from './disparities';
import type { GroupEstimates } from './estimates';

/**
 * The slice's largest gaps, as Fairlearn's "between_groups" (max − min, and min / max when every value is
 * positive), over the groups with rows and a defined value (null with fewer than two); and the bounded group
 * loss: the worst (largest) group MAE and RMSE.
 */
export function sliceSummary(groups: readonly GroupEstimates[]): RegressionSliceSummary {
  const summary: RegressionSliceSummary = {};
  for (const key of DISPARITY_KEYS) {
    const values = defined(groups, (g) => g.estimates[key].value);
    const min = Math.min(...values);
    const max = Math.max(...values);
    summary[`${key}_difference`] = values.length >= 2 ? max - min : null;
    summary[`${key}_ratio`] = values.length >= 2 && min > 0 ? min / max : null;
  }
  const mae = defined(groups, (g) => g.estimates.mean_absolute_error.value);
  const rmse = defined(groups, (g) => g.estimates.root_mean_squared_error.value);
  summary.worst_group_mean_absolute_error = mae.length > 0 ? Math.max(...mae) : null;
  summary.worst_group_root_mean_squared_error = rmse.length > 0 ? Math.max(...rmse) : null;
  return summary;
}

function defined(groups: readonly GroupEstimates[], value: (g: GroupEstimates) => number | null): number[] {
  return groups.flatMap((g) => {
    const v = value(g);
    return g.count > 0 && v !== null ? [v] : [];
  });
}
