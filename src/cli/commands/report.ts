import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { downloadReportPdf, unwrap, type FrameworkId } from '../../client';
import { examples, frameworkList, type CliContext } from '../context';

export function registerReportCommand(program: Command, ctx: CliContext): void {
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
    .addHelpText(
      'after',
      examples(
        'fairwatch report <audit> -o report.pdf',
        'fairwatch report <audit> -o q1.pdf --frameworks hhs-1557,onc-hti-1 --title "Q1 2024 fairness audit"',
      ),
    )
    .action(async (auditId: string, opts: { output: string; frameworks?: FrameworkId[]; title?: string }) => {
      const fw = ctx.client();
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
      ctx.out(
        `Report ${report.id} (${report.frameworks.join(', ')}): verdict ${report.verdict.toUpperCase()}\n` +
          `sha256 ${report.sha256}\nwrote ${opts.output} (${pdf.length} bytes)\n`,
      );
    });
}
