import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { applySteps, cellTableCsv, totalCount, type CellTableStep } from '../cell-table';
import { examples, type CliContext } from '../context';
import { FILE_FORMATS, aggregateFile, type FileFormat } from '../local-aggregate';
import { addCellOptions, cellSpec, configJson, type CellOptions } from './cell-options';

interface AggregateOptions extends CellOptions {
  format?: FileFormat;
  output?: string;
}

/**
 * Steps run over the cell table after it is built and before it is written, in order. Each gets the options
 * (a step decides from them whether it applies, e.g. privacy noise only with --epsilon) and returns a step or
 * null. The file's cell table is what is uploaded, so a step's output is exactly what leaves the machine.
 */
export type AggregateStepFactory = (opts: Readonly<Record<string, unknown>>) => CellTableStep | null;
export const AGGREGATE_STEPS: AggregateStepFactory[] = [];

export function registerAggregateCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command('aggregate')
    .description(
      'Build the cell table of a CSV or Parquet file locally (one row per combination, with its count), ' +
        'to upload with config.countColumn',
    )
    .argument('<file>', 'CSV with a header row, or Parquet')
    .addOption(
      new Option('--format <format>', 'the file format (default: by the name, .parquet or CSV)').choices(
        FILE_FORMATS,
      ),
    )
    .option('-o, --output <file>', 'write the cell table (CSV) here instead of stdout');
  addCellOptions(command)
    .addHelpText(
      'after',
      examples(
        'fairwatch aggregate scored.csv --label y_true --prediction y_pred --score score --attrs race,sex -o cells.csv',
        'fairwatch aggregate scored.parquet --label y_true --prediction y_pred --attrs race,sex > cells.csv',
      ) +
        '\nThe audit config that reads the cell table (countColumn included) is printed on stderr.\n' +
        'The cell table holds exact counts, small ones included: it is as sensitive as the rows.\n',
    )
    .action(async (file: string, opts: AggregateOptions) => {
      const built = await aggregateFile({
        ...cellSpec(opts),
        file,
        ...(opts.format && { format: opts.format }),
      });
      const steps = AGGREGATE_STEPS.map((make) => make(opts as unknown as Record<string, unknown>)).filter(
        (s): s is CellTableStep => s !== null,
      );
      const table = await applySteps(built, steps);
      const csv = cellTableCsv(table);
      const config = configJson(opts);
      if (opts.uploadConfig !== undefined) await writeFile(opts.uploadConfig, `${config}\n`);
      if (opts.output !== undefined) await writeFile(opts.output, csv);
      else ctx.out(csv);
      ctx.io.stderr.write(
        `${table.cells.length} cells from ${totalCount(built)} rows of ${file}` +
          `${opts.output !== undefined ? ` written to ${opts.output}` : ''}. Upload with this audit config:\n${config}\n`,
      );
    });
}
