import { writeFileSync } from 'node:fs';
import { SettingsError, EXIT, type ExitCode } from '../../errors.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../report/index.js';
import { runEngine } from '../../sync/engine.js';
import { evaluateThreshold, describeBreach } from '../../sync/threshold.js';
import { cloudflareSource } from '../../sync/sources.js';
import { useColor } from '../io.js';
import { inventoryFromFile, settingsFor, stateStoreFor, type CommandContext } from '../context.js';

export async function reportCommand(ctx: CommandContext): Promise<ExitCode> {
  const { args } = ctx;
  const format = (args.format ?? 'table').toLowerCase();
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new SettingsError('format', `Invalid format ${JSON.stringify(args.format)}: use one of ${REPORT_FORMATS.join(', ')}.`);
  }
  // A report fails only when asked to.
  const settings = settingsFor({ ...ctx, raw: { 'fail-on-severity': 'none', ...ctx.raw } } as CommandContext, {
    cloudflare: !args.fromFile,
    github: false,
  });
  if (args.newOnly && args.fromFile && !settings.scope && !args.statePath) {
    throw new SettingsError('state', '--new-only with --from-file needs --account-id or --state to know which state to compare with.');
  }
  const fromFile = args.fromFile ? inventoryFromFile(args.fromFile, settings, ctx.now()) : null;
  const scope = settings.scope ?? fromFile!.scope;
  const usesState = !fromFile || args.newOnly;
  const result = await runEngine({
    settings,
    scope,
    store: stateStoreFor(ctx, scope),
    source: fromFile ? { kind: 'file', inventory: fromFile } : cloudflareSource(settings, ctx.log),
    log: ctx.log,
    now: ctx.now,
    save: usesState && !args.noSave,
    onProgress: ctx.progress,
  });
  const fresh = new Set(result.newIds);
  const shown = args.newOnly ? result.insights.filter((i) => fresh.has(String(i.id))) : result.insights;
  const text = renderReport(format as ReportFormat, shown, {
    scope,
    fetchedAt: fromFile?.fetchedAt ?? ctx.now().toISOString(),
    complete: result.complete,
    color: format === 'table' && !args.output && useColor(ctx.io),
  });
  if (args.output) {
    writeFileSync(args.output, text);
    ctx.log.info(`Wrote ${shown.length} insight${shown.length === 1 ? '' : 's'} (${format}) to ${args.output}.`);
  } else {
    ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
  if (usesState && !fromFile) ctx.log.info(`Cloudflare requests: ${result.cloudflareRequests} this run; ${result.quota.used} of ${result.quota.budget} used this month (resets ${result.quota.resetDate}).`);
  if (settings.failOn !== 'none') {
    const verdict = evaluateThreshold({ insights: shown, failOn: settings.failOn, scope: 'open', records: {}, newIds: new Set() });
    if (verdict.breached) {
      ctx.log.error(describeBreach(verdict, settings.failOn));
      return EXIT.threshold;
    }
  }
  return EXIT.ok;
}
