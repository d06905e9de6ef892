import type { Command } from 'commander';
import { submitRoundPart, unwrap, type AuditRound } from '../../client';
import { attributeList, commaList, examples, resolveModel, type CliContext } from '../context';
import { renderTable } from '../table';

interface OpenOptions {
  model: string;
  name: string;
  sites: string[];
  attrs: string[];
  label?: string;
  prediction?: string;
  score?: string;
  count?: string;
  intersect?: string[];
  siteAttribute: boolean;
  json?: boolean;
}

/** A round's status for a terminal: one line per site, with the row counts the API shows (none 1 to 10). */
export function renderRound(round: AuditRound): string {
  const bySite = new Map(round.submitted.map((s) => [s.site, s]));
  const missing = new Set(round.missingSites);
  const lines = [
    `Round ${round.name} (${round.id}): ${round.status}` +
      (round.auditId ? `, pooled audit ${round.auditId}` : ''),
    renderTable(round.sites, [
      { header: 'SITE', value: (site) => site },
      {
        header: 'STATUS',
        value: (site) => (bySite.has(site) ? 'submitted' : missing.has(site) ? 'left out' : 'pending'),
      },
      {
        header: 'ROWS',
        value: (site) => {
          const part = bySite.get(site);
          if (!part) return '-';
          if (part.rowCount !== null) return String(part.rowCount);
          return part.suppressed === '1-10' ? '≤10' : 'withheld';
        },
      },
      { header: 'SUBMITTED', value: (site) => bySite.get(site)?.submittedAt ?? '-' },
    ]).trimEnd(),
  ];
  return `${lines.join('\n')}\n`;
}

export function registerRoundCommand(program: Command, ctx: CliContext): void {
  const round = program
    .command('round')
    .description('Federated audit rounds: each site submits its own part, closing pools them into one audit');

  round
    .command('open')
    .description('Open a round for a model: the sites expected and the audit config every part is read with')
    .requiredOption('--model <id|name@version>', 'the model (an id, or name@version)')
    .requiredOption('--name <name>', 'a name for the round, e.g. "2026 Q3"')
    .requiredOption(
      '--sites <names>',
      'the sites expected, in pooling order, e.g. north,south,east',
      commaList,
    )
    .requiredOption('--attrs <columns>', 'sensitive attribute columns, e.g. race,sex', attributeList)
    .option('--label <column>', 'ground-truth column (default y_true if present)')
    .option('--prediction <column>', 'predicted-label column (default y_pred if present)')
    .option('--score <column>', 'score or probability column (default score if present)')
    .option('--count <column>', 'parts are cell tables: each row stands for this many people')
    .option(
      '--intersect <columns>',
      'also audit these attributes jointly, e.g. race,sex or site,race',
      attributeList,
    )
    .option('--no-site-attribute', 'do not audit the site as a sensitive attribute of the pooled audit')
    .option('--json', 'print the round as JSON')
    .addHelpText(
      'after',
      examples(
        'fairwatch round open --model readmission@2.1.0 --name "2026 Q3" --sites north,south --attrs race,sex',
        'fairwatch round open --model readmission@2.1.0 --name q3 --sites a,b --attrs race --intersect site,race --json',
      ),
    )
    .action(async (opts: OpenOptions) => {
      const fw = ctx.client();
      const model = await resolveModel(fw, opts.model);
      const config = {
        sensitiveAttributes: opts.attrs,
        ...(opts.label && { labelColumn: opts.label }),
        ...(opts.prediction && { predictionColumn: opts.prediction }),
        ...(opts.score && { scoreColumn: opts.score }),
        ...(opts.count && { countColumn: opts.count }),
        ...(opts.intersect && { intersections: [opts.intersect] }),
        ...(!opts.siteAttribute && { siteAsAttribute: false }),
      };
      const created = unwrap(
        await fw.POST('/v1/models/{modelId}/audit-rounds', {
          params: { path: { modelId: model.id } },
          body: { name: opts.name, sites: opts.sites, config },
        }),
      );
      if (opts.json) return ctx.out(`${JSON.stringify(created, null, 2)}\n`);
      ctx.out(renderRound(created));
      ctx.out(
        `\nEach site submits with: fairwatch round submit ${created.id} <file> --site <site>\n` +
          `(an admin can give each site its own key: POST /v1/api-keys {"role":"data_scientist","roundId":"${created.id}","site":"<site>"})\n`,
      );
    });

  round
    .command('submit')
    .description("Submit one site's part (CSV or Parquet: rows, or a cell table when the round has --count)")
    .argument('<roundId>', 'the round')
    .argument('<file>', 'CSV with a header row, or Parquet (a .parquet name)')
    .option('--site <name>', "the part's site (optional with a site key: the key's own site)")
    .option('--json', 'print the stored part as JSON')
    .addHelpText(
      'after',
      examples(
        'fairwatch round submit 6f1c... north.csv --site north',
        'FAIRWATCH_API_KEY=<site key> fairwatch round submit 6f1c... part.parquet',
      ),
    )
    .action(async (roundId: string, file: string, opts: { site?: string; json?: boolean }) => {
      const part = await submitRoundPart(ctx.client(), {
        roundId,
        file,
        ...(opts.site && { site: opts.site }),
      });
      if (opts.json) return ctx.out(`${JSON.stringify(part, null, 2)}\n`);
      ctx.out(
        `Submitted the part of site ${part.site}: ${part.rowCount} rows` +
          (part.skippedRows > 0 ? ` (${part.skippedRows} skipped)` : '') +
          `, file SHA-256 ${part.dataSha256}\n`,
      );
    });

  round
    .command('status')
    .description('Show a round: its status and which sites have submitted')
    .argument('<roundId>', 'the round')
    .option('--json', 'print the round as JSON')
    .action(async (roundId: string, opts: { json?: boolean }) => {
      const status = unwrap(
        await ctx.client().GET('/v1/audit-rounds/{roundId}', { params: { path: { roundId } } }),
      );
      ctx.out(opts.json ? `${JSON.stringify(status, null, 2)}\n` : renderRound(status));
    });

  round
    .command('close')
    .description(
      'Close a round: pool the parts into one audit (refused while a site is missing, unless --allow-missing)',
    )
    .argument('<roundId>', 'the round')
    .option('--allow-missing', 'pool the parts although some sites have not submitted')
    .option('--json', 'print the pooled audit as JSON')
    .action(async (roundId: string, opts: { allowMissing?: boolean; json?: boolean }) => {
      const audit = unwrap(
        await ctx.client().POST('/v1/audit-rounds/{roundId}/close', {
          params: { path: { roundId } },
          body: opts.allowMissing ? { allowMissing: true } : {},
        }),
      );
      if (opts.json) return ctx.out(`${JSON.stringify(audit, null, 2)}\n`);
      ctx.out(
        `Closed. Pooled audit ${audit.id}: ${audit.rowCount} rows.\n` +
          `Its controls: fairwatch controls ${audit.id}; its signed report: fairwatch report ${audit.id}\n`,
      );
    });
}
