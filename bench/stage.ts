/**
 * One benchmark measurement, alone in its process, printed as one JSON line on stdout.
 * bench/run.ts starts one of these per measurement so that the peak RSS of a stage is
 * not that of an earlier stage, and the JIT is as cold as in a real run.
 *
 *   node --expose-gc bench/stage.js <stage> <insights>   (compiled by tsc: bench/run.ts compileStages())
 *
 * Stages (N = insights in the account; the inputs are built before the clock starts; the
 * default filters leave the ~95% that are not dismissed):
 *   idle           nothing: the RSS of the runtime and the modules every stage loads
 *   fetch          the Cloudflare client fetches and filters N insights from the fake
 *                  (bench/cloudflare.ts; the fake runs in another process)
 *   diff           diff() of the next scan (1% changed, 1% gone, 1% new) against the state of N
 *   plan-next      plan() of that next scan with the warm state and an empty `since` listing
 *   plan-first     plan() of a first run: no state, no issue (every insight to create)
 *   plan-lost      plan() after a lost state: no state, every issue listed from GitHub
 *   render-issues  title, body and labels of the issue of each of the N insights
 *   render-report  the SARIF report of the N insights
 *   github         the whole engine against the Cloudflare and GitHub fakes: a first
 *                  sync, an unchanged run, a run with the state lost (request counts)
 *   github-seeded  the same without the first sync: the fake starts with the issues a
 *                  first sync leaves, then a run with no state and an unchanged run
 *   cache-state    bench/state.ts: the state through the Actions cache fake, and diff()
 *
 * Peak RSS: on Linux the high-water mark is reset (/proc/self/clear_refs) once the
 * inputs are built, so the figure is the peak during the step, inputs included.
 */
import { gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseSettings } from '../src/config/settings.js';
import { issueBody, issueLabels, issueTitle } from '../src/github/render.js';
import { toTrackedIssue, type RawIssue } from '../src/github/issues.js';
import { fastThrottleForTests } from '../src/github/throttle.js';
import type { TrackedIssue } from '../src/github/types.js';
import { fingerprint } from '../src/insights/fingerprint.js';
import type { Insight, InsightFilters, Scope } from '../src/insights/types.js';
import { thisProcess } from '../src/cli/this-process.js';
import { silentLogger } from '../src/log.js';
import { renderReport } from '../src/report/index.js';
import { diff } from '../src/state/diff.js';
import { serializeState } from '../src/state/document.js';
import { fileStateStore } from '../src/state/file-store.js';
import { runEngine, type SyncResult } from '../src/sync/engine.js';
import { githubTracker } from '../src/sync/github-tracker.js';
import { plan, type PlanSettings } from '../src/sync/plan.js';
import { cloudflareSource } from '../src/sync/sources.js';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, makeInsights, startCloudflareFake } from '../test/fakes/cloudflare.js';
import { startGithubFake } from '../test/fakes/github.js';
import { benchCloudflare } from './cloudflare.js';
import { benchState, nextInventory, stateFor } from './state.js';

export const STAGES = [
  'idle',
  'fetch',
  'diff',
  'plan-next',
  'plan-first',
  'plan-lost',
  'render-issues',
  'render-report',
  'github',
  'github-seeded',
  'cache-state',
] as const;
export type Stage = (typeof STAGES)[number];

export interface StageResult {
  stage: Stage;
  insights: number;
  /** User + system CPU of this process during the step (all its threads: GC included). */
  cpuMs: number;
  wallMs: number;
  /** Peak RSS during the step, the inputs it holds included. */
  peakRssMb: number;
  /** RSS once the inputs were built, before the step. */
  baseRssMb: number;
  /** Whether the peak could be reset after building the inputs (Linux). */
  peakIsPerStep: boolean;
  extra: Record<string, unknown>;
}

const SCOPE: Scope = { kind: 'accounts', id: FAKE_ACCOUNT_ID };
const FILTERS: InsightFilters = { severity: [], excludeSeverity: [], issueType: [], excludeIssueType: [], includeDismissed: false };
const NOW = new Date('2025-11-02T06:00:00.000Z');
const MB = 1024 * 1024;

function planSettings(maxIssueWrites = 50): PlanSettings {
  return { scope: SCOPE, filters: FILTERS, labels: ['cloudflare-insight'], assignees: [], groupBy: 'insight', closeResolved: true, maxIssueWrites };
}

/** What the server sends for the default filters (dismissed ones are filtered out by Cloudflare). */
function inScope(list: Insight[]): Insight[] {
  return list.filter((i) => i.dismissed !== true);
}

/** Resets the peak RSS to the current RSS; false where the kernel does not offer it. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

const rssMb = () => process.memoryUsage().rss / MB;
const peakMb = () => process.resourceUsage().maxRSS / 1024;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Builds the inputs, then times `step` alone. */
async function measure<I>(
  stage: Stage,
  n: number,
  setup: () => I | Promise<I>,
  step: (input: I) => unknown,
  after: (input: I, output: unknown) => Record<string, unknown> = () => ({}),
): Promise<StageResult> {
  const input = await setup();
  gc();
  gc();
  const peakIsPerStep = resetPeak();
  const baseRssMb = rssMb();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const output = await step(input);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const peakRssMb = peakMb();
  return {
    stage,
    insights: n,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    peakRssMb,
    baseRssMb,
    peakIsPerStep,
    extra: after(input, output),
  };
}

/** The next scan against the state the previous scan left (every insight filed). */
function nextScan(n: number) {
  const inventory = inScope(makeInsights(n, 7));
  const state = stateFor(inventory, new Date('2025-11-01T06:00:00.000Z'));
  const next = inScope(nextInventory(inventory));
  return { state, next };
}

/** Every insight's issue as GitHub lists it after a first sync (open, marker, labels). */
function listedIssues(insights: Insight[]): TrackedIssue[] {
  const shared = new Map<string, string>();
  return insights.map((insight, k) => {
    const fp = fingerprint(insight);
    const raw: RawIssue = {
      number: k + 1,
      state: 'open',
      state_reason: null,
      title: issueTitle(insight),
      body: issueBody(insight, { fingerprint: fp, scope: SCOPE }),
      labels: issueLabels(insight, ['cloudflare-insight']).map((name) => ({ name })),
      updated_at: '2025-11-01T06:00:00Z',
    };
    return toTrackedIssue(raw, shared);
  });
}

function planCounts(p: ReturnType<typeof plan>): Record<string, number> {
  return { units: p.units.length, deferred: p.deferred.length, noops: p.noops.length, records: Object.keys(p.baseRecords).length };
}

export async function runStage(stage: Stage, n: number): Promise<StageResult> {
  switch (stage) {
    case 'idle':
      return measure(
        stage,
        n,
        () => null,
        () => null,
      );
    case 'fetch': {
      // benchCloudflare times fetch + filter itself (not the start of the fake's process).
      const peakIsPerStep = resetPeak();
      const baseRssMb = rssMb();
      const [row] = await benchCloudflare([n]);
      if (!row) throw new Error('no fetch measurement');
      return {
        stage,
        insights: n,
        cpuMs: row.cpuMs,
        wallMs: row.wallMs,
        peakRssMb: peakMb(),
        baseRssMb,
        peakIsPerStep,
        extra: { requests: row.requests, expectedRequests: row.expectedRequests, matching: row.matching },
      };
    }
    case 'diff':
      return measure(
        stage,
        n,
        () => nextScan(n),
        ({ next, state }) => diff(next, state),
        ({ state }, out) => {
          const d = out as ReturnType<typeof diff>;
          const json = serializeState(state);
          return {
            new: d.new.length,
            changed: d.changed.length,
            unchanged: d.unchanged.length,
            gone: d.gone.length,
            stateRecords: Object.keys(state.insights).length,
            stateBytes: Buffer.byteLength(json),
            stateGzipBytes: gzipSync(json).length,
          };
        },
      );
    case 'plan-next':
      return measure(
        stage,
        n,
        () => nextScan(n),
        ({ next, state }) => plan({ insights: next, complete: true, state, issues: [], settings: planSettings(), now: NOW.toISOString() }),
        (_, out) => planCounts(out as ReturnType<typeof plan>),
      );
    case 'plan-first':
      return measure(
        stage,
        n,
        () => inScope(makeInsights(n, 7)),
        (insights) => plan({ insights, complete: true, state: null, issues: [], settings: planSettings(), now: NOW.toISOString() }),
        (_, out) => planCounts(out as ReturnType<typeof plan>),
      );
    case 'plan-lost':
      return measure(
        stage,
        n,
        () => {
          const insights = inScope(makeInsights(n, 7));
          return { insights, issues: listedIssues(insights) };
        },
        ({ insights, issues }) => plan({ insights, complete: true, state: null, issues, settings: planSettings(), now: NOW.toISOString() }),
        (_, out) => planCounts(out as ReturnType<typeof plan>),
      );
    case 'render-issues':
      return measure(
        stage,
        n,
        () => {
          const insights = makeInsights(n, 7);
          return { insights, fps: insights.map((i) => fingerprint(i)) };
        },
        ({ insights, fps }) =>
          insights.map((insight, k) => ({
            title: issueTitle(insight),
            body: issueBody(insight, { fingerprint: fps[k]!, scope: SCOPE }),
            labels: issueLabels(insight, ['cloudflare-insight']),
          })),
        (_, out) => {
          const issues = out as { body: string }[];
          return { bodyBytes: issues.reduce((s, i) => s + i.body.length, 0) };
        },
      );
    case 'render-report':
      return measure(
        stage,
        n,
        () => makeInsights(n, 7),
        (insights) => renderReport('sarif', insights, { scope: SCOPE, fetchedAt: NOW.toISOString(), complete: true }),
        (_, out) => ({ format: 'sarif', reportBytes: (out as string).length }),
      );
    case 'github':
      return githubRuns(n, 'full');
    case 'github-seeded':
      return githubRuns(n, 'seeded');
    case 'cache-state': {
      const t0 = performance.now();
      const rows = await benchState(n);
      return { stage, insights: n, cpuMs: 0, wallMs: performance.now() - t0, peakRssMb: peakMb(), baseRssMb: 0, peakIsPerStep: false, extra: { rows } };
    }
  }
}

/**
 * The whole engine through the real clients against the fakes (in this process: only
 * the request counts matter here). `full`: a first sync (as many runs as the write cap
 * of 1000, the most the setting allows, needs), an unchanged run, then a run with the
 * state file deleted. `seeded`: the fake starts with the issues a first sync leaves
 * (rendered by the same code), then a run with no state and an unchanged run.
 */
async function githubRuns(n: number, mode: 'full' | 'seeded'): Promise<StageResult> {
  const inventory = makeInsights(n, 7);
  const cf = await startCloudflareFake({ insights: inventory });
  const gh = await startGithubFake({ owner: 'acme', repo: 'security' });
  const dir = mkdtempSync(join(tmpdir(), 'cf-insights-bench-gh-'));
  const statePath = join(dir, 'state.json');
  const scope = `accounts/${FAKE_ACCOUNT_ID}`;
  const settings = parseSettings(
    {
      'account-id': FAKE_ACCOUNT_ID,
      'api-token': FAKE_TOKEN,
      'api-base-url': cf.url,
      'github-token': gh.token,
      'github-api-url': gh.url,
      repository: 'acme/security',
      'monthly-request-budget': '100000',
      'max-issue-writes': '1000',
      'fail-on-severity': 'none',
    },
    { cloudflare: true, github: true },
  );
  let clock = Date.parse('2025-11-01T06:00:00.000Z');
  const runOnce = async () => {
    const from = gh.requests.length;
    const cfFrom = cf.requests.length;
    clock += 3_600_000;
    const now = new Date(clock);
    const result: SyncResult = await runEngine({
      settings,
      scope: settings.scope!,
      store: fileStateStore({ proc: thisProcess, path: statePath, scope }),
      source: cloudflareSource(settings, silentLogger, { sleep: async () => {}, retryBaseMs: 1 }),
      tracker: githubTracker(settings.github!, silentLogger, { throttle: fastThrottleForTests(), recoveryDelayMs: 0 }),
      log: silentLogger,
      now: () => now,
    });
    if (!result.complete) throw new Error(`incomplete inventory: ${result.incompleteReason}`);
    if (result.failure) throw result.failure;
    const made = gh.requests.slice(from);
    return {
      result,
      requests: made.length,
      listing: made.filter((r) => r.method === 'GET' && /\/issues$/.test(r.path)).length,
      writes: made.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').length,
      cloudflare: cf.requests.length - cfFrom,
    };
  };
  const recordsInState = () => Object.keys((JSON.parse(readFileSync(statePath, 'utf8')) as { insights: object }).insights).length;
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const extra: Record<string, unknown> = { mode };
    if (mode === 'full') {
      let first = { requests: 0, writes: 0, runs: 0, cloudflare: 0 };
      for (;;) {
        const r = await runOnce();
        first = { requests: first.requests + r.requests, writes: first.writes + r.writes, runs: first.runs + 1, cloudflare: r.cloudflare };
        if (r.result.pendingWrites === 0) break;
        if (first.runs > 100) throw new Error('the first sync does not finish');
      }
      Object.assign(extra, {
        firstRuns: first.runs,
        firstRequests: first.requests,
        firstWrites: first.writes,
        firstWallMs: Math.round(performance.now() - t0),
        cloudflarePerRun: first.cloudflare,
      });
    } else {
      for (const insight of inScope(inventory)) {
        gh.person.createIssue({
          title: issueTitle(insight),
          body: issueBody(insight, { fingerprint: fingerprint(insight), scope: SCOPE }),
          labels: issueLabels(insight, ['cloudflare-insight']),
          user: 'github-actions[bot]',
        });
      }
    }
    const issues = gh.ours().length;
    let unchanged: Awaited<ReturnType<typeof runOnce>> | undefined;
    let lost: Awaited<ReturnType<typeof runOnce>>;
    if (mode === 'full') {
      unchanged = await runOnce();
      rmSync(statePath, { force: true });
      lost = await runOnce();
    } else {
      lost = await runOnce();
      unchanged = await runOnce();
    }
    const cpu = process.cpuUsage(cpu0);
    Object.assign(extra, {
      issues,
      unchangedRequests: unchanged.requests,
      unchangedWrites: unchanged.writes,
      unchangedListing: unchanged.listing,
      lostRequests: lost.requests,
      lostListing: lost.listing,
      lostWrites: lost.writes,
      lostCloudflare: lost.cloudflare,
      recordsAfter: recordsInState(),
      duplicates: [...gh.byMarkerId().values()].filter((l) => l.length > 1).length,
    });
    return {
      stage: mode === 'full' ? 'github' : 'github-seeded',
      insights: n,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - t0,
      peakRssMb: peakMb(),
      baseRssMb: 0,
      peakIsPerStep: false,
      extra,
    };
  } finally {
    await Promise.all([cf.close(), gh.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const [stage, size] = process.argv.slice(2);
  const n = Number(size);
  if (!STAGES.includes(stage as Stage) || !Number.isInteger(n) || n < 1) {
    console.error(`usage: node --expose-gc bench/stage.js <${STAGES.join('|')}> <insights>`);
    process.exit(2);
  }
  const result = await runStage(stage as Stage, n);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
