/**
 * The coverage study at size (`npm run bench -- coverage`): the scenarios of src/core/fairness/coverage.spec.ts
 * with 20,000 datasets each (10,000 for the two null Holm scenarios, each dataset runs ~50 tests), seeded. Prints
 * how often each interval was defined and held the truth, the misses on the low side, and for the null
 * scenarios how often any Holm-adjusted p-value of the slice fell below 0.05. Set COVERAGE_DATASETS to change
 * the count.
 */
import {
  aucScenario,
  describeScenario,
  holmNullScenario,
  ratioScenario,
  type ScenarioResult,
} from './support/coverage-study';
import { timed } from './support/timing';

export async function run(): Promise<void> {
  const datasets = Number(process.env.COVERAGE_DATASETS ?? 20_000);
  const scenarios: [string, () => ScenarioResult][] = [
    ['ratio', () => ratioScenario(datasets, 1, 20, 0.05)],
    ['ratio', () => ratioScenario(datasets, 2, 100, 0.3)],
    ['auc', () => aucScenario(datasets, 3, 5, 0.9)],
    ['auc', () => aucScenario(datasets, 4, 5, 0.75)],
    ['auc', () => aucScenario(datasets, 5, 30, 0.8)],
    ['holm', () => holmNullScenario(Math.ceil(datasets / 2), 6, 50, 'metric')],
    ['holm', () => holmNullScenario(Math.ceil(datasets / 2), 6, 50, 'slice')],
  ];
  for (const [, scenario] of scenarios) {
    let result: ScenarioResult | undefined;
    const { ms } = timed(() => (result = scenario()));
    if (result) console.log(`${describeScenario(result)} (${(ms / 1000).toFixed(1)} s)`);
    await Promise.resolve();
  }
}
