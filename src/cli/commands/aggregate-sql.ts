import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { DIALECTS, cellTableQuery, type Dialect } from '../cell-table-sql';
import { examples, type CliContext } from '../context';
import { addCellOptions, cellSpec, configJson, type CellOptions } from './cell-options';

interface AggregateSqlOptions extends CellOptions {
  dialect: Dialect;
  table: string;
}

export function registerAggregateSqlCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command('aggregate-sql')
    .description(
      'Print one SQL query that turns a warehouse table into a cell table (one row per combination, with its count) ' +
        'to upload with config.countColumn; the rows never leave the warehouse',
    )
    .addOption(new Option('--dialect <dialect>', 'the SQL dialect').choices(DIALECTS).makeOptionMandatory())
    .requiredOption(
      '--table <name>',
      'the table, optionally qualified: db.schema.table (quote a part holding a dot: "a.b")',
    );
  addCellOptions(command)
    .addHelpText(
      'after',
      examples(
        'fairwatch aggregate-sql --dialect postgres --table analytics.scored --label y_true --prediction y_pred \\',
        '  --score score --attrs race,sex > cells.sql',
        'psql "$DATABASE_URL" --csv -f cells.sql > cells.csv',
        'fairwatch aggregate-sql --dialect bigquery --table my-project.ml.scored --label y_true \\',
        '  --prediction y_pred --attrs race,sex --upload-config config.json',
      ) +
        '\nThe query is printed on stdout; the audit config that reads its result (countColumn included) on stderr.\n',
    )
    .action(async (opts: AggregateSqlOptions) => {
      // Both built before anything is written, so a bad name prints nothing but the error.
      const sql = cellTableQuery({ ...cellSpec(opts), dialect: opts.dialect, source: { table: opts.table } });
      const config = configJson(opts);
      if (opts.uploadConfig !== undefined) await writeFile(opts.uploadConfig, `${config}\n`);
      ctx.out(`${sql};\n`);
      ctx.io.stderr.write(`-- Upload the result with this audit config:\n${config}\n`);
    });
}
