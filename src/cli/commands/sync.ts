import { nextCronRun } from '../../config/cron.js';
import { CfInsightsError, EXIT, SettingsError, exitCodeOf, oneLine, type ExitCode } from '../../errors.js';
import type { Settings } from '../../config/settings.js';
import { runEngine, type SyncResult } from '../../sync/engine.js';
import { describeBreach } from '../../sync/threshold.js';
import { cloudflareSource } from '../../sync/sources.js';
import { githubTracker, offlineTracker } from '../../sync/github-tracker.js';
import { renderPlanTable, renderSyncText, syncResultJson } from '../render-result.js';
import { inventoryFromFile, settingsFor, stateStoreFor, type CommandContext } from '../context.js';

async function syncOnce(ctx: CommandContext, settings: Settings, signal?: AbortSignal): Promise<SyncResult> {
  const { args } = ctx;
  const fromFile = args.fromFile ? inventoryFromFile(args.fromFile, settings, ctx.now()) : null;
  const scope = settings.scope ?? fromFile!.scope;
  const github = settings.github!;
  const tracker = github.token ? githubTracker(github, ctx.log) : offlineTracker(`${github.owner}/${github.repo}`);
  if (!github.token) ctx.log.info('No GitHub token: planning against the saved state only (dry run).');
  return runEngine({
    settings,
    scope,
    store: stateStoreFor(ctx, scope),
    source: fromFile ? { kind: 'file', inventory: fromFile } : cloudflareSource(settings, ctx.log),
    tracker,
    log: ctx.log,
    now: ctx.now,
    signal,
    save: !args.noSave,
    onProgress: ctx.progress,
  });
}

function report(ctx: CommandContext, settings: Settings, result: SyncResult): ExitCode {
  if (ctx.args.json) ctx.io.stdout.write(`${JSON.stringify(syncResultJson(result, settings), null, 2)}\n`);
  else {
    if (result.dryRun && result.plan) ctx.io.stdout.write(renderPlanTable(result.plan));
    ctx.io.stdout.write(ctx.redact(renderSyncText(result, settings)));
  }
  if (result.failure) {
    ctx.log.error(result.failure.message);
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
  if (!args.watch) return report(ctx, settings, await syncOnce(ctx, settings));

  if (!settings.cron) throw new SettingsError('cron', 'Watch mode needs a schedule: add --cron "0 */8 * * *" (or another cron expression).');
  return watch(ctx, settings);
}

/** Runs on the schedule, one run at a time, until SIGINT/SIGTERM (io.signal). */
async function watch(ctx: CommandContext, settings: Settings): Promise<ExitCode> {
  const signal = ctx.io.signal;
  let last: ExitCode = EXIT.ok;
  ctx.log.info(`Watching: running on "${settings.cron}" (UTC). Stop with Ctrl-C.`);
  while (!signal?.aborted) {
    const next = nextCronRun(settings.cron!, ctx.now());
    if (!next) break;
    const waited = await sleepUntil(next, signal);
    if (!waited) break;
    ctx.log.info(`Run at ${next.toISOString()}`);
    try {
      last = report(ctx, settings, await syncOnce(ctx, settings, signal));
    } catch (error) {
      last = exitCodeOf(error);
      ctx.log.error(oneLine(error));
      if (error instanceof CfInsightsError) for (const line of error.details) ctx.log.debug(line);
      // A budget that is spent will not come back before the month turns: stop.
      if (last === EXIT.budget || last === EXIT.usage) return last;
    }
  }
  ctx.log.info('Stopped.');
  return last === EXIT.threshold ? EXIT.ok : last;
}

function sleepUntil(when: Date, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, when.getTime() - Date.now()));
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
