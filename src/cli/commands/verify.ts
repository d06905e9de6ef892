import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { verifyReportPdf } from '../../client';
import { EXIT_HELP, GateFailed, examples, type CliContext } from '../context';

export function registerVerifyCommand(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description('Check that a PDF is exactly a signed report of your organization (exit 3 if not)')
    .argument('<file.pdf>', 'the PDF as downloaded')
    .addHelpText(
      'after',
      examples('fairwatch verify report.pdf && echo "signed by us, unchanged"') + EXIT_HELP,
    )
    .action(async (file: string) => {
      const result = await verifyReportPdf(ctx.client(), await readFile(file));
      if (result.valid) {
        ctx.out(
          `VALID: report ${result.reportId ?? '?'} signed ${result.signedAt ?? ''} by key ${result.signingKeyId ?? '?'}\n`,
        );
        ctx.out(`sha256 ${result.sha256}\n`);
      } else {
        ctx.out(`NOT VALID: ${result.reason ?? 'no matching signed report'}\nsha256 ${result.sha256}\n`);
        throw new GateFailed('The PDF is not a valid signed report.');
      }
    });
}
