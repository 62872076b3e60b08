import { RequestBudget, monthOf } from '../../cloudflare/quota.js';
import { describeFit, fitSchedule } from '../../config/schedule.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { scopeKey } from '../../insights/types.js';
import { settingsFor, stateStoreFor, type CommandContext } from '../context.js';

/** `cf-insights quota`: the month's ledger and whether a schedule fits. No request. */
export async function quotaCommand(ctx: CommandContext): Promise<ExitCode> {
  const settings = settingsFor(ctx, { cloudflare: false, github: false });
  const now = ctx.now();
  let ledger = { month: monthOf(now), used: 0 };
  let inventorySize: number | null = null;
  let source = 'no state yet';
  if (settings.scope || ctx.args.statePath) {
    const scope = settings.scope ?? { kind: 'accounts' as const, id: '0'.repeat(32) };
    const loaded = await stateStoreFor(ctx, scope).load({ scope: settings.scope ? scopeKey(scope) : '*' });
    if (loaded.warning) ctx.log.warning(loaded.warning);
    if (loaded.state) {
      ledger = loaded.state.quota;
      inventorySize = loaded.state.lastInventorySize;
      source = loaded.state.scope;
    }
  } else {
    ctx.log.info('No account id or --state given: showing the budget without this month\'s usage.');
  }
  const budget = new RequestBudget(ledger, settings.budget, () => now);
  const fit = settings.cron ? fitSchedule(settings.cron, settings.budget, inventorySize) : null;
  if (ctx.args.json) {
    ctx.io.stdout.write(
      `${JSON.stringify(
        {
          plan: settings.plan,
          budget: budget.budget,
          month: budget.ledger().month,
          used: budget.used,
          remaining: budget.remaining,
          resetDate: budget.resetDate().toISOString().slice(0, 10),
          lastInventorySize: inventorySize,
          schedule: fit
            ? {
                cron: fit.cron,
                runsPerMonth: fit.runsPerMonth,
                requestsPerRun: fit.requestsPerRun,
                projected: fit.projected,
                fits: fit.fits,
                advice: fit.advice,
              }
            : null,
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  const lines = [
    `Plan ${settings.plan}: ${budget.budget} requests a month (${source}).`,
    `This month (${budget.ledger().month}): ${budget.used} used, ${budget.remaining} left; resets ${budget.resetDate().toISOString().slice(0, 10)}.`,
  ];
  if (fit) {
    lines.push(
      `Schedule "${fit.cron}": ${fit.runsPerMonth} runs a month x ${fit.requestsPerRun} request${fit.requestsPerRun === 1 ? '' : 's'} a run${inventorySize === null ? ' (inventory size unknown: 1 assumed)' : ` (${inventorySize} insights)`} = ${fit.projected} projected.`,
    );
    lines.push(fit.fits ? 'It fits the budget.' : describeFit(fit));
  }
  ctx.io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
