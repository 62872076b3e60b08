import { writeFileSync } from 'node:fs';
import { SettingsError, EXIT, type ExitCode } from '../../errors.js';
import type { Severity } from '../../insights/types.js';
import { REPORT_FORMATS, isReportFormat, renderReport } from '../../report/index.js';
import { sarifAutomationId, sarifCapWarning } from '../../report/sarif.js';
import { runEngine } from '../../sync/engine.js';
import { evaluateThreshold, insightInWords, type ThresholdResult } from '../../sync/threshold.js';
import { terminalWidth, useColor } from '../io.js';
import { NO_STATE, inventorySourceFor, settingsFor, stateStoreFor, type CommandContext } from '../context.js';

/** `cf-insights report`: the inventory (fetched, or read back with --from-file) in one of the report formats. */
export async function reportCommand(ctx: CommandContext): Promise<ExitCode> {
  const { args } = ctx;
  const format = (args.format ?? 'table').toLowerCase();
  if (!isReportFormat(format)) {
    throw new SettingsError('format', `Invalid --format ${JSON.stringify(args.format)}: use one of ${REPORT_FORMATS.join(', ')}.`);
  }
  if (args.sarifCategory !== undefined) {
    if (format !== 'sarif') throw new SettingsError('sarif-category', `--sarif-category applies to --format sarif only (the format is ${format}).`);
    sarifAutomationId(args.sarifCategory);
  }
  // A report fails only when asked to (--fail-on), unlike a sync.
  const settings = settingsFor(
    { ...ctx, raw: { 'fail-on-severity': 'none', ...ctx.raw } },
    {
      cloudflare: !args.fromFile,
      github: false,
    },
  );
  if (args.newOnly && args.fromFile && !settings.scope && !args.statePath) {
    throw new SettingsError('state', '--new-only with --from-file needs --account-id or --state to know which state to compare with.');
  }
  const { scope, fromFile, source } = inventorySourceFor(ctx, settings);
  // A fetch keeps the month's request ledger; --new-only also needs the insights seen before.
  const usesState = !fromFile || args.newOnly;
  const result = await runEngine({
    settings,
    scope,
    store: usesState ? stateStoreFor(ctx, scope) : NO_STATE,
    source,
    log: ctx.log,
    now: ctx.now,
    save: usesState && !args.noSave,
    onProgress: ctx.progress,
  });
  ctx.progress.settle();
  const fresh = new Set(result.newIds);
  const shown = args.newOnly ? result.insights.filter((i) => fresh.has(String(i.id))) : result.insights;
  const toTerminal = format === 'table' && !args.output;
  const width = toTerminal ? terminalWidth(ctx.io.stdout) : undefined;
  const text = renderReport(format, shown, {
    scope,
    fetchedAt: fromFile?.fetchedAt ?? ctx.now().toISOString(),
    complete: result.complete,
    color: toTerminal && useColor(ctx.io, ctx.io.stdout, args.color),
    ...(width !== undefined ? { width } : {}),
    ...(args.sarifCategory !== undefined ? { sarifCategory: args.sarifCategory } : {}),
  });
  const capped = format === 'sarif' ? sarifCapWarning(shown.length) : null;
  if (capped) ctx.log.warning(capped);
  if (args.output) {
    try {
      writeFileSync(args.output, text);
    } catch (error) {
      throw new SettingsError(
        'output',
        `Cannot write the report to ${args.output} (${(error as NodeJS.ErrnoException).code ?? 'error'}): choose a path in a folder that exists and is writable.`,
      );
    }
    ctx.log.info(`Wrote ${shown.length} insight${shown.length === 1 ? '' : 's'} (${format}) to ${args.output}.`);
  } else if (text !== '') {
    // An empty ndjson or ocsf report is no line at all, not a blank one.
    ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
  if (!fromFile) {
    ctx.log.info(
      `Cloudflare requests: ${result.cloudflareRequests} this run; ${result.quota.used} of ${result.quota.budget} used this month (resets ${result.quota.resetDate}).`,
    );
  }
  if (settings.failOn !== 'none') {
    const verdict = evaluateThreshold({ insights: shown, failOn: settings.failOn, scope: 'open', records: {}, newIds: new Set() });
    if (verdict.breached) {
      ctx.log.error(describeReportBreach(verdict, settings.failOn));
      return EXIT.threshold;
    }
  }
  return EXIT.ok;
}

/** `2 insights at High or above (--fail-on high): [Critical] MySQL port exposed: 198.51.100.17; ...` */
function describeReportBreach(verdict: ThresholdResult, failOn: Severity, limit = 5): string {
  const n = verdict.breaching.length;
  const shown = verdict.breaching.slice(0, limit).map((i) => `[${String(i.severity)}] ${insightInWords(i)}`);
  const more = n > limit ? `; and ${n - limit} more` : '';
  return `${n} insight${n === 1 ? '' : 's'} at ${failOn} or above (--fail-on ${failOn.toLowerCase()}): ${shown.join('; ')}${more}`;
}
