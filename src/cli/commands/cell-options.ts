/** The options that name a cell table's columns, shared by `aggregate-sql` and `aggregate`. */
import { InvalidArgumentError, type Command } from 'commander';
import {
  DEFAULT_COUNT_NAME,
  DEFAULT_SCORE_DECIMALS,
  MAX_SCORE_DECIMALS,
  cellTableConfig,
  type CellTableSpec,
} from '../cell-table-sql';
import { attributeList } from '../context';

export interface CellOptions {
  attrs: string[];
  label: string;
  prediction: string;
  score?: string;
  scoreDecimals: number;
  countName: string;
  uploadConfig?: string;
}

function scoreDecimals(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > MAX_SCORE_DECIMALS)
    throw new InvalidArgumentError(`expected an integer from 0 to ${MAX_SCORE_DECIMALS}, got "${value}"`);
  return n;
}

export function addCellOptions(command: Command): Command {
  return command
    .requiredOption('--label <column>', 'ground-truth column')
    .requiredOption('--prediction <column>', 'predicted-label column')
    .requiredOption(
      '--attrs <columns>',
      'sensitive attribute columns, comma-separated, e.g. race,sex',
      attributeList,
    )
    .option('--score <column>', 'score or probability column (rounded to --score-decimals)')
    .option(
      '--score-decimals <n>',
      'decimals kept of each score (fewer decimals, fewer cells)',
      scoreDecimals,
      DEFAULT_SCORE_DECIMALS,
    )
    .option('--count-name <name>', 'name of the count column', DEFAULT_COUNT_NAME)
    .option(
      '--upload-config <file>',
      'also write the audit config that reads the cell table to this file (JSON)',
    );
}

export function cellSpec(opts: CellOptions): Omit<CellTableSpec, 'dialect' | 'source'> {
  return {
    attrs: opts.attrs,
    label: opts.label,
    prediction: opts.prediction,
    ...(opts.score !== undefined && { score: opts.score }),
    scoreDecimals: opts.scoreDecimals,
    countName: opts.countName,
  };
}

/** The audit config as JSON (printed on stderr, and written to --upload-config when given). */
export function configJson(opts: CellOptions): string {
  return JSON.stringify(cellTableConfig(cellSpec(opts)), null, 2);
}
