import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { verifySignedFile } from '../../client';
import { EXIT_HELP, GateFailed, examples, type CliContext } from '../context';

export function registerVerifyCommand(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description(
      'Check that a file is exactly a signed report PDF, model card or HTI-1 export of your organization (exit 3 if not)',
    )
    .argument('<file>', 'the PDF, XML or JSON as downloaded')
    .addHelpText(
      'after',
      examples(
        'fairwatch verify report.pdf && echo "signed by us, unchanged"',
        'fairwatch verify model-card.xml',
      ) + EXIT_HELP,
    )
    .action(async (file: string) => {
      const result = await verifySignedFile(ctx.client(), await readFile(file));
      if (result.valid) {
        const what =
          result.kind === 'hti-1'
            ? `HTI-1 export ${result.exportId ?? '?'}`
            : result.kind === 'chai-model-card'
              ? `model card ${result.exportId ?? '?'}`
              : `report ${result.reportId ?? '?'}`;
        ctx.out(`VALID: ${what} signed ${result.signedAt ?? ''} by key ${result.signingKeyId ?? '?'}\n`);
        ctx.out(`sha256 ${result.sha256}\n`);
      } else {
        ctx.out(`NOT VALID: ${result.reason ?? 'no matching signed file'}\nsha256 ${result.sha256}\n`);
        throw new GateFailed('The file is not a valid signed report or export.');
      }
    });
}
