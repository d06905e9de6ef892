import type { Command } from 'commander';
import { listAllModels } from '../../client';
import { examples, type CliContext } from '../context';
import { renderTable } from '../table';

export function registerModelsCommand(program: Command, ctx: CliContext): void {
  program
    .command('models')
    .description("List the organization's models")
    .option('--json', 'print JSON')
    .addHelpText('after', examples('fairwatch models', "fairwatch models --json | jq -r '.[].id'"))
    .action(async (opts: { json?: boolean }) => {
      const models = await listAllModels(ctx.client());
      if (opts.json) return ctx.out(`${JSON.stringify(models, null, 2)}\n`);
      ctx.out(
        renderTable(models, [
          { header: 'ID', value: (m) => m.id },
          { header: 'NAME', value: (m) => m.name },
          { header: 'VERSION', value: (m) => m.version },
          { header: 'CREATED', value: (m) => m.createdAt },
          { header: 'BASELINE', value: (m) => m.baselineAuditId ?? '-' },
        ]),
      );
    });
}
