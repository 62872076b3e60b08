import { CfInsightsError, EXIT, SettingsError, cliErrorLine, exitCodeOf, type ExitCode } from '../errors.js';
import { stripControls } from '../report/text.js';
import { VERSION } from '../version.js';
import { COMMANDS, parseCliArgs, type CliArgs } from './args.js';
import { reportCommand } from './commands/report.js';
import { syncCommand } from './commands/sync.js';
import { quotaCommand } from './commands/quota.js';
import { validateCommand } from './commands/validate.js';
import { makeContext } from './context.js';
import { HELP } from './help.js';
import type { CliIO } from './io.js';

/** The CLI as a function of argv and its I/O: returns the exit code, never exits. */
export async function main(argv: string[], io: CliIO): Promise<ExitCode> {
  let args: CliArgs | undefined;
  let redact = (t: string) => t;
  try {
    args = parseCliArgs(argv);
    if (args.version) {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (args.help || argv.length === 0) {
      io.stdout.write(`${HELP[args.command ?? 'main']}\n`);
      return EXIT.ok;
    }
    if (!args.command) throw new SettingsError('usage', `No command given: use one of ${COMMANDS.join(', ')} (cf-insights --help).`);
    const ctx = makeContext(args, io);
    redact = ctx.redact;
    switch (args.command) {
      case 'report':
        return await reportCommand(ctx);
      case 'sync':
        return await syncCommand(ctx);
      case 'quota':
        return await quotaCommand(ctx);
      case 'validate':
        return await validateCommand(ctx);
    }
  } catch (error) {
    // One line for a person; the details and the stack only with --verbose.
    const clean = (text: string) => redact(stripControls(text, true));
    io.stderr.write(`error: ${clean(cliErrorLine(error))}\n`);
    if (args?.verbose === true) {
      if (error instanceof CfInsightsError) for (const line of error.details) io.stderr.write(`debug: ${clean(line)}\n`);
      if (error instanceof Error && error.stack) io.stderr.write(`${clean(error.stack)}\n`);
    }
    return exitCodeOf(error);
  }
}
