import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import {
  FairwatchApiError,
  findOrCreateModel,
  submitAuditCsv,
  unwrap,
  binaryMetrics,
  type Audit,
  type AuditConfigInput,
  type ControlOutcome,
  type FairwatchClient,
  type FrameworkId,
} from '../../client';
import type { Documentation } from '../../core/compliance';
import {
  disparityRows,
  publishedOverall,
  publishedSliceRows,
  renderControlsTable,
  renderDisparityTable,
} from '../audit-tables';
import {
  EXIT_HELP,
  GateFailed,
  UsageError,
  attributeList,
  examples,
  fetchControls,
  finiteNumber,
  frameworkList,
  isoDate,
  modelRef,
  positiveInt,
  type CliContext,
} from '../context';
import { readDocumentationFile } from '../documentation-file';
import { gateVerdict } from '../release-gate';
import {
  checkWhereColumns,
  filterCsvRows,
  whereClause,
  type FilterStats,
  type WhereClause,
} from '../row-filter';
import { num, renderTable } from '../table';

const isParquet = (file: string): boolean => /\.parquet$/i.test(file);

/** HTI-1's settings of the data an audit was run on (config.dataSource, api-contract "Uploads"). */
export const DATA_SOURCES = ['training', 'internal_test', 'external', 'local'] as const;

interface AuditOptions {
  model: { name: string; version: string };
  attrs: string[];
  label?: string;
  prediction?: string;
  score?: string;
  countColumn?: string;
  threshold?: number;
  favorable?: 'positive' | 'negative';
  intersect?: string[];
  minGroupSize?: number;
  name?: string;
  periodStart?: string;
  periodEnd?: string;
  notes?: string;
  dataSource?: (typeof DATA_SOURCES)[number];
  dataSourceDescription?: string;
  documentation?: string;
  modelDocumentation?: string;
  where?: WhereClause[];
  idempotencyKey?: string;
  failOn?: FrameworkId[];
  progress?: boolean;
  json?: boolean;
}

/** Prints the controls of the gated frameworks, then throws GateFailed when one of them fails. */
export function printControlsAndGate(
  ctx: CliContext,
  frameworks: FrameworkId[],
  outcomes: ControlOutcome[],
): void {
  ctx.out(`\nControls (${frameworks.join(', ')})\n`);
  ctx.out(renderControlsTable(outcomes));
  const verdict = gateVerdict(frameworks, outcomes);
  ctx.out(`\n${verdict.message}\n`);
  if (!verdict.passed) throw new GateFailed(verdict.message);
}

/** "name=x" pairs of the --where clauses, for messages. */
const whereText = (where: readonly WhereClause[]): string =>
  where.map((w) => `${w.column}=${w.value}`).join(' ');

export function registerAuditCommand(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description(
      'Upload a CSV or Parquet file of predictions as a new audit (creating the model if needed) and summarize it',
    )
    .argument('<file>', 'CSV with a header row, or Parquet (a .parquet name)')
    .requiredOption(
      '--model <name@version>',
      'the model, e.g. readmission-risk@2.1.0 (created if missing)',
      modelRef,
    )
    .requiredOption(
      '--attrs <columns>',
      'sensitive attribute columns, comma-separated, e.g. race,sex',
      attributeList,
    )
    .option('--label <column>', 'ground-truth column (default y_true if present)')
    .option('--prediction <column>', 'predicted-label column (default y_pred if present)')
    .option('--score <column>', 'score or probability column (default score if present)')
    .option(
      '--count-column <column>',
      'each row stands for this many identical rows (a cell table from fairwatch aggregate or aggregate-sql)',
    )
    .option(
      '--threshold <number>',
      'score >= threshold is predicted 1 when there is no prediction column',
      finiteNumber,
    )
    .addOption(
      new Option('--favorable <outcome>', 'which prediction benefits the person').choices([
        'positive',
        'negative',
      ]),
    )
    .option('--intersect <columns>', 'also audit these attributes jointly, e.g. race,sex', attributeList)
    .option('--min-group-size <n>', 'groups smaller than this are flagged insufficient_sample', positiveInt)
    .option(
      '--where <column=value>',
      'upload only the rows whose column has this value (repeatable: the same column again = any of the values, ' +
        'other columns = all of them); filtered while streaming',
      whereClause,
    )
    .option('--name <name>', 'a name for the audit, e.g. "2024 Q1"')
    .option('--period-start <date>', 'first day the data cover (ISO 8601, e.g. 2024-01-01)', isoDate)
    .option('--period-end <date>', 'last day the data cover (ISO 8601, e.g. 2024-03-31)', isoDate)
    .option('--notes <text>', 'free-text notes kept with the audit')
    .addOption(
      new Option(
        '--data-source <setting>',
        "where the data come from, in HTI-1's terms (config.dataSource; the server's default is local)",
      ).choices(DATA_SOURCES),
    )
    .option(
      '--data-source-description <text>',
      'free text about the data: site, system, extract, who ran the test (config.dataSourceDescription)',
    )
    .option(
      '--documentation <file>',
      "the audited data's datasheet fields (JSON, or YAML by .yaml/.yml), e.g. dataSources, inclusionExclusion",
    )
    .option(
      '--model-documentation <file>',
      "the model's documentation fields (JSON or YAML), e.g. intendedUse, monitoringPlan: updates the model",
    )
    .option('--idempotency-key <key>', 'a retry with the same key returns the first audit')
    .option(
      '--fail-on <frameworks>',
      'exit 3 when a control of these frameworks fails, e.g. eeoc-ugesp',
      frameworkList,
    )
    .option('--progress', 'always show the upload progress bar (default: only on a terminal)')
    .option('--no-progress', 'never show the upload progress bar')
    .option('--json', 'print the audit, its metrics and controls as JSON instead of tables')
    .addHelpText(
      'after',
      examples(
        'fairwatch audit scored.csv --model readmission-risk@2.1.0 --attrs race,sex --label y_true',
        'fairwatch audit scored.csv --model readmission-risk@2.1.0 --attrs race,gender \\',
        '  --where period=3 --name "2024 Q1" --period-start 2024-01-01 --period-end 2024-03-31 \\',
        '  --documentation datasheet.yaml --data-source local',
        'fairwatch audit partner.csv --model readmission-risk@2.1.0 --attrs race,sex \\',
        '  --data-source external --data-source-description "Partner hospital, 2024 discharges"',
        'fairwatch audit scored.csv --model readmission-risk@2.1.0 --attrs race --fail-on eeoc-ugesp',
        'fairwatch audit scored.parquet --model readmission-risk@2.1.0 --attrs race,gender --label y_true',
      ) + EXIT_HELP,
    )
    .action(async (file: string, opts: AuditOptions) => {
      if (opts.periodStart && opts.periodEnd && Date.parse(opts.periodStart) > Date.parse(opts.periodEnd))
        throw new UsageError(`--period-start ${opts.periodStart} is after --period-end ${opts.periodEnd}.`);
      // Read before anything reaches the server, so a bad file changes nothing.
      const documentation = opts.documentation ? await readDocumentationFile(opts.documentation) : undefined;
      const modelDocumentation = opts.modelDocumentation
        ? await readDocumentationFile(opts.modelDocumentation)
        : undefined;
      if (opts.where && isParquet(file))
        throw new UsageError(
          `--where filters CSV rows while streaming them; ${file} is Parquet: filter it before uploading ` +
            "(e.g. DuckDB: COPY (SELECT * FROM 'in.parquet' WHERE period = 3) TO 'out.parquet').",
        );
      if (opts.where) await checkWhereColumns(file, opts.where);
      const fw = ctx.client();
      const { model, created } = await findOrCreateModel(fw, opts.model.name, opts.model.version);
      if (modelDocumentation) await updateModelDocumentation(fw, model.id, modelDocumentation);
      const config: AuditConfigInput = {
        sensitiveAttributes: opts.attrs,
        ...(opts.label !== undefined && { labelColumn: opts.label }),
        ...(opts.prediction !== undefined && { predictionColumn: opts.prediction }),
        ...(opts.score !== undefined && { scoreColumn: opts.score }),
        ...(opts.countColumn !== undefined && { countColumn: opts.countColumn }),
        ...(opts.threshold !== undefined && { threshold: opts.threshold }),
        ...(opts.favorable !== undefined && { favorableOutcome: opts.favorable }),
        ...(opts.intersect !== undefined && { intersections: [opts.intersect] }),
        ...(opts.minGroupSize !== undefined && { minGroupSize: opts.minGroupSize }),
        ...(opts.name !== undefined && { name: opts.name }),
        ...(opts.periodStart !== undefined && { periodStart: opts.periodStart }),
        ...(opts.periodEnd !== undefined && { periodEnd: opts.periodEnd }),
        ...(opts.notes !== undefined && { notes: opts.notes }),
        ...(opts.dataSource !== undefined && { dataSource: opts.dataSource }),
        ...(opts.dataSourceDescription !== undefined && {
          dataSourceDescription: opts.dataSourceDescription,
        }),
      };
      const stats: FilterStats = { rows: 0, kept: 0 };
      const where = opts.where;
      let audit: Audit;
      try {
        audit = await upload(
          ctx,
          fw,
          file,
          model.id,
          config,
          opts,
          where ? (chunks) => filterCsvRows(chunks, where, stats) : undefined,
        );
      } catch (err) {
        if (where && err instanceof FairwatchApiError && stats.rows > 0 && stats.kept === 0)
          throw new UsageError(
            `--where ${whereText(where)}: none of the ${stats.rows} rows matches; nothing was uploaded.`,
          );
        throw err;
      }
      // The data's datasheet goes on the audit itself (PATCH), so its controls read it.
      const auditDocumentation: Documentation | undefined = documentation;
      if (auditDocumentation)
        audit = unwrap(
          await fw.PATCH('/v1/audits/{auditId}', {
            params: { path: { auditId: audit.id } },
            body: { documentation: auditDocumentation },
          }),
        );
      const taskMetrics = unwrap(
        await fw.GET('/v1/audits/{auditId}/metrics', { params: { path: { auditId: audit.id } } }),
      );
      const metrics = binaryMetrics(taskMetrics);
      if (opts.json || metrics === null) {
        if (!opts.json)
          throw new UsageError(
            'The tables show binary audits; for a regression or multiclass audit use --json',
          );
        const outcomes = opts.failOn ? await fetchControls(fw, audit.id, opts.failOn) : undefined;
        ctx.out(
          `${JSON.stringify({ model, audit, metrics: taskMetrics, controls: outcomes, ...(where && { where: { clauses: where, ...stats } }) }, null, 2)}\n`,
        );
        if (opts.failOn && outcomes) {
          const verdict = gateVerdict(opts.failOn, outcomes);
          if (!verdict.passed) throw new GateFailed(verdict.message);
        }
        return;
      }
      // Counts and rates pass the reports' disclosure rules: none can print or give back a count of 1 to 10.
      const o = metrics.overall.metrics;
      const shown = publishedOverall(metrics);
      const period =
        audit.periodStart || audit.periodEnd
          ? `, period ${audit.periodStart?.slice(0, 10) ?? '?'} to ${audit.periodEnd?.slice(0, 10) ?? '?'}`
          : '';
      ctx.out(
        `Model ${model.name}@${model.version}${created ? ' (created)' : ''}  id ${model.id}\n` +
          `Audit ${audit.id}${audit.name ? ` "${audit.name}"` : ''}: ${shown.count(audit.rowCount)} ${audit.columnsUsed.count ? 'people' : 'rows'}` +
          (where
            ? ` (--where ${whereText(where)}: ${shown.count(stats.kept)} of ${shown.count(stats.rows)} rows)`
            : '') +
          (audit.skippedRows > 0 ? `, ${shown.count(audit.skippedRows)} skipped` : '') +
          period +
          `, favorable outcome ${metrics.conventions.favorableOutcome}, reference ${metrics.conventions.referenceStrategy}\n` +
          (auditDocumentation ? `Documentation: ${Object.keys(audit.documentation).join(', ')}\n` : '') +
          `Overall: selection rate ${shown.rate('selection_rate')}` +
          (o.base_rate ? `, base rate ${shown.rate('base_rate')}` : '') +
          (o.false_positive_rate ? `, FPR ${shown.rate('false_positive_rate')}` : '') +
          (o.true_positive_rate ? `, TPR ${shown.rate('true_positive_rate')}` : '') +
          (o.accuracy ? `, accuracy ${shown.rate('accuracy')}` : '') +
          '\n',
      );
      ctx.out('\nSlices (summaries over groups of at least minGroupSize people whose rates may be shown)\n');
      ctx.out(
        renderTable(publishedSliceRows(metrics), [
          { header: 'ATTRIBUTE', value: (s) => s.attributes.join(' × ') },
          { header: 'REFERENCE', value: (s) => Object.values(s.reference).join(' × ') },
          { header: 'DP_RATIO', value: (s) => num(s.summary.demographic_parity_ratio), align: 'right' },
          { header: 'DP_DIFF', value: (s) => num(s.summary.demographic_parity_difference), align: 'right' },
          { header: 'EO_DIFF', value: (s) => num(s.summary.equalized_odds_difference), align: 'right' },
          { header: 'IMPACT_RATIO', value: (s) => num(s.summary.impact_ratio), align: 'right' },
        ]),
      );
      ctx.out('\nGroups, worst disparity first (ratio to the reference group)\n');
      ctx.out(renderDisparityTable(disparityRows(metrics)));
      if (opts.failOn) printControlsAndGate(ctx, opts.failOn, await fetchControls(fw, audit.id, opts.failOn));
    });
}

async function updateModelDocumentation(
  fw: FairwatchClient,
  modelId: string,
  documentation: Documentation,
): Promise<void> {
  unwrap(await fw.PATCH('/v1/models/{modelId}', { params: { path: { modelId } }, body: { documentation } }));
}

/** The streamed upload, with the progress bar on stderr when asked for or on a terminal. */
async function upload(
  ctx: CliContext,
  fw: FairwatchClient,
  file: string,
  modelId: string,
  config: AuditConfigInput,
  opts: Pick<AuditOptions, 'progress' | 'idempotencyKey'>,
  transform: ((chunks: AsyncIterable<Buffer>) => AsyncIterable<Buffer>) | undefined,
): Promise<Audit> {
  const { stderr } = ctx.io;
  const showBar = opts.progress === true ? true : opts.progress === false ? false : stderr.isTTY === true;
  const forced = opts.progress === true && stderr.isTTY !== true;
  const bar = showBar
    ? new SingleBar({
        stream: stderr,
        format: 'Uploading {filename} [{bar}] {percentage}% | {value}/{total} bytes',
        hideCursor: !forced,
        noTTYOutput: forced,
        notTTYSchedule: 250,
        clearOnComplete: false,
      })
    : null;
  let started = false;
  return submitAuditCsv(fw, {
    modelId,
    config,
    file,
    ...(transform && { transform }),
    ...(opts.idempotencyKey !== undefined && { idempotencyKey: opts.idempotencyKey }),
    onProgress: (read, total) => {
      if (!bar) return;
      if (!started) {
        bar.start(total, read, { filename: file });
        started = true;
      } else bar.update(read);
    },
  }).finally(() => bar?.stop());
}
