import { Option, type Command } from 'commander';
import { binaryMetrics, unwrap, type DriftReport } from '../../client';
import { EXIT_HELP, GateFailed, choiceList, examples, type CliContext } from '../context';
import { renderDriftTable } from '../drift-table';

type Check = DriftReport['checks'][number];
const STATUSES = ['ok', 'warning', 'alert'] as const satisfies readonly Check['status'][];
const KINDS = [
  'population',
  'score',
  'label',
  'performance',
  'fairness',
  'poisoning',
] as const satisfies readonly Check['kind'][];

/** The checks shown: those of the chosen statuses and kinds (all when a filter is not given). */
export function filterChecks(
  checks: readonly Check[],
  filter: { status?: readonly string[]; kind?: readonly string[] },
): Check[] {
  return checks.filter(
    (c) =>
      (!filter.status || filter.status.includes(c.status)) && (!filter.kind || filter.kind.includes(c.kind)),
  );
}

interface DriftOptions {
  baseline?: string;
  failOn?: 'warning' | 'alert';
  status?: Check['status'][];
  kind?: Check['kind'][];
  json?: boolean;
}

export function registerDriftCommand(program: Command, ctx: CliContext): void {
  program
    .command('drift')
    .description('Drift of an audit against its baseline (pinned, else the previous audit)')
    .argument('<audit>', 'audit id')
    .option('--baseline <audit>', 'compare with this audit of the same model instead')
    .option(
      '--status <statuses>',
      `show only checks with these statuses, comma-separated (${STATUSES.join(', ')})`,
      choiceList(STATUSES),
    )
    .option(
      '--kind <kinds>',
      `show only checks of these kinds, comma-separated (${KINDS.join(', ')})`,
      choiceList(KINDS),
    )
    .addOption(
      new Option(
        '--fail-on <status>',
        'exit 3 when drift reaches this status (the overall status, whatever is shown)',
      ).choices(['warning', 'alert']),
    )
    .option('--json', 'print JSON (the report with only the checks shown)')
    .addHelpText(
      'after',
      examples(
        'fairwatch drift 7c1e9a52-3f4b-4d6e-8a2c-5b9d0e1f2a34',
        'fairwatch drift <audit> --status alert,warning            # only what moved',
        'fairwatch drift <audit> --kind fairness,performance --status alert',
        'fairwatch drift <audit> --fail-on alert                   # exit 3 on an alert (CI)',
      ) + EXIT_HELP,
    )
    .action(async (auditId: string, opts: DriftOptions) => {
      const report = unwrap(
        await ctx.client().GET('/v1/audits/{auditId}/drift', {
          params: { path: { auditId }, query: opts.baseline ? { baseline: opts.baseline } : {} },
        }),
      );
      const shown = filterChecks(report.checks, opts);
      if (opts.json) ctx.out(`${JSON.stringify({ ...report, checks: shown }, null, 2)}\n`);
      else {
        const filtered = opts.status || opts.kind;
        ctx.out(
          `Drift of ${report.auditId} against ${report.baselineAuditId ?? 'nothing'} (${report.baselineSource}): ` +
            `${report.status.toUpperCase()}\n${report.message}\n` +
            (filtered
              ? `Showing ${shown.length} of ${report.checks.length} checks` +
                (opts.status ? ` (status ${opts.status.join(',')})` : '') +
                (opts.kind ? ` (kind ${opts.kind.join(',')})` : '') +
                '\n'
              : ''),
        );
        if (shown.length > 0) {
          // The audit's metrics say which groups and rates its reports suppress; their checks' figures are too.
          const metrics = binaryMetrics(
            unwrap(await ctx.client().GET('/v1/audits/{auditId}/metrics', { params: { path: { auditId } } })),
          );
          if (metrics !== null) ctx.out('\n' + renderDriftTable(shown, metrics));
        }
      }
      const order = { ok: 0, warning: 1, alert: 2 } as const;
      if (opts.failOn && order[report.status] >= order[opts.failOn])
        throw new GateFailed(`Drift status ${report.status} reaches --fail-on ${opts.failOn}.`);
    });
}
