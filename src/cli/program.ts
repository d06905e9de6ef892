/**
 * The `fairwatch` command: global options, the commands (one file each in ./commands) and the mapping of
 * errors to exit codes. Every error is printed once, on stderr, as "error: …".
 */
import { Command, CommanderError } from 'commander';
import { FairwatchApiError } from '../client';
import { registerAggregateCommand } from './commands/aggregate';
import { registerAggregateSqlCommand } from './commands/aggregate-sql';
import { registerAuditCommand } from './commands/audit';
import { registerAuditsCommand } from './commands/audits';
import { registerControlsCommand } from './commands/controls';
import { registerDriftCommand } from './commands/drift';
import { registerExportCommand } from './commands/export';
import { registerModelsCommand } from './commands/models';
import { registerReportCommand } from './commands/report';
import { registerVerifyCommand } from './commands/verify';
import {
  EXIT,
  EXIT_HELP,
  GateFailed,
  clientFactory,
  serverUrl,
  type CliContext,
  type CliIo,
} from './context';

export { EXIT, type CliIo } from './context';

const HELP_AFTER = `
Environment:
  FAIRWATCH_URL       server URL (default http://localhost:3000)
  FAIRWATCH_API_KEY   API key (required; --api-key overrides)
${EXIT_HELP}
Examples:
  # gate a release on the EEOC four-fifths rule
  fairwatch audit scored.csv --model readmission-risk@2.1.0 --attrs race,sex \\
    --label y_true --prediction y_pred --fail-on eeoc-ugesp
  # one period of a larger file, documented for MEASURE 2.1
  fairwatch audit scored.csv --model readmission-risk@2.1.0 --attrs race,gender --where period=3 \\
    --name "2024 Q1" --period-start 2024-01-01 --period-end 2024-03-31 --documentation datasheet.json
  fairwatch drift <audit> --status alert,warning
  fairwatch controls <audit> --frameworks nist-ai-rmf --json
  fairwatch <command> --help      more examples for each command
`;

/** Builds the `fairwatch` command. Actions write to io and throw; runCli maps errors to exit codes. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('fairwatch')
    .description('Fairwatch fairness audits from the command line: upload, read metrics, gate releases.')
    .option('--url <url>', 'server URL (env FAIRWATCH_URL)')
    .option('--api-key <key>', 'API key (env FAIRWATCH_API_KEY)')
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .exitOverride()
    .addHelpText('after', HELP_AFTER);
  // A usage error is one line and a pointer to the help, not the whole help page after it.
  program.showSuggestionAfterError(true);
  const globals = (): { url?: string; apiKey?: string } => program.opts<{ url?: string; apiKey?: string }>();
  const ctx: CliContext = {
    io,
    out: (text) => void io.stdout.write(text),
    client: clientFactory(io, globals),
    baseUrl: () => serverUrl(io, globals().url),
  };
  registerAuditCommand(program, ctx);
  registerModelsCommand(program, ctx);
  registerAuditsCommand(program, ctx);
  registerDriftCommand(program, ctx);
  registerControlsCommand(program, ctx);
  registerReportCommand(program, ctx);
  registerVerifyCommand(program, ctx);
  registerExportCommand(program, ctx);
  registerAggregateSqlCommand(program, ctx);
  registerAggregateCommand(program, ctx);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) =>
        write(`${s.trimEnd()}\n(run \`fairwatch ${command.name()} --help\` for usage)\n`),
    });
  }
  return program;
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
      // Help and --version exit 0; commander already printed usage errors (once).
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof GateFailed) return EXIT.gate; // its verdict is already on stdout
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
    // UsageError, an invalid --where column, a missing or unreadable file (ENOENT, EISDIR, EACCES), anything else.
    err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.usage;
  }
}
