import { readFile, writeFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  createFairwatchClient,
  downloadReportPdf,
  FairwatchApiError,
  findOrCreateModel,
  listAllAudits,
  listAllModels,
  submitAuditCsv,
  unwrap,
  verifyReportPdf,
  type AuditConfigInput,
  type ControlOutcome,
  type FairwatchClient,
  type FrameworkId,
  type Model,
} from '../client';
import { FRAMEWORK_IDS } from '../core/compliance/types';
import {
  disparityRows,
  gateVerdict,
  publishedSliceRows,
  renderControlsTable,
  renderDisparityTable,
} from './audit-summary';
import { num, pValue, renderTable } from './table';

/** Exit codes a CI pipeline can branch on. */
export const EXIT = {
  ok: 0,
  /** Bad usage, a missing file, FAIRWATCH_API_KEY unset, anything unexpected. */
  usage: 1,
  /** The server answered with an HTTP error (its problem detail is printed), or could not be reached. */
  server: 2,
  /** The gate failed: a control of a --fail-on framework fails, drift at the --fail-on level, or an invalid PDF. */
  gate: 3,
} as const;

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** The user's mistake (no API key, an unknown model): printed, exit 1 like any error that is not the server's. */
class UsageError extends Error {}
class GateFailed extends Error {}

/** "a, b,,c" → ["a", "b", "c"]. */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function frameworkList(value: string): FrameworkId[] {
  const known: readonly string[] = FRAMEWORK_IDS;
  const ids = [...new Set(commaList(value))];
  for (const id of ids) {
    if (!known.includes(id))
      throw new InvalidArgumentError(`unknown framework "${id}" (one of ${FRAMEWORK_IDS.join(', ')})`);
  }
  if (ids.length === 0) throw new InvalidArgumentError('give at least one framework id');
  return ids as FrameworkId[];
}

function attributeList(value: string): string[] {
  const names = commaList(value);
  if (names.length === 0) throw new InvalidArgumentError('give at least one column name');
  return names;
}

function modelRef(value: string): { name: string; version: string } {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1)
    throw new InvalidArgumentError(`expected <name>@<version>, e.g. readmission-risk@2.1.0, got "${value}"`);
  return { name: value.slice(0, at), version: value.slice(at + 1) };
}

function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`not a number: "${value}"`);
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1)
    throw new InvalidArgumentError(`not a positive integer: "${value}"`);
  return n;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EXIT_HELP = `
Exit codes:
  0  ok
  1  usage or other error (bad option, missing file, no API key)
  2  server or HTTP error: the problem detail is printed on stderr
  3  gate failed: a control of a --fail-on framework fails, drift reached the
     --fail-on level, or verify found the PDF not valid
`;

const HELP_AFTER = `
Environment:
  FAIRWATCH_URL       server URL (default http://localhost:3000)
  FAIRWATCH_API_KEY   API key (required; --api-key overrides)
${EXIT_HELP}
Example (gate a release on the EEOC four-fifths rule):
  fairwatch audit scored.csv --model readmission-risk@2.1.0 --attrs race,sex \\
    --label y_true --prediction y_pred --fail-on eeoc-ugesp
`;

/** Builds the `fairwatch` command. Actions write to io and throw; runCli maps errors to exit codes. */
export function buildProgram(io: CliIo): Command {
  const out = (text: string): void => void io.stdout.write(text);
  const program = new Command('fairwatch')
    .description('Fairwatch fairness audits from the command line: upload, read metrics, gate releases.')
    .option('--url <url>', 'server URL (env FAIRWATCH_URL)')
    .option('--api-key <key>', 'API key (env FAIRWATCH_API_KEY)')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .exitOverride()
    .addHelpText('after', HELP_AFTER);

  const client = (): FairwatchClient => {
    const opts = program.opts<{ url?: string; apiKey?: string }>();
    const url = opts.url ?? io.env.FAIRWATCH_URL ?? 'http://localhost:3000';
    const key = opts.apiKey ?? io.env.FAIRWATCH_API_KEY;
    if (!key) throw new UsageError('FAIRWATCH_API_KEY is not set (or pass --api-key).');
    return createFairwatchClient(url, key);
  };

  const resolveModel = async (fw: FairwatchClient, ref: string): Promise<Model> => {
    if (UUID.test(ref))
      return unwrap(await fw.GET('/v1/models/{modelId}', { params: { path: { modelId: ref } } }));
    const { name, version } = modelRef(ref);
    const model = (await listAllModels(fw)).find((m) => m.name === name && m.version === version);
    if (!model) throw new UsageError(`No model ${name}@${version}. List them with: fairwatch models`);
    return model;
  };

  /** GET /v1/audits/{auditId}/controls of these frameworks (default: the organization policy's). */
  const fetchControls = async (
    fw: FairwatchClient,
    auditId: string,
    frameworks?: FrameworkId[],
  ): Promise<ControlOutcome[]> =>
    unwrap(
      await fw.GET('/v1/audits/{auditId}/controls', {
        params: { path: { auditId }, query: frameworks ? { frameworks: frameworks.join(',') } : {} },
      }),
    );

  const printControls = (frameworks: FrameworkId[] | undefined, outcomes: ControlOutcome[]): void => {
    if (frameworks) out(`\nControls (${frameworks.join(', ')})\n`);
    out(renderControlsTable(outcomes));
  };

  /** Throws GateFailed when a control of these frameworks fails; prints the verdict unless --json. */
  const gate = (frameworks: FrameworkId[], outcomes: ControlOutcome[], print = true): void => {
    const verdict = gateVerdict(frameworks, outcomes);
    if (print) out(`\n${verdict.message}\n`);
    if (!verdict.passed) throw new GateFailed(verdict.message);
  };

  program
    .command('audit')
    .description('Upload a CSV of predictions as a new audit (creating the model if needed) and summarize it')
    .argument('<file.csv>', 'CSV with a header row')
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
    .option('--name <name>', 'a name for the audit')
    .option('--idempotency-key <key>', 'a retry with the same key returns the first audit')
    .option(
      '--fail-on <frameworks>',
      'exit 3 when a control of these frameworks fails, e.g. eeoc-ugesp',
      frameworkList,
    )
    .option('--progress', 'always show the upload progress bar (default: only on a terminal)')
    .option('--no-progress', 'never show the upload progress bar')
    .option('--json', 'print the audit, its metrics and controls as JSON instead of tables')
    .addHelpText('after', EXIT_HELP)
    .action(async (file: string, opts: AuditOptions) => {
      const fw = client();
      const { model, created } = await findOrCreateModel(fw, opts.model.name, opts.model.version);
      const config: AuditConfigInput = {
        sensitiveAttributes: opts.attrs,
        ...(opts.label !== undefined && { labelColumn: opts.label }),
        ...(opts.prediction !== undefined && { predictionColumn: opts.prediction }),
        ...(opts.score !== undefined && { scoreColumn: opts.score }),
        ...(opts.threshold !== undefined && { threshold: opts.threshold }),
        ...(opts.favorable !== undefined && { favorableOutcome: opts.favorable }),
        ...(opts.intersect !== undefined && { intersections: [opts.intersect] }),
        ...(opts.minGroupSize !== undefined && { minGroupSize: opts.minGroupSize }),
        ...(opts.name !== undefined && { name: opts.name }),
      };
      const showBar =
        opts.progress === true ? true : opts.progress === false ? false : io.stderr.isTTY === true;
      const forced = opts.progress === true && io.stderr.isTTY !== true;
      const bar = showBar
        ? new SingleBar({
            stream: io.stderr,
            format: 'Uploading {filename} [{bar}] {percentage}% | {value}/{total} bytes',
            hideCursor: !forced,
            noTTYOutput: forced,
            notTTYSchedule: 250,
            clearOnComplete: false,
          })
        : null;
      let started = false;
      const audit = await submitAuditCsv(fw, {
        modelId: model.id,
        config,
        file,
        ...(opts.idempotencyKey !== undefined && { idempotencyKey: opts.idempotencyKey }),
        onProgress: (read, total) => {
          if (!bar) return;
          if (!started) {
            bar.start(total, read, { filename: file });
            started = true;
          } else bar.update(read);
        },
      }).finally(() => bar?.stop());
      const metrics = unwrap(
        await fw.GET('/v1/audits/{auditId}/metrics', { params: { path: { auditId: audit.id } } }),
      );
      if (opts.json) {
        const outcomes = opts.failOn ? await fetchControls(fw, audit.id, opts.failOn) : undefined;
        out(`${JSON.stringify({ model, audit, metrics, controls: outcomes }, null, 2)}\n`);
        if (opts.failOn && outcomes) gate(opts.failOn, outcomes, false);
        return;
      }
      const o = metrics.overall.metrics;
      out(
        `Model ${model.name}@${model.version}${created ? ' (created)' : ''}  id ${model.id}\n` +
          `Audit ${audit.id}: ${audit.rowCount} rows` +
          (audit.skippedRows > 0 ? `, ${audit.skippedRows} skipped` : '') +
          `, favorable outcome ${metrics.conventions.favorableOutcome}, reference ${metrics.conventions.referenceStrategy}\n` +
          `Overall: selection rate ${num(o.selection_rate?.value)}` +
          (o.base_rate ? `, base rate ${num(o.base_rate.value)}` : '') +
          (o.false_positive_rate ? `, FPR ${num(o.false_positive_rate.value)}` : '') +
          (o.true_positive_rate ? `, TPR ${num(o.true_positive_rate.value)}` : '') +
          (o.accuracy ? `, accuracy ${num(o.accuracy.value)}` : '') +
          '\n',
      );
      out('\nSlices (summaries over groups of at least minGroupSize people whose rates may be shown)\n');
      out(
        renderTable(publishedSliceRows(metrics), [
          { header: 'ATTRIBUTE', value: (s) => s.attributes.join(' × ') },
          { header: 'REFERENCE', value: (s) => Object.values(s.reference).join(' × ') },
          { header: 'DP_RATIO', value: (s) => num(s.summary.demographic_parity_ratio), align: 'right' },
          { header: 'DP_DIFF', value: (s) => num(s.summary.demographic_parity_difference), align: 'right' },
          { header: 'EO_DIFF', value: (s) => num(s.summary.equalized_odds_difference), align: 'right' },
          { header: 'IMPACT_RATIO', value: (s) => num(s.summary.impact_ratio), align: 'right' },
        ]),
      );
      out('\nGroups, worst disparity first (ratio to the reference group)\n');
      out(renderDisparityTable(disparityRows(metrics)));
      if (opts.failOn) {
        const outcomes = await fetchControls(fw, audit.id, opts.failOn);
        printControls(opts.failOn, outcomes);
        gate(opts.failOn, outcomes);
      }
    });

  program
    .command('models')
    .description("List the organization's models")
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const models = await listAllModels(client());
      if (opts.json) return out(`${JSON.stringify(models, null, 2)}\n`);
      out(
        renderTable(models, [
          { header: 'ID', value: (m) => m.id },
          { header: 'NAME', value: (m) => m.name },
          { header: 'VERSION', value: (m) => m.version },
          { header: 'CREATED', value: (m) => m.createdAt },
          { header: 'BASELINE', value: (m) => m.baselineAuditId ?? '-' },
        ]),
      );
    });

  program
    .command('audits')
    .description("List a model's audits, newest first")
    .argument('<model>', 'model id or name@version')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const fw = client();
      const model = await resolveModel(fw, ref);
      const audits = await listAllAudits(fw, model.id);
      if (opts.json) return out(`${JSON.stringify(audits, null, 2)}\n`);
      out(
        renderTable(audits, [
          { header: 'ID', value: (a) => a.id },
          { header: 'CREATED', value: (a) => a.createdAt },
          { header: 'ROWS', value: (a) => String(a.rowCount), align: 'right' },
          { header: 'FLAGGED', value: (a) => String(a.summary.flaggedGroups), align: 'right' },
          { header: 'NAME', value: (a) => a.name ?? '-' },
        ]),
      );
    });

  program
    .command('drift')
    .description('Drift of an audit against its baseline (pinned, else the previous audit)')
    .argument('<audit>', 'audit id')
    .option('--baseline <audit>', 'compare with this audit of the same model instead')
    .addOption(
      new Option('--fail-on <status>', 'exit 3 when drift reaches this status').choices(['warning', 'alert']),
    )
    .option('--json', 'print JSON')
    .action(
      async (auditId: string, opts: { baseline?: string; failOn?: 'warning' | 'alert'; json?: boolean }) => {
        const report = unwrap(
          await client().GET('/v1/audits/{auditId}/drift', {
            params: { path: { auditId }, query: opts.baseline ? { baseline: opts.baseline } : {} },
          }),
        );
        if (opts.json) out(`${JSON.stringify(report, null, 2)}\n`);
        else {
          out(
            `Drift of ${report.auditId} against ${report.baselineAuditId ?? 'nothing'} (${report.baselineSource}): ` +
              `${report.status.toUpperCase()}\n${report.message}\n`,
          );
          if (report.checks.length > 0)
            out(
              '\n' +
                renderTable(report.checks, [
                  { header: 'STATUS', value: (c) => c.status.toUpperCase() },
                  { header: 'KIND', value: (c) => c.kind },
                  {
                    header: 'GROUP',
                    value: (c) =>
                      c.key ? Object.values(c.key).join(' × ') : (c.attributes ?? []).join(' × ') || '-',
                  },
                  { header: 'METRIC', value: (c) => c.metric ?? '-' },
                  { header: 'STATISTIC', value: (c) => c.statistic },
                  { header: 'VALUE', value: (c) => num(c.value), align: 'right' },
                  { header: 'P', value: (c) => pValue(c.pValueAdjusted ?? c.pValue), align: 'right' },
                  { header: 'BASELINE', value: (c) => num(c.baseline), align: 'right' },
                  { header: 'CURRENT', value: (c) => num(c.current), align: 'right' },
                ]),
            );
        }
        const order = { ok: 0, warning: 1, alert: 2 } as const;
        if (opts.failOn && order[report.status] >= order[opts.failOn])
          throw new GateFailed(`Drift status ${report.status} reaches --fail-on ${opts.failOn}.`);
      },
    );

  program
    .command('controls')
    .description("Evaluate an audit against frameworks' compliance controls")
    .argument('<audit>', 'audit id')
    .option(
      '--frameworks <ids>',
      "frameworks to evaluate (default: the organization policy's)",
      frameworkList,
    )
    .option('--fail-on <ids>', 'exit 3 when a control of these frameworks fails', frameworkList)
    .action(async (auditId: string, opts: { frameworks?: FrameworkId[]; failOn?: FrameworkId[] }) => {
      const both = [...new Set([...(opts.frameworks ?? []), ...(opts.failOn ?? [])])];
      const frameworks = both.length > 0 ? both : undefined;
      const outcomes = await fetchControls(client(), auditId, frameworks);
      printControls(frameworks, outcomes);
      if (opts.failOn) gate(opts.failOn, outcomes);
    });

  program
    .command('report')
    .description('Make a signed PDF report of an audit and download it')
    .argument('<audit>', 'audit id')
    .requiredOption('-o, --output <file.pdf>', 'where to write the PDF')
    .option(
      '--frameworks <ids>',
      "frameworks the report covers (default: the organization policy's)",
      frameworkList,
    )
    .option('--title <title>', 'report title')
    .action(async (auditId: string, opts: { output: string; frameworks?: FrameworkId[]; title?: string }) => {
      const fw = client();
      const report = unwrap(
        await fw.POST('/v1/audits/{auditId}/reports', {
          params: { path: { auditId } },
          body: {
            ...(opts.frameworks && { frameworks: opts.frameworks }),
            ...(opts.title !== undefined && { title: opts.title }),
          },
        }),
      );
      const pdf = await downloadReportPdf(fw, report.id);
      await writeFile(opts.output, pdf);
      out(
        `Report ${report.id} (${report.frameworks.join(', ')}): verdict ${report.verdict.toUpperCase()}\n` +
          `sha256 ${report.sha256}\nwrote ${opts.output} (${pdf.length} bytes)\n`,
      );
    });

  program
    .command('verify')
    .description('Check that a PDF is exactly a signed report of your organization (exit 3 if not)')
    .argument('<file.pdf>', 'the PDF as downloaded')
    .action(async (file: string) => {
      const result = await verifyReportPdf(client(), await readFile(file));
      if (result.valid) {
        out(
          `VALID: report ${result.reportId ?? '?'} signed ${result.signedAt ?? ''} by key ${result.signingKeyId ?? '?'}\n`,
        );
        out(`sha256 ${result.sha256}\n`);
      } else {
        out(`NOT VALID: ${result.reason ?? 'no matching signed report'}\nsha256 ${result.sha256}\n`);
        throw new GateFailed('The PDF is not a valid signed report.');
      }
    });

  return program;
}

interface AuditOptions {
  model: { name: string; version: string };
  attrs: string[];
  label?: string;
  prediction?: string;
  score?: string;
  threshold?: number;
  favorable?: 'positive' | 'negative';
  intersect?: string[];
  minGroupSize?: number;
  name?: string;
  idempotencyKey?: string;
  failOn?: FrameworkId[];
  progress?: boolean;
  json?: boolean;
}

/** The system error code (ECONNREFUSED, ENOTFOUND, ENOENT…) of an error or of its causes. */
function errorCode(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') return e.code;
  const inner = Array.isArray(e.errors) ? (e.errors as unknown[])[0] : undefined;
  return errorCode(e.cause, depth + 1) ?? errorCode(inner, depth + 1);
}

/** Runs the CLI with argv (without node and the script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  const err = (text: string): void => void io.stderr.write(`${text}\n`);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version exit 0; commander already printed usage errors.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof GateFailed) return EXIT.gate;
    if (e instanceof FairwatchApiError) {
      err(`error: ${e.message}`);
      return EXIT.server;
    }
    if (e instanceof TypeError && e.message === 'fetch failed') {
      const cause = (e as { cause?: unknown }).cause;
      const why = errorCode(e) ?? (cause instanceof Error ? cause.message : e.message);
      err(`error: cannot reach the Fairwatch server (${why}). Check FAIRWATCH_URL.`);
      return EXIT.server;
    }
    // UsageError, a missing or unreadable file (ENOENT, EISDIR, EACCES), anything unexpected.
    err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.usage;
  }
}
