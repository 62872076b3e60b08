import { lockStateFile } from '../../state/lock.js';
import { thisProcess } from '../this-process.js';
import { nextCronRun } from '../../config/cron.js';
import { CfInsightsError, EXIT, SettingsError, cliErrorLine, exitCodeOf, type ExitCode } from '../../errors.js';
import type { Settings } from '../../config/settings.js';
import { runEngine, type SyncResult } from '../../sync/engine.js';
import { describeBreach } from '../../sync/threshold.js';
import { githubTracker, offlineTracker } from '../../sync/github-tracker.js';
import { renderPlanTable, renderSyncText } from '../../views/terminal.js';
import { resultJson } from '../../views/result-json.js';
import { terminalWidth } from '../io.js';
import { inventorySourceFor, settingsFor, stateStoreFor, type CommandContext } from '../context.js';

async function syncOnce(ctx: CommandContext, settings: Settings, signal?: AbortSignal): Promise<SyncResult> {
  const { args } = ctx;
  const { scope, fromFile, source } = inventorySourceFor(ctx, settings);
  const github = settings.github!;
  const tracker = github.token ? githubTracker(github, ctx.log, ctx.io.tuning?.github) : offlineTracker(`${github.owner}/${github.repo}`);
  if (!github.token) ctx.log.info('No GitHub token: planning against the saved state only (dry run).');
  const store = stateStoreFor(ctx, scope);
  // Two syncs on one state would both file every new insight: one at a time.
  const unlock = await lockStateFile(store.path, thisProcess);
  try {
    return await runEngine({
      settings,
      scope,
      store,
      source,
      tracker,
      log: ctx.log,
      now: ctx.now,
      signal,
      // A dry run keeps only the month's request ledger, and a saved file spends no request.
      save: !args.noSave && !(github.dryRun && fromFile),
      onProgress: ctx.progress,
    });
  } finally {
    await unlock();
    ctx.progress.settle();
  }
}

/** Prints a run's result and turns it into an exit code. `compact`: one JSON line (watch mode). */
function report(ctx: CommandContext, settings: Settings, result: SyncResult, compact = false): ExitCode {
  if (ctx.args.json) {
    const json = resultJson(result, settings);
    ctx.io.stdout.write(ctx.redact(`${compact ? JSON.stringify(json) : JSON.stringify(json, null, 2)}\n`));
  } else {
    if (result.dryRun && result.plan) ctx.io.stdout.write(ctx.redact(renderPlanTable(result.plan, terminalWidth(ctx.io.stdout))));
    ctx.io.stdout.write(ctx.redact(renderSyncText(result, settings)));
  }
  if (result.failure) {
    ctx.log.error(cliErrorLine(result.failure));
    for (const line of result.failure.details) ctx.log.debug(line);
    return result.failure.exitCode;
  }
  if (result.threshold.breached && settings.failOn !== 'none') {
    ctx.log.error(describeBreach(result.threshold, settings.failOn));
    return EXIT.threshold;
  }
  return EXIT.ok;
}

export async function syncCommand(ctx: CommandContext): Promise<ExitCode> {
  const { args } = ctx;
  const dryRun = ctx.raw['dry-run'] === 'true';
  const settings = settingsFor(ctx, { cloudflare: !args.fromFile, github: true, githubTokenOptional: dryRun, cronSeconds: args.watch });
  // Ctrl-C in a single run: the write in flight finishes, the rest waits for the next run, the state is saved.
  if (!args.watch) return report(ctx, settings, await syncOnce(ctx, settings, ctx.io.signal));

  if (!settings.cron) throw new SettingsError('cron', 'Watch mode needs a schedule: add --cron "0 */8 * * *" (or another cron expression).');
  return watch(ctx, settings);
}

/**
 * Runs on the schedule, one run at a time, until SIGINT/SIGTERM (io.signal): a run is
 * never started while another is going, and a tick missed during a long run is skipped.
 * The stop lets the current run finish its write and save the state. A spent budget or
 * bad settings end the watch; any other failure is logged and the next tick tries again.
 */
async function watch(ctx: CommandContext, settings: Settings): Promise<ExitCode> {
  const signal = ctx.io.signal;
  ctx.log.info(`Watching: running on "${settings.cron}" (UTC). Stop with Ctrl-C.`);
  for (let run = 1; !signal?.aborted; run += 1) {
    const next = nextCronRun(settings.cron!, ctx.now());
    if (!next) break;
    if (!(await sleepUntil(next, signal))) break;
    ctx.log.info(`Run ${run} started at ${ctx.now().toISOString()}.`);
    let code: ExitCode;
    try {
      code = report(ctx, settings, await syncOnce(ctx, settings, signal), true);
    } catch (error) {
      code = exitCodeOf(error);
      ctx.log.error(cliErrorLine(error));
      if (error instanceof CfInsightsError) for (const line of error.details) ctx.log.debug(line);
      if (error instanceof Error && error.stack) ctx.log.debug(error.stack);
    }
    ctx.log.info(`Run ${run} finished (exit code ${code}).`);
    // A spent budget does not come back before the month turns, and bad settings stay bad.
    if (code === EXIT.budget || code === EXIT.usage) return code;
  }
  ctx.log.info('Stopped.');
  return EXIT.ok;
}

function sleepUntil(when: Date, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      },
      Math.max(0, when.getTime() - Date.now()),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
