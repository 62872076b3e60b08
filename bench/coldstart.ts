/**
 * Cold start of the bundled action: from spawning `node <dist>/index.js` (with valid
 * inputs and the runner's environment, the three fakes up) to the first request the
 * Cloudflare fake receives, against the wall time of `node -e 0`. Goal: under 2x.
 *
 * The action's path to its first Cloudflare request goes through the state: the Actions
 * cache lookup and the restore of the previous run's state (the budget needs its request
 * ledger before any request may be spent). So the headline figure is the steady state, a
 * run after a run (lookup, download, `tar`/`zstd`); the same without a cache service, and
 * the time to the first request of any kind, are reported beside it.
 *
 *   npx tsx bench/coldstart.ts [runs]        (CF_INSIGHTS_DIST=<dir> for a private build)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { distDir, spawnAction, startActionWorld, type ActionWorld } from '../test/support/action-runner.js';

export interface ColdStartResult {
  /** `node -e 0`, spawn to exit, median ms. */
  node: number;
  /** `node dist/index.js`, spawn to the first Cloudflare request, with the cache and a saved state, median ms. */
  action: number;
  /** action / node. */
  ratio: number;
  /** Spawn to the first request of any kind (the cache lookup), median ms. */
  firstRequest: number;
  /** Spawn to the first Cloudflare request without a cache service (a stateless run), median ms. */
  actionNoCache: number;
  /** Spawn to exit of a whole quiet run (one request to each service, state saved), median ms. */
  wholeRun: number;
  runs: number;
  dist: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The time the first element is pushed onto a fake's request log. */
function firstPush(list: unknown[]): { at(): number | null; reset(): void } {
  let at: number | null = null;
  const push = list.push.bind(list);
  list.push = (...items: unknown[]) => {
    at ??= performance.now();
    return push(...items);
  };
  return { at: () => at, reset: () => (at = null) };
}

function bareNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '' } });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}

interface Timing {
  firstCloudflare: number;
  firstAny: number;
  exit: number;
}

async function timeAction(world: ActionWorld, cache: boolean, watch: { cf: ReturnType<typeof firstPush>; any: ReturnType<typeof firstPush>[] }): Promise<Timing> {
  rmSync(world.runnerTemp, { recursive: true, force: true });
  mkdirSync(world.runnerTemp, { recursive: true });
  const { env } = world.prepare({ cache });
  watch.cf.reset();
  for (const w of watch.any) w.reset();
  const t0 = performance.now();
  const run = await spawnAction(env, world.dir, 60_000);
  const exit = performance.now() - t0;
  const cf = watch.cf.at();
  if (run.code !== 0 || cf === null) {
    throw new Error(`the action did not reach Cloudflare (exit ${run.code}):\n${(run.stdout + run.stderr).slice(-2000)}`);
  }
  const any = Math.min(...watch.any.map((w) => w.at() ?? Infinity));
  return { firstCloudflare: cf - t0, firstAny: any - t0, exit };
}

/** Medians of `runs` alternated measurements (default 7). */
export async function benchColdStart(runs = 7): Promise<ColdStartResult> {
  const world = await startActionWorld({ insights: [] });
  try {
    const cf = firstPush(world.cf.requests);
    const any = [cf, firstPush(world.gh.requests), firstPush(world.cache.requests)];
    const watch = { cf, any };
    // A first run saves the state every measured run then restores.
    await timeAction(world, true, watch);
    const node: number[] = [];
    const withCache: Timing[] = [];
    const noCache: Timing[] = [];
    for (let k = 0; k < runs; k++) {
      node.push(await bareNode());
      withCache.push(await timeAction(world, true, watch));
      noCache.push(await timeAction(world, false, watch));
    }
    const action = median(withCache.map((t) => t.firstCloudflare));
    const bare = median(node);
    return {
      node: bare,
      action,
      ratio: action / bare,
      firstRequest: median(withCache.map((t) => t.firstAny)),
      actionNoCache: median(noCache.map((t) => t.firstCloudflare)),
      wholeRun: median(withCache.map((t) => t.exit)),
      runs,
      dist: join(distDir(), 'index.js'),
    };
  } finally {
    await world.close();
  }
}

export function formatColdStart(r: ColdStartResult): string {
  const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`;
  const x = (n: number) => `${(n / r.node).toFixed(2)}x`;
  return [
    `Cold start of ${r.dist} (medians of ${r.runs})`,
    `  node -e 0, spawn to exit                               ${ms(r.node)}`,
    `  action, spawn to its first request (cache lookup)      ${ms(r.firstRequest)}  ${x(r.firstRequest)}`,
    `  action, spawn to the first Cloudflare request          ${ms(r.action)}  ${x(r.action)}  (goal < 2x: ${r.ratio < 2 ? 'PASS' : 'MISS'})`,
    `  same without a cache service (stateless run)           ${ms(r.actionNoCache)}  ${x(r.actionNoCache)}`,
    `  a whole quiet run, spawn to exit                       ${ms(r.wholeRun)}`,
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const runs = Number(process.argv[2]);
  const result = await benchColdStart(Number.isInteger(runs) && runs > 0 ? runs : undefined);
  console.log(formatColdStart(result));
}
