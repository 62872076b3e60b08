import { PAGE_SIZE } from '../../budget/plans.js';
import { clientOnlySeverities, insightsPath, insightsQuery } from '../../cloudflare/query.js';
import type { InsightFilters } from '../../insights/types.js';

/** A line when part of the severity filter cannot be sent (the API's query enum has no `high`). */
function clientFiltered(filters: InsightFilters): string[] {
  const only = clientOnlySeverities(filters);
  return only.length === 0 ? [] : [`Severity filter ${only.join(', ')}: applied after the fetch (the API filters on low, moderate and critical only).`];
}
import { describeFit, fitSchedule } from '../../config/schedule.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { settingsFor, type CommandContext } from '../context.js';

/** `cf-insights validate`: the settings, checked, and the request they would make. No request. */
export async function validateCommand(ctx: CommandContext): Promise<ExitCode> {
  const settings = settingsFor(ctx, {
    cloudflare: true,
    github: ctx.raw.repository !== undefined,
    githubTokenOptional: ctx.raw['dry-run'] === 'true',
  });
  const cf = settings.cloudflare!;
  const base = new URL(cf.apiBaseUrl);
  const url = `${base.origin}${insightsPath(base.pathname, cf.scope)}?${insightsQuery(settings.filters, 1, PAGE_SIZE)}`;
  const fit = settings.cron ? fitSchedule(settings.cron, settings.budget, null, { plan: settings.plan }) : null;
  const g = settings.github;
  if (ctx.args.json) {
    const json = {
      valid: true,
      request: { method: 'GET', url },
      auth: cf.auth.kind,
      scope: `${cf.scope.kind}/${cf.scope.id}`,
      plan: settings.plan,
      budget: settings.budget,
      failOn: settings.failOn,
      failOnScope: settings.failOnScope,
      schedule: fit ? { cron: fit.cron, runsPerMonth: fit.runsPerMonth, projected: fit.projected, fits: fit.fits } : null,
      github: g
        ? {
            repository: `${g.owner}/${g.repo}`,
            apiUrl: g.apiUrl,
            labels: g.labels,
            groupBy: g.groupBy,
            maxIssueWrites: g.maxIssueWrites,
            dryRun: g.dryRun,
            token: g.token !== '',
          }
        : null,
    };
    ctx.io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [
    'Settings are valid.',
    `Would request: GET ${url}`,
    ...clientFiltered(settings.filters),
    `Authentication: ${cf.auth.kind === 'token' ? 'API token (Authorization: Bearer ***)' : 'legacy key (X-Auth-Email + X-Auth-Key ***)'}`,
    `Budget: ${settings.budget} requests a month (plan ${settings.plan}); a run costs 1 request per ${PAGE_SIZE} insights, at least 1.`,
    `Threshold: ${settings.failOn === 'none' ? 'off' : `${settings.failOn} and above, scope ${settings.failOnScope}`}.`,
  ];
  if (fit) lines.push(describeFit(fit));
  if (g) {
    lines.push(
      `Issues: ${g.owner}/${g.repo} via ${g.apiUrl}, labels ${g.labels.join(', ')}, one per ${g.groupBy}, at most ${g.maxIssueWrites} writes a run${g.dryRun ? ' (dry run)' : ''}${g.token ? '' : ', no GitHub token (a dry run only)'}.`,
    );
  }
  ctx.io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
