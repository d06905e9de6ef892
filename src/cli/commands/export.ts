import { writeFile } from 'node:fs/promises';
import { Argument, type Command } from 'commander';
import { downloadExport, type ExportKind } from '../../client';
import { examples, resolveModel, type CliContext } from '../context';

const DEFAULT_NAME: Record<ExportKind, (model: string) => string> = {
  'hti-1': (m) => `${m}-hti-1.json`,
  'chai-model-card': (m) => `${m}-model-card.xml`,
};

/** Downloads a model's signed HTI-1 attribute list (JSON) or CHAI model card (XML). */
export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description(
      "Download a model's signed health-IT transparency export: the HTI-1 source attributes or the CHAI model card",
    )
    .addArgument(new Argument('<kind>', 'what to export').choices(['hti-1', 'chai-model-card']))
    .argument('<model>', 'model id or name@version')
    .option(
      '-o, --output <file>',
      'where to write it (default <name>-<version>-hti-1.json or -model-card.xml)',
    )
    .addHelpText(
      'after',
      examples(
        'fairwatch export hti-1 readmission-risk@2.1.0 -o hti-1.json',
        'fairwatch export chai-model-card readmission-risk@2.1.0 -o card.xml && fairwatch verify card.xml',
      ),
    )
    .action(async (kind: ExportKind, ref: string, opts: { output?: string }) => {
      const fw = ctx.client();
      const model = await resolveModel(fw, ref);
      const file = await downloadExport(fw, model.id, kind);
      const output = opts.output ?? DEFAULT_NAME[kind](`${model.name}-${model.version}`);
      await writeFile(output, file.bytes);
      let summary = '';
      if (kind === 'hti-1') {
        const doc = JSON.parse(Buffer.from(file.bytes).toString('utf8')) as {
          summary: {
            total: number;
            fromAudits: number;
            fromDocumentation: number;
            missing: number;
            missingAttributes: { id: string; documentationFields: string[] }[];
          };
        };
        const s = doc.summary;
        summary =
          `${s.total - s.missing} of ${s.total} attributes filled (${s.fromAudits} from audits, ${s.fromDocumentation} from documentation); ${s.missing} missing` +
          (s.missing > 0
            ? `:\n${s.missingAttributes.map((m) => `  ${m.id}${m.documentationFields.length > 0 ? `  (documentation ${m.documentationFields.join(', ')})` : ''}`).join('\n')}`
            : '') +
          '\n';
      }
      ctx.out(
        `${kind === 'hti-1' ? 'HTI-1 source attributes' : 'CHAI model card'} of ${model.name}@${model.version}: export ${file.exportId ?? '?'}, ` +
          `signed by key ${file.signingKeyId ?? '?'}\n${summary}wrote ${output} (${file.bytes.length} bytes)\n`,
      );
    });
}
