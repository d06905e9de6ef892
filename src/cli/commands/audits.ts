import type { Command } from 'commander';
import { listAllAudits } from '../../client';
import { examples, resolveModel, type CliContext } from '../context';
import { renderTable, safeCount } from '../table';

export function registerAuditsCommand(program: Command, ctx: CliContext): void {
  program
    .command('audits')
    .description("List a model's audits, newest first")
    .argument('<model>', 'model id or name@version')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      examples(
        'fairwatch audits readmission-risk@2.1.0',
        "fairwatch audits readmission-risk@2.1.0 --json | jq -r '.[0].id'   # the newest audit",
      ),
    )
    .action(async (ref: string, opts: { json?: boolean }) => {
      const fw = ctx.client();
      const model = await resolveModel(fw, ref);
      const audits = await listAllAudits(fw, model.id);
      if (opts.json) return ctx.out(`${JSON.stringify(audits, null, 2)}\n`);
      const day = (iso: string | null): string => iso?.slice(0, 10) ?? '?';
      ctx.out(
        renderTable(audits, [
          { header: 'ID', value: (a) => a.id },
          { header: 'CREATED', value: (a) => a.createdAt },
          { header: 'ROWS', value: (a) => safeCount(a.rowCount), align: 'right' },
          { header: 'FLAGGED', value: (a) => String(a.summary.flaggedGroups), align: 'right' },
          {
            header: 'PERIOD',
            value: (a) => (a.periodStart || a.periodEnd ? `${day(a.periodStart)}..${day(a.periodEnd)}` : '-'),
          },
          { header: 'BASELINE', value: (a) => (a.id === model.baselineAuditId ? 'pinned' : '') },
          { header: 'NAME', value: (a) => a.name ?? '-' },
        ]),
      );
    });
}
