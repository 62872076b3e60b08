import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isoDay } from '../../budget/dates.js';
import { RequestBudget } from '../../budget/ledger.js';
import { cronRunsBetween } from '../../config/cron.js';
import { describeFit, fitSchedule } from '../../config/schedule.js';
import { EXIT, SettingsError, type ExitCode } from '../../errors.js';
import type { ScheduleFit } from '../../config/schedule.js';
import { scopeKey } from '../../insights/types.js';
import { defaultStatePath } from '../../state/file-store.js';
import { parseStateText } from '../../state/document.js';
import type { StateDocument } from '../../state/types.js';
import { settingsFor, stateRepository, type CommandContext } from '../context.js';

interface StateLookup {
  state: StateDocument | null;
  /** The file read (or looked for), null when there was nothing to look at. */
  path: string | null;
  warning?: string;
}

/**
 * The state a quota report reads: `--state FILE` (whatever scope it holds, unless an
 * account or zone is also given), else the default file of the account or zone.
 * Read-only: quota never writes.
 */
async function lookUpState(ctx: CommandContext, scope: string | null): Promise<StateLookup> {
  const path = ctx.args.statePath ? resolve(ctx.args.statePath) : scope ? defaultStatePath(scope, ctx.io.env, stateRepository(ctx.raw)) : null;
  if (!path) return { state: null, path: null };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: null, path };
    return { state: null, path, warning: `Could not read the state at ${path} (${code ?? String(error)}): showing the budget without this month's usage.` };
  }
  // Without an account or zone, the file's own scope is the one asked about.
  const expected = scope ?? fileScope(text) ?? '(unknown scope)';
  const read = parseStateText(text, { scope: expected, source: path });
  return { state: read.state, path, ...(read.warning ? { warning: read.warning } : {}) };
}

function fileScope(text: string): string | null {
  try {
    const scope = (JSON.parse(text) as { scope?: unknown } | null)?.scope;
    return typeof scope === 'string' && scope.length > 0 ? scope : null;
  } catch {
    return null;
  }
}

/**
 * `cf-insights quota`: this month's ledger from the state, and whether a schedule fits
 * the budget (from the last known inventory size), how many of its fetches can see a new
 * scan (from the plan's scan cadence), and the densest useful schedule. No request.
 */
export async function quotaCommand(ctx: CommandContext): Promise<ExitCode> {
  const settings = settingsFor(ctx, { cloudflare: false, github: false });
  if (ctx.args.check && !settings.cron) throw new SettingsError('check', '--check needs --cron EXPR: the schedule to check against the budget.');
  const now = ctx.now();
  const scope = settings.scope ? scopeKey(settings.scope) : null;
  const found = await lookUpState(ctx, scope);
  if (found.warning) ctx.log.warning(found.warning);
  if (!found.path) ctx.log.info("No --account-id, --zone-id or --state given: showing the budget without this month's usage.");
  else if (!found.state && !found.warning) ctx.log.info(`No saved state at ${found.path} yet: nothing used this month.`);

  const inventorySize = found.state?.lastInventorySize ?? null;
  // No ledger (or last month's) counts as nothing used this month.
  const budget = new RequestBudget(found.state?.quota, settings.budget, () => now);
  const resetDate = budget.resetDate();
  const reset = isoDay(resetDate);
  const fit = settings.cron ? fitSchedule(settings.cron, settings.budget, inventorySize, { plan: settings.plan }) : null;
  // What the schedule will still spend before the reset, against what is left.
  const runsUntilReset = settings.cron ? cronRunsBetween(settings.cron, now, resetDate).length : 0;
  const projectedUntilReset = fit ? runsUntilReset * fit.requestsPerRun : 0;

  if (ctx.args.json) {
    const json = {
      plan: settings.plan,
      budget: budget.budget,
      month: budget.ledger().month,
      used: budget.used,
      remaining: budget.remaining,
      resetDate: reset,
      scope: found.state?.scope ?? scope,
      stateFile: found.path,
      lastInventorySize: inventorySize,
      schedule: fit
        ? {
            cron: fit.cron,
            runsPerMonth: fit.runsPerMonth,
            requestsPerRun: fit.requestsPerRun,
            projected: fit.projected,
            fits: fit.fits,
            scans: fit.scans,
            advice: fit.advice,
            densestFit: fit.densestFit,
            runsUntilReset,
            projectedUntilReset,
            fitsUntilReset: projectedUntilReset <= budget.remaining,
          }
        : null,
    };
    ctx.io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return checked(ctx, fit, settings.plan);
  }
  const lines = [
    `Plan ${settings.plan}: ${budget.budget} requests a month${found.state ? ` (${found.state.scope})` : ''}.`,
    `This month (${budget.ledger().month}): ${budget.used} used, ${budget.remaining} left; resets ${reset}.`,
  ];
  if (fit) {
    const size =
      inventorySize === null ? 'inventory size unknown: 1 request a run assumed' : `last inventory: ${inventorySize} insight${inventorySize === 1 ? '' : 's'}`;
    lines.push(
      `Schedule "${fit.cron}": ${fit.runsPerMonth} runs a month x ${fit.requestsPerRun} request${fit.requestsPerRun === 1 ? '' : 's'} a run (${size}) = ${fit.projected} projected.`,
    );
    lines.push(describeFit(fit));
    lines.push(
      `Until the reset: ${runsUntilReset} more run${runsUntilReset === 1 ? '' : 's'}, about ${projectedUntilReset} requests, ${projectedUntilReset <= budget.remaining ? 'within' : 'over'} the ${budget.remaining} left.`,
    );
  }
  ctx.io.stdout.write(`${lines.join('\n')}\n`);
  return checked(ctx, fit, settings.plan);
}

/** `--check`: a full month of the schedule must fit the monthly budget (exit 1 otherwise), to gate a workflow change. */
function checked(ctx: CommandContext, fit: ScheduleFit | null, plan: string): ExitCode {
  if (!ctx.args.check || !fit || fit.fits) return EXIT.ok;
  ctx.log.error(
    `The schedule "${fit.cron}" does not fit the budget: about ${fit.projected} requests a month, over the ${fit.budget} of plan ${plan}${fit.advice ? `; "${fit.advice.cron}" fits` : ''}.`,
  );
  return EXIT.threshold;
}
