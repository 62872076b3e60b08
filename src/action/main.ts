import * as core from '@actions/core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../budget/plans.js';
import { parseSettings, secretsOf, type Settings } from '../config/settings.js';
import { fitSchedule, scheduleNotice } from '../config/schedule.js';
import { CfInsightsError, oneLine } from '../errors.js';
import { filterSignature } from '../insights/filter.js';
import { scopeKey } from '../insights/types.js';
import type { Logger } from '../log.js';
import { noStateStore, type StateStore } from '../state/store.js';
import { runEngine } from '../sync/engine.js';
import { describeBreach } from '../sync/threshold.js';
import { lazyCloudflareSource, lazyGithubTracker } from './lazy.js';
import { renderFailedRunSummary, renderJobSummary } from '../views/summary.js';
import { newInsightAnnotations } from '../views/annotations.js';
import { renderPlanTable } from '../views/terminal.js';
import { actionOutputs, reportFileJson } from '../views/result-json.js';
import { readActionInputs, scheduleOfEvent } from './inputs.js';

const coreLogger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
};

async function stateStore(settings: Settings, env: NodeJS.ProcessEnv, log: Logger): Promise<StateStore> {
  const scope = scopeKey(settings.scope!);
  // Loaded only here; the store loads @actions/cache itself only when the cache is usable.
  const { cacheStateStore, cacheUnavailableReason, defaultStateKey, unavailableNotice } = await import('../state/cache-store.js');
  const unavailable = cacheUnavailableReason(env);
  if (unavailable) {
    // Said once, as an annotation on the run page; the run goes on without state.
    core.notice(unavailableNotice(unavailable), { title: 'cf-insights' });
    return noStateStore(`Actions cache unavailable (${unavailable.split(':')[0]}): this run kept no state.`, null);
  }
  const filters = filterSignature(settings.filters);
  return cacheStateStore({
    stateKey: settings.stateKey ?? defaultStateKey(scope, filters, settings.github && `${settings.github.owner}/${settings.github.repo}`),
    ...(settings.stateKey === undefined && { legacyStateKey: defaultStateKey(scope, filters) }),
    runId: env['GITHUB_RUN_ID'] ?? `local-${Date.now()}`,
    runAttempt: env['GITHUB_RUN_ATTEMPT'] ?? '1',
    log,
    env,
    stdout: process.stdout,
  });
}

function writeReportFile(report: ReturnType<typeof reportFileJson>, env: NodeJS.ProcessEnv): string | null {
  const dir = env['RUNNER_TEMP'];
  if (!dir) return null;
  const file = join(dir, `cf-insights-report-${env['GITHUB_RUN_ID'] ?? 'local'}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/**
 * The job summary is a report, not the job: a runner without summaries (an older GitHub
 * Enterprise Server, a local runner) gets it in the log instead, and a failed write is
 * a warning, never the run's failure.
 */
async function writeSummary(markdown: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env['GITHUB_STEP_SUMMARY']) {
    core.info(`This runner offers no job summary (no GITHUB_STEP_SUMMARY); the summary follows.\n${markdown}`);
    return;
  }
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.warning(`The job summary could not be written (${oneLine(error)}).`);
  }
}

/**
 * Warns when the schedule cannot fit the month's budget, and says (in the log) when it
 * fetches more often than Cloudflare scans; either way names the densest useful schedule.
 */
function checkSchedule(cron: string, budget: number, plan: Plan): void {
  const notice = scheduleNotice(fitSchedule(cron, budget, null, { plan, advice: 'when-needed' }));
  if (notice.level === 'warning') core.warning(notice.text);
  else if (notice.level === 'info') core.info(notice.text);
  else core.debug(notice.text);
}

/** The action: inputs -> engine -> outputs, summary and the threshold verdict. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const raw = readActionInputs(env);
  // Before anything can print them.
  for (const secret of secretsOf(raw)) core.setSecret(secret);
  let summaryWritten = false;
  try {
    const settings = parseSettings({ ...raw, cron: raw.cron ?? scheduleOfEvent(env) }, { cloudflare: true, github: true });
    const log = coreLogger;
    if (settings.cron) checkSchedule(settings.cron, settings.budget, settings.plan);
    const source = lazyCloudflareSource(settings, log);
    const store: StateStore = await stateStore(settings, env, log).catch((error: unknown) => {
      log.warning(`Actions cache unavailable (${oneLine(error)}): running without saved state.`);
      return noStateStore('running without saved state');
    });
    const result = await runEngine({
      settings,
      scope: settings.scope!,
      store,
      source,
      tracker: lazyGithubTracker(settings.github!, log),
      log,
    });
    if (result.dryRun && result.plan) core.info(renderPlanTable(result.plan));
    const report = reportFileJson(result, settings);
    const reportFile = writeReportFile(report, env);
    for (const [name, value] of Object.entries(actionOutputs(report, reportFile))) core.setOutput(name, value);
    for (const a of newInsightAnnotations(result)) (a.level === 'error' ? core.error : core.warning)(a.text, { title: 'cf-insights' });
    await writeSummary(renderJobSummary(result, settings, env['GITHUB_SERVER_URL']), env);
    summaryWritten = true;
    if (result.failure) throw result.failure;
    if (result.threshold.breached && settings.failOn !== 'none') {
      core.setFailed(describeBreach(result.threshold, settings.failOn));
    }
  } catch (error) {
    let line: string;
    if (error instanceof CfInsightsError) {
      for (const detail of error.details) core.debug(detail);
      line = error.message;
    } else {
      core.debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
      line = `cf-insights failed unexpectedly: ${oneLine(error)}`;
    }
    core.setFailed(line);
    // The summary of a failed run says why, so the failure is visible without opening the log.
    if (!summaryWritten) await writeSummary(renderFailedRunSummary(line), env);
  }
}
