import { insightsPath, insightsQuery } from '../../cloudflare/query.js';
import { describeFit, fitSchedule } from '../../config/schedule.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { settingsFor, type CommandContext } from '../context.js';

/** `cf-insights validate`: the settings, checked, and the request they would make. No request. */
export async function validateCommand(ctx: CommandContext): Promise<ExitCode> {
  const settings = settingsFor(ctx, { cloudflare: true, github: ctx.raw.repository !== undefined });
  const cf = settings.cloudflare!;
  const base = new URL(cf.apiBaseUrl);
  const url = `${base.origin}${insightsPath(base.pathname, cf.scope)}?${insightsQuery(settings.filters, 1, 1000)}`;
  const lines = [
    'Settings are valid.',
    `Would request: GET ${url}`,
    `Authentication: ${cf.auth.kind === 'token' ? 'API token (Authorization: Bearer ***)' : 'legacy key (X-Auth-Email + X-Auth-Key ***)'}`,
    `Budget: ${settings.budget} requests a month (plan ${settings.plan}).`,
    `Threshold: ${settings.failOn === 'none' ? 'off' : `${settings.failOn} and above, scope ${settings.failOnScope}`}.`,
  ];
  if (settings.cron) lines.push(describeFit(fitSchedule(settings.cron, settings.budget, null)));
  if (settings.github) {
    const g = settings.github;
    lines.push(
      `Issues: ${g.owner}/${g.repo} via ${g.apiUrl}, labels ${g.labels.join(', ')}, one per ${g.groupBy}, at most ${g.maxIssueWrites} writes a run${g.dryRun ? ' (dry run)' : ''}.`,
    );
  }
  if (ctx.args.json) {
    ctx.io.stdout.write(`${JSON.stringify({ valid: true, request: { method: 'GET', url }, auth: cf.auth.kind, budget: settings.budget, github: settings.github ? `${settings.github.owner}/${settings.github.repo}` : null }, null, 2)}\n`);
  } else {
    ctx.io.stdout.write(`${lines.join('\n')}\n`);
  }
  return EXIT.ok;
}
