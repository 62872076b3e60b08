/**
 * Cold start of the bundled action: from spawning `node <dist>/index.js` (with valid
 * inputs and the runner's environment, the three fakes up) to its first request, against
 * the wall time of `node -e 0`. Goal: under 2x.
 *
 * The first request is the Actions cache lookup: the state (its request ledger) is
 * restored before any Cloudflare request may be spent. The first Cloudflare request, in
 * the steady state of a run after a run (lookup, download, `tar`/`zstd`), and the same
 * without a cache service, are reported beside it. The cache service speaks v2 (twirp and
 * a signed blob URL), as on GitHub's hosted runners; the legacy v1 (some GHES) is
 * measured beside it.
 *
 * The floor (benchColdStartFloor, below) times minimal programs that only load the
 * libraries the action cannot do without and send one request.
 *
 *   npx tsx bench/coldstart.ts [runs]        (CF_INSIGHTS_DIST=<dir> for a private build)
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { distDir, REPO_ROOT, spawnAction, startActionWorld, type ActionWorld } from '../test/support/action-runner.js';
import { median } from './median.js';

export interface ColdStartResult {
  /** `node -e 0`, spawn to exit, median ms. */
  node: number;
  /** `node dist/index.js`, spawn to the first Cloudflare request, with the cache and a saved state, median ms. */
  action: number;
  /** Spawn to the first request of any kind (the cache lookup), median ms. */
  firstRequest: number;
  /** Spawn to the first Cloudflare request without a cache service (a stateless run), median ms. */
  actionNoCache: number;
  /** Spawn to exit of a whole quiet run (one request to each service, state saved), median ms. */
  wholeRun: number;
  /** The cache protocol of the figures above: v2, as on hosted runners. */
  protocol: 'v2';
  /** The same three with the legacy cache service v1 (some GHES), median ms. */
  v1: { firstRequest: number; action: number; wholeRun: number };
  runs: number;
  dist: string;
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

type Watch = { cf: ReturnType<typeof firstPush>; any: ReturnType<typeof firstPush>[] };

function watchWorld(world: ActionWorld): Watch {
  const cf = firstPush(world.cf.requests);
  return { cf, any: [cf, firstPush(world.gh.requests), firstPush(world.cache.requests)] };
}

async function timeAction(world: ActionWorld, cache: boolean, watch: Watch): Promise<Timing> {
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
  const world = await startActionWorld({ insights: [], cacheProtocol: 'v2' });
  const legacy = await startActionWorld({ insights: [], cacheProtocol: 'v1' });
  try {
    const watch = watchWorld(world);
    const legacyWatch = watchWorld(legacy);
    // A first run saves the state every measured run then restores.
    await timeAction(world, true, watch);
    await timeAction(legacy, true, legacyWatch);
    const node: number[] = [];
    const withCache: Timing[] = [];
    const noCache: Timing[] = [];
    const v1: Timing[] = [];
    for (let k = 0; k < runs; k++) {
      node.push(await bareNode());
      withCache.push(await timeAction(world, true, watch));
      noCache.push(await timeAction(world, false, watch));
      v1.push(await timeAction(legacy, true, legacyWatch));
    }
    const action = median(withCache.map((t) => t.firstCloudflare));
    const bare = median(node);
    return {
      node: bare,
      action,
      firstRequest: median(withCache.map((t) => t.firstAny)),
      actionNoCache: median(noCache.map((t) => t.firstCloudflare)),
      wholeRun: median(withCache.map((t) => t.exit)),
      protocol: 'v2',
      v1: { firstRequest: median(v1.map((t) => t.firstAny)), action: median(v1.map((t) => t.firstCloudflare)), wholeRun: median(v1.map((t) => t.exit)) },
      runs,
      dist: join(distDir(), 'index.js'),
    };
  } finally {
    await Promise.all([world.close(), legacy.close()]);
  }
}

export function formatColdStart(r: ColdStartResult): string {
  const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`;
  const x = (n: number) => `${(n / r.node).toFixed(2)}x`;
  return [
    `Cold start of ${r.dist} (medians of ${r.runs}; cache service ${r.protocol}, as on hosted runners)`,
    `  node -e 0, spawn to exit                               ${ms(r.node)}`,
    `  action, spawn to its first request (cache lookup)      ${ms(r.firstRequest)}  ${x(r.firstRequest)}  (goal < 2x: ${r.firstRequest < 2 * r.node ? 'PASS' : 'MISS'})`,
    `  action, spawn to the first Cloudflare request          ${ms(r.action)}  ${x(r.action)}`,
    `  same without a cache service (stateless run)           ${ms(r.actionNoCache)}  ${x(r.actionNoCache)}`,
    `  a whole quiet run, spawn to exit                       ${ms(r.wholeRun)}`,
    `  legacy cache service v1 (GHES): first request          ${ms(r.v1.firstRequest)}  ${x(r.v1.firstRequest)}`,
    `    first Cloudflare request                             ${ms(r.v1.action)}  ${x(r.v1.action)}`,
    `    a whole quiet run                                    ${ms(r.v1.wholeRun)}`,
  ].join('\n');
}

/**
 * The floor: what the required libraries alone cost before a first request can leave.
 * The action must mask its secrets with @actions/core before anything else, and restore
 * its state through @actions/cache (the request ledger, over the v2 protocol of hosted
 * runners) before any Cloudflare request; it
 * talks to Cloudflare with undici. Each program under bench/floor/ does only that much,
 * bundled as scripts/build.mjs bundles the action, so the figures show which part of the
 * cold start those dependencies impose and whether "under 2x `node -e 0`" is reachable.
 */
const FLOOR_PROGRAMS = [
  { name: 'core-cache-lookup', label: '@actions/core + @actions/cache, the cache lookup', fake: 'cache' },
  { name: 'core-undici-request', label: '@actions/core + undici, one Cloudflare GET', fake: 'cf' },
  { name: 'core-only', label: '@actions/core + node:http, one Cloudflare GET', fake: 'cf' },
  { name: 'http-only', label: 'node:http alone, one Cloudflare GET', fake: 'cf' },
] as const;

export interface ColdStartFloorResult {
  /** `node -e 0`, spawn to exit, median ms. */
  node: number;
  /** Each floor program, spawn to its first request, median ms. */
  programs: { name: string; label: string; ms: number }[];
  runs: number;
}

/** ncc, with the options scripts/build.mjs gives the action's bundle; ESM output like it. */
async function bundleFloor(name: string, out: string): Promise<string> {
  const ncc = join(REPO_ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js');
  const dir = join(out, name);
  const args = [
    'build',
    `bench/floor/${name}.ts`,
    '-o',
    dir,
    '--minify',
    '--source-map',
    '--license',
    'licenses.txt',
    '--quiet',
    '--target',
    'es2022',
    '--no-source-map-register',
  ];
  await promisify(execFile)(process.execPath, [ncc, ...args], { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return join(dir, 'index.js');
}

/** Spawn to the first request `watch` sees; the program must then exit with 0. */
function timeFloor(main: string, world: ActionWorld, watch: ReturnType<typeof firstPush>): Promise<number> {
  const { env } = world.prepare({ cache: true });
  watch.reset();
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [main], { cwd: world.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const at = watch.at();
      if (code === 0 && at !== null) resolve(at - t0);
      else reject(new Error(`${main} did not make its request (exit ${code}):\n${output.slice(-2000)}`));
    });
  });
}

/** Medians of `runs` alternated measurements (default 7) of the floor programs and `node -e 0`. */
export async function benchColdStartFloor(runs = 7): Promise<ColdStartFloorResult> {
  const out = mkdtempSync(join(tmpdir(), 'cf-insights-floor-'));
  const world = await startActionWorld({ insights: [] });
  try {
    const mains = await Promise.all(FLOOR_PROGRAMS.map((p) => bundleFloor(p.name, out)));
    const watch = { cf: firstPush(world.cf.requests), cache: firstPush(world.cache.requests) };
    const times = FLOOR_PROGRAMS.map((): number[] => []);
    const node: number[] = [];
    // A first round unmeasured: the bundles into the page cache.
    for (const [i, p] of FLOOR_PROGRAMS.entries()) await timeFloor(mains[i]!, world, watch[p.fake]);
    for (let k = 0; k < runs; k++) {
      node.push(await bareNode());
      for (const [i, p] of FLOOR_PROGRAMS.entries()) times[i]!.push(await timeFloor(mains[i]!, world, watch[p.fake]));
    }
    return {
      node: median(node),
      programs: FLOOR_PROGRAMS.map((p, i) => ({ name: p.name, label: p.label, ms: median(times[i]!) })),
      runs,
    };
  } finally {
    await world.close();
    rmSync(out, { recursive: true, force: true });
  }
}

export function formatColdStartFloor(r: ColdStartFloorResult): string {
  const rows: [string, number][] = [['node -e 0, spawn to exit', r.node], ...r.programs.map((p): [string, number] => [`${p.name}: ${p.label}`, p.ms])];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return [
    `Cold-start floor of the required libraries, spawn to the first request (bench/floor/, medians of ${r.runs})`,
    ...rows.map(([label, ms]) => `  ${label.padEnd(width)}${ms.toFixed(0).padStart(5)} ms  ${(ms / r.node).toFixed(2)}x`),
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const runs = Number(process.argv[2]);
  const result = await benchColdStart(Number.isInteger(runs) && runs > 0 ? runs : undefined);
  console.log(formatColdStart(result));
  console.log(formatColdStartFloor(await benchColdStartFloor(result.runs)));
}
