import type { Command } from 'commander';
import type { FrameworkId } from '../../client';
import { renderControlsTable } from '../audit-tables';
import { gateVerdict } from '../release-gate';
import { EXIT_HELP, GateFailed, examples, fetchControls, frameworkList, type CliContext } from '../context';

export function registerControlsCommand(program: Command, ctx: CliContext): void {
  program
    .command('controls')
    .description("Evaluate an audit against frameworks' compliance controls, with each verdict's rationale")
    .argument('<audit>', 'audit id')
    .option(
      '--frameworks <ids>',
      "frameworks to evaluate (default: the organization policy's)",
      frameworkList,
    )
    .option('--fail-on <ids>', 'exit 3 when a control of these frameworks fails', frameworkList)
    .option('--json', 'print the outcomes as JSON (status, rationale, evidence, policy and catalog versions)')
    .addHelpText(
      'after',
      examples(
        'fairwatch controls <audit>',
        'fairwatch controls <audit> --frameworks nist-ai-rmf,hhs-1557',
        'fairwatch controls <audit> --json | jq \'.[] | select(.status == "fail") | {controlId, rationale, evidence}\'',
        'fairwatch controls <audit> --fail-on eeoc-ugesp             # exit 3 when one fails (CI)',
      ) + EXIT_HELP,
    )
    .action(
      async (
        auditId: string,
        opts: { frameworks?: FrameworkId[]; failOn?: FrameworkId[]; json?: boolean },
      ) => {
        const both = [...new Set([...(opts.frameworks ?? []), ...(opts.failOn ?? [])])];
        const frameworks = both.length > 0 ? both : undefined;
        const outcomes = await fetchControls(ctx.client(), auditId, frameworks);
        const verdict = opts.failOn ? gateVerdict(opts.failOn, outcomes) : null;
        if (opts.json) ctx.out(`${JSON.stringify(outcomes, null, 2)}\n`);
        else {
          if (frameworks) ctx.out(`Controls (${frameworks.join(', ')})\n`);
          ctx.out(renderControlsTable(outcomes, { rationale: true }));
          if (verdict) ctx.out(`\n${verdict.message}\n`);
        }
        if (verdict && !verdict.passed) throw new GateFailed(verdict.message);
      },
    );
}
