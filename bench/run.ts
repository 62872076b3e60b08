/**
 * `npm run bench`: the benchmark report of cf-insights, printed and written to
 * bench/results.md.
 *
 * - Cloudflare requests per complete sync against the minimum ceil(N/1000);
 * - CPU time and peak RSS of fetch, diff, plan and render for 1k, 10k and 100k insights,
 *   each measurement alone in a child process (bench/stage.ts), medians of several runs;
 * - the size of the state (JSON and gzip), and the state through the Actions cache fake
 *   (bench/state.ts);
 * - GitHub requests of a first sync, an unchanged run and a run with the state lost;
 * - cold start of the bundled action to its first request, against a bare `node -e 0`;
 * - a PASS/MISS per goal, and the 100k/10k ratio of every figure.
 *
 *   npm run bench [-- --runs N] [-- --sizes 1000,10000] [-- --no-write]
 */
import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { formatRows as formatFetchRows, type Row as FetchRow } from './cloudflare.js';
import { benchColdStart, benchColdStartFloor, formatColdStart, formatColdStartFloor, type ColdStartFloorResult, type ColdStartResult } from './coldstart.js';
import { formatRows as formatStateRows, type Row as StateRow } from './state.js';
import type { Stage, StageResult } from './stage.js';
import { median } from './median.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const STAGE_BUILD = join(ROOT, 'node_modules/.cache/cf-insights-bench');
const STAGE_SCRIPT = join(STAGE_BUILD, 'bench/stage.js');
const RESULTS = join(ROOT, 'bench/results.md');

// Options ---------------------------------------------------------------------------

interface Options {
  sizes: number[];
  /** Runs per measurement for a size (medians of these). */
  runs: (n: number) => number;
  write: boolean;
  coldStartRuns: number;
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = value('--sizes')
    ?.split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0) ?? [1000, 10_000, 100_000];
  const runs = Number(value('--runs'));
  return {
    sizes,
    // 100k measurements take seconds each: three runs are enough for a median.
    runs: (n) => (Number.isInteger(runs) && runs > 0 ? runs : n >= 100_000 ? 3 : 5),
    write: !argv.includes('--no-write'),
    coldStartRuns: Number.isInteger(runs) && runs > 0 ? Math.max(runs, 3) : 7,
  };
}

// Helpers ---------------------------------------------------------------------------

const progress = (line: string) => process.stderr.write(`${line}\n`);

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sizeLabel = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 2)} MB`;

function table(head: string[], rows: (string | number)[][], align: ('l' | 'r')[] = []): string {
  const sep = head.map((_, i) => ((align[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(head), line(sep), ...rows.map(line)].join('\n');
}

/**
 * The stages run as plain JavaScript compiled by tsc, as the action runs ncc's output:
 * not under tsx, whose esbuild transform gives every closure a `name` property of its
 * own (~250 bytes each, ~70 MB more at the peak of a 100k plan).
 */
function compileStages(): void {
  rmSync(STAGE_BUILD, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.json'), '--noEmit', 'false', '--outDir', STAGE_BUILD], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(STAGE_BUILD, { recursive: true });
  writeFileSync(join(STAGE_BUILD, 'package.json'), '{ "type": "module" }\n');
  // The fakes read the published contracts beside the compiled code, as they do in test/.
  cpSync(join(ROOT, 'test/contract'), join(STAGE_BUILD, 'test/contract'), { recursive: true, filter: (f) => !f.endsWith('.ts') });
}

/** Runs one stage in a fresh process and returns its JSON line. */
function runStage(stage: Stage, n: number): Promise<StageResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', STAGE_SCRIPT, stage, String(n)],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => {
        // Libraries may print lines of their own (@actions/core's ::add-mask::): the result is the last JSON line.
        const line = stdout
          .split('\n')
          .reverse()
          .find((l) => l.startsWith('{'));
        if (error || !line) {
          reject(new Error(`stage ${stage} ${n} failed: ${error?.message ?? 'no result'}\n${stderr.slice(-2000)}`));
          return;
        }
        resolvePromise(JSON.parse(line) as StageResult);
      },
    );
  });
}

/** Medians of a stage's runs. */
interface Summary extends StageResult {
  runs: number;
  /** The spread of the CPU figures, for judging the noise. */
  cpuMinMs: number;
  cpuMaxMs: number;
}

async function measureStage(stage: Stage, n: number, runs: number): Promise<Summary> {
  const results: StageResult[] = [];
  for (let k = 0; k < runs; k++) results.push(await runStage(stage, n));
  const cpu = results.map((r) => r.cpuMs);
  const summary: Summary = {
    stage,
    insights: n,
    runs,
    cpuMs: median(cpu),
    wallMs: median(results.map((r) => r.wallMs)),
    peakRssMb: median(results.map((r) => r.peakRssMb)),
    baseRssMb: median(results.map((r) => r.baseRssMb)),
    peakIsPerStep: results.every((r) => r.peakIsPerStep),
    extra: results[0]!.extra,
    cpuMinMs: Math.min(...cpu),
    cpuMaxMs: Math.max(...cpu),
  };
  progress(`  ${stage.padEnd(14)} ${sizeLabel(n).padStart(5)}: CPU ${fmt(summary.cpuMs)} ms, peak RSS ${fmt(summary.peakRssMb)} MB (median of ${runs})`);
  return summary;
}

// Cold start ------------------------------------------------------------------------

/** When the bundle was built, and whether src/ changed since (then the figure is not the source's). */
function bundleAge(dist: string): { built: Date; stale: boolean } | null {
  const index = join(dist, 'index.js');
  if (!existsSync(index)) return null;
  const built = statSync(index).mtime;
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  return { built, stale: newest(join(ROOT, 'src')) > built.getTime() };
}

// The report ------------------------------------------------------------------------

interface Goal {
  goal: string;
  measured: string;
  pass: boolean;
  /** What the profile showed, printed when the goal is missed. */
  why?: string;
}

const STAGE_ROWS: { stage: Stage; label: string }[] = [
  { stage: 'fetch', label: 'fetch + filter (Cloudflare client, fake in another process)' },
  { stage: 'diff', label: 'diff (next scan against the state)' },
  { stage: 'plan-next', label: 'plan: next scan, warm state' },
  { stage: 'plan-first', label: 'plan: first run (no state, no issue)' },
  { stage: 'plan-lost', label: 'plan: state lost (every issue listed)' },
  { stage: 'render-issues', label: 'render: issue title, body, labels of each' },
  { stage: 'render-report', label: 'render: SARIF report' },
];

function stageNotes(s: Summary): string {
  const e = s.extra as Record<string, number>;
  switch (s.stage) {
    case 'fetch':
      return `${fmt(e['requests']!)} requests, ${fmt(e['matching']!)} kept by the filters`;
    case 'diff':
      return `${fmt(e['new']!)} new, ${fmt(e['changed']!)} changed, ${fmt(e['gone']!)} gone`;
    case 'plan-next':
    case 'plan-first':
    case 'plan-lost':
      return `${fmt(e['units']!)} units (+${fmt(e['deferred']!)} over the cap), ${fmt(e['noops']!)} unchanged`;
    case 'render-issues':
      return `${mb(e['bodyBytes']!)} of bodies`;
    case 'render-report':
      return `${mb(e['reportBytes']!)} of SARIF`;
    default:
      return '';
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = new Date();
  const t0 = performance.now();
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', '),
    date: started.toISOString(),
  };
  progress(`cf-insights benchmark on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}; load ${machine.load}`);

  progress('compiling the stages (tsc)');
  compileStages();
  // The runtime every stage carries: bare Node, against the stage process with its modules loaded.
  const bareRss = await new Promise<number>((ok, fail) =>
    execFile(process.execPath, ['-e', 'console.log(process.memoryUsage().rss)'], { cwd: ROOT }, (e, out) => (e ? fail(e) : ok(Number(out) / 1024 / 1024))),
  );
  const idle = await measureStage('idle', 1, 3);

  const stages = new Map<string, Summary>();
  const key = (stage: Stage, n: number) => `${stage}:${n}`;
  for (const n of options.sizes) {
    progress(`${sizeLabel(n)} insights`);
    for (const { stage } of STAGE_ROWS) stages.set(key(stage, n), await measureStage(stage, n, options.runs(n)));
  }

  progress('state through the Actions cache fake (bench/state.ts)');
  const stateSize = Math.max(...options.sizes);
  const cacheState = await runStage('cache-state', stateSize);
  const stateRows = cacheState.extra['rows'] as StateRow[];

  progress('GitHub requests (whole engine against the fakes)');
  const github: StageResult[] = [];
  for (const n of options.sizes.filter((s) => s <= 10_000)) {
    const r = await runStage(n <= 1000 ? 'github' : 'github-seeded', n);
    github.push(r);
    progress(`  ${sizeLabel(n)}: ${JSON.stringify(r.extra)}`);
  }

  progress('cold start');
  let coldStart: ColdStartResult | null = null;
  let floor: ColdStartFloorResult | null = null;
  let coldStartError = '';
  const dist = resolve(process.env['CF_INSIGHTS_DIST'] ?? join(ROOT, 'dist'));
  const bundle = bundleAge(dist);
  try {
    if (!bundle) throw new Error(`no bundle at ${join(dist, 'index.js')} (build one: node scripts/build.mjs /tmp/dist, then CF_INSIGHTS_DIST=/tmp/dist)`);
    coldStart = await benchColdStart(options.coldStartRuns);
    progress(
      `  node -e 0: ${fmt(coldStart.node)} ms; node dist/index.js to its first Cloudflare request: ${fmt(coldStart.action)} ms (${fmt(coldStart.actionNoCache)} ms without the cache)`,
    );
    progress('cold-start floor of the required libraries (bench/floor/)');
    floor = await benchColdStartFloor(options.coldStartRuns);
    progress(formatColdStartFloor(floor));
  } catch (error) {
    coldStartError = error instanceof Error ? error.message : String(error);
    progress(`  not measured: ${coldStartError}`);
  }

  // Goals.
  const goals: Goal[] = [];
  const get = (stage: Stage, n: number) => stages.get(key(stage, n));
  for (const n of options.sizes) {
    const f = get('fetch', n)!;
    const requests = Number(f.extra['requests']);
    const min = Math.max(1, Math.ceil(n / 1000));
    goals.push({ goal: `Cloudflare requests for ${sizeLabel(n)} insights = ceil(N/1000) = ${min}`, measured: String(requests), pass: requests === min });
  }
  const fetch10k = get('fetch', 10_000);
  if (fetch10k) goals.push({ goal: '10k insights fetched and filtered in < 1 s of CPU', measured: `${fmt(fetch10k.cpuMs)} ms`, pass: fetch10k.cpuMs < 1000 });
  const biggest = Math.max(...options.sizes);
  const diffBig = get('diff', biggest)!;
  goals.push({
    goal: `diff of ${sizeLabel(biggest)} against ${sizeLabel(biggest)} in < 0.5 s of CPU`,
    measured: `${fmt(diffBig.cpuMs)} ms (runs: ${fmt(diffBig.cpuMinMs)}–${fmt(diffBig.cpuMaxMs)})`,
    pass: diffBig.cpuMs < 500,
    why:
      'diff() is not on the sync path (the engine plans directly; nothing in src/ imports it). About half of its CPU is the fingerprint of every insight ' +
      '(canonical JSON + sha256), which a diff cannot skip and the planner needs anyway (memoised per insight object), a fifth is sorting the lists; ' +
      'the same call with a warm JIT takes about a third of this (bench/state.ts, below).',
  });
  const archive = stateRows.find((r) => r.step.startsWith('restore'));
  const gz = Number(diffBig.extra['stateGzipBytes']);
  goals.push({
    goal: `state of ${sizeLabel(biggest)} insights < 5 MB compressed`,
    measured: `${mb(gz)} gzip; ${archive?.bytes ? mb(archive.bytes) : '?'} as the cache stores it`,
    pass: gz < 5 * 1024 * 1024 && (archive?.bytes ?? 0) < 5 * 1024 * 1024,
  });
  for (const g of github) {
    const e = g.extra as Record<string, number>;
    goals.push({
      goal: `unchanged run with a warm state, ${sizeLabel(g.insights)}: ≤ 1 GitHub request`,
      measured: `${e['unchangedRequests']} (${e['unchangedWrites']} writes)`,
      pass: e['unchangedRequests']! <= 1 && e['unchangedWrites'] === 0,
    });
    const expected = Math.max(1, Math.ceil(e['issues']! / 100));
    goals.push({
      goal: `state lost, ${sizeLabel(g.insights)} (${fmt(e['issues']!)} issues): ceil(issues/100) = ${expected} listing requests, 0 writes`,
      measured: `${e['lostListing']} listing of ${e['lostRequests']} requests, ${e['lostWrites']} writes`,
      pass: e['lostListing'] === expected && e['lostRequests'] === expected && e['lostWrites'] === 0,
    });
  }
  const planCases = [
    ['plan-next', 'next scan, warm state'],
    ['plan-first', 'first run: no state, no issue'],
    ['plan-lost', 'state lost: every issue listed'],
  ] as const;
  for (const [stage, words] of planCases) {
    const s = get(stage, 100_000);
    if (!s) continue;
    const e = s.extra as Record<string, number>;
    goals.push({ goal: `100k planned (${words}) in < 5 s of CPU`, measured: `${fmt(s.cpuMs)} ms`, pass: s.cpuMs < 5000 });
    goals.push({
      goal: `100k planned (${words}) under 300 MB peak RSS`,
      measured: `${fmt(s.peakRssMb)} MB (${fmt(s.baseRssMb)} MB before planning)`,
      pass: s.peakRssMb < 300,
      why:
        stage === 'plan-lost'
          ? `The inputs (100k insights and the listing of ${fmt(e['noops']! + e['units']!)} issues, of which only what the planner reads is kept) are ${fmt(s.baseRssMb)} MB before planning starts; planning adds ${fmt(s.peakRssMb - s.baseRssMb)} MB.`
          : stage === 'plan-first'
            ? `The ${fmt(e['deferred']!)} units over the write cap are kept as small pending units and only the units that run get actions and records; ` +
              `planning adds ${fmt(s.peakRssMb - s.baseRssMb)} MB to the ${fmt(s.baseRssMb)} MB of the runtime and the 100k insights.`
            : undefined,
    });
  }
  if (coldStart) {
    const c = coldStart;
    const x = (ms: number) => `${fmt(ms / c.node, 1)}x`;
    const floorOf = (name: string) => floor?.programs.find((p) => p.name === name)?.ms;
    const lookupFloor = floorOf('core-cache-lookup');
    const coreFloor = floorOf('core-only');
    goals.push({
      goal: 'cold start of `node dist/index.js` to its first request < 2x a bare Node start',
      measured: `${fmt(c.firstRequest / c.node, 2)}x (${fmt(c.firstRequest)} ms against ${fmt(c.node)} ms; the first Cloudflare request at ${fmt(c.action)} ms, ${x(c.action)})`,
      pass: c.firstRequest / c.node < 2,
      why:
        `2x of a bare start is ${fmt(2 * c.node)} ms. The first request is the Actions cache lookup: the state holds the month's request ledger, so it is restored before any Cloudflare request. ` +
        (lookupFloor !== undefined && coreFloor !== undefined
          ? `The required libraries alone set a floor above the goal (bench/floor/, bundled like the action): a program that only loads @actions/core and @actions/cache and sends that lookup needs ${fmt(lookupFloor)} ms (${x(lookupFloor)}); ` +
            `@actions/core alone (it must mask the secrets before anything else, and its http-client loads undici at start) ${fmt(coreFloor)} ms (${x(coreFloor)}). ` +
            `The action's own code, zod and its chunks add ${fmt(c.firstRequest - lookupFloor)} ms. 2x would take dropping @actions/core and @actions/cache, which this project requires.`
          : 'The floor of the required libraries was not measured.'),
    });
  }

  // Growth from 10k to 100k: anything above ~12x grows faster than linearly (10x, plus noise).
  const growth: { figure: string; at10k: number; at100k: number; ratio: number; unit: string }[] = [];
  if (options.sizes.includes(10_000) && options.sizes.includes(100_000)) {
    for (const { stage } of STAGE_ROWS) {
      const a = get(stage, 10_000)!;
      const b = get(stage, 100_000)!;
      growth.push({ figure: `${stage} CPU`, at10k: a.cpuMs, at100k: b.cpuMs, ratio: b.cpuMs / a.cpuMs, unit: 'ms' });
      growth.push({ figure: `${stage} peak RSS`, at10k: a.peakRssMb, at100k: b.peakRssMb, ratio: b.peakRssMb / a.peakRssMb, unit: 'MB' });
      const da = a.peakRssMb - idle.peakRssMb;
      const db = b.peakRssMb - idle.peakRssMb;
      growth.push({ figure: `${stage} peak RSS above the idle process`, at10k: da, at100k: db, ratio: db / da, unit: 'MB' });
    }
    for (const [name, field] of [
      ['state JSON', 'stateBytes'],
      ['state gzip', 'stateGzipBytes'],
    ] as const) {
      const a = Number(get('diff', 10_000)!.extra[field]);
      const b = Number(get('diff', 100_000)!.extra[field]);
      growth.push({ figure: name, at10k: a / 1024 / 1024, at100k: b / 1024 / 1024, ratio: b / a, unit: 'MB' });
    }
    const ra = Number(get('fetch', 10_000)!.extra['requests']);
    const rb = Number(get('fetch', 100_000)!.extra['requests']);
    growth.push({ figure: 'Cloudflare requests', at10k: ra, at100k: rb, ratio: rb / ra, unit: '' });
    const superLinear = growth.filter((g) => g.ratio > 12);
    goals.push({
      goal: 'no figure grows faster than linearly from 10k to 100k (ratio ≤ ~12x)',
      measured: superLinear.length
        ? superLinear.map((g) => `${g.figure} ${fmt(g.ratio, 1)}x`).join('; ')
        : `largest ${fmt(Math.max(...growth.map((g) => g.ratio)), 1)}x`,
      pass: superLinear.length === 0,
    });
  }

  // The document.
  const md: string[] = [];
  md.push('# cf-insights benchmark', '');
  md.push(`Written by \`npm run bench\` (bench/run.ts) on ${machine.date.slice(0, 10)}, in ${fmt((performance.now() - t0) / 1000)} s.`, '');
  md.push('## Machine', '');
  md.push(`- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${fmt(machine.memoryGb, 1)} GB`);
  md.push(`- Node ${machine.node} on ${machine.os}`);
  md.push(`- Date: ${machine.date}; load average at the start: ${machine.load} (a shared machine: CPU figures vary by 10–30% between runs)`);
  md.push('');
  md.push('## Goals', '');
  md.push(
    table(
      ['goal', 'measured', ''],
      goals.map((g) => [g.goal, g.measured, g.pass ? 'PASS' : '**MISS**']),
      ['l', 'l', 'l'],
    ),
  );
  md.push('');
  const missed = goals.filter((g) => !g.pass && g.why);
  if (missed.length) {
    md.push('Why the misses:', '');
    for (const g of missed) md.push(`- **${g.goal}**: ${g.why}`);
    md.push('');
  }
  md.push('## How it is measured', '');
  md.push(
    `- N is the number of insights in the account (generated by the Cloudflare fake, ~5% dismissed and left out by the default filters). Every measurement runs alone in a new process (\`node bench/stage.js <stage> <N>\`, compiled by tsc, as the action runs compiled code), its inputs built before the clock starts, then once, cold, as a run does. Figures are medians of ${options.sizes.map((n) => `${options.runs(n)} runs at ${sizeLabel(n)}`).join(', ')}.`,
    '- CPU: user + system time of the process during the step (all threads: the garbage collector included).',
    `- Peak RSS: the process's high-water mark during the step (reset through /proc/self/clear_refs once the inputs are built${idle.peakIsPerStep ? '' : ' — NOT available here: the figures include the building of the inputs'}), so it includes the inputs the step holds and the runtime. The runtime alone: a bare \`node\` is ${fmt(bareRss)} MB, and the stage process with all modules loaded, doing nothing, ${fmt(idle.peakRssMb)} MB.`,
    '- The next scan (diff, plan: next scan): 1% of the insights changed, 1% gone, 1% new, every timestamp moved; the state is what the previous run left (every insight filed, 5% triaged). Plans use the default write cap (50).',
    '- fetch: the real Cloudflare client against the fake (in its own process, ignoring the filters so that every insight travels), filters applied by the client (bench/cloudflare.ts).',
  );
  md.push('');
  md.push('## Cloudflare requests per complete sync', '');
  md.push(
    table(
      ['insights', 'requests', 'minimum ceil(N/1000)', ''],
      options.sizes.map((n) => {
        const r = Number(get('fetch', n)!.extra['requests']);
        const min = Math.max(1, Math.ceil(n / 1000));
        return [fmt(n), r, min, r === min ? 'PASS' : '**MISS**'];
      }),
    ),
  );
  md.push('');
  md.push('## CPU time and peak RSS per stage', '');
  for (const n of options.sizes) {
    md.push(`### ${fmt(n)} insights (median of ${options.runs(n)})`, '');
    md.push(
      table(
        ['stage', 'CPU ms', 'wall ms', 'RSS before MB', 'peak RSS MB', ''],
        STAGE_ROWS.map(({ stage, label }) => {
          const s = get(stage, n)!;
          return [label, fmt(s.cpuMs), fmt(s.wallMs), fmt(s.baseRssMb), fmt(s.peakRssMb), stageNotes(s)];
        }),
        ['l', 'r', 'r', 'r', 'r', 'l'],
      ),
    );
    md.push('');
  }
  md.push('## State size', '');
  md.push(
    table(
      ['insights', 'records', 'JSON', 'gzip', 'bytes per record (gzip)'],
      options.sizes.map((n) => {
        const d = get('diff', n)!;
        const records = Number(d.extra['stateRecords']);
        const json = Number(d.extra['stateBytes']);
        const gzip = Number(d.extra['stateGzipBytes']);
        return [fmt(n), fmt(records), mb(json), mb(gzip), fmt(gzip / records, 1)];
      }),
    ),
  );
  md.push('');
  md.push(
    `Through the Actions cache fake (protocol v2, as on hosted runners) with the real @actions/cache (bench/state.ts, ${fmt(stateSize)} insights, one run; its fake runs in the same process, so the CPU includes it):`,
    '',
  );
  md.push(
    table(
      ['step', 'wall ms', 'CPU ms', 'bytes', 'goal', ''],
      stateRows.map((r) => [
        r.step,
        fmt(r.wallMs),
        fmt(r.cpuMs),
        r.bytes === null ? '' : mb(r.bytes),
        r.goal,
        r.met === null ? '' : r.met ? 'PASS' : '**MISS**',
      ]),
      ['l', 'r', 'r', 'r', 'l', 'l'],
    ),
  );
  md.push('');
  md.push('## GitHub requests per run', '');
  md.push(
    'The whole engine (state file, Cloudflare and GitHub fakes, the real octokit client with its throttling and retry plugins tuned by `fastThrottleForTests()`, `max-issue-writes: 1000`, the most allowed). ' +
      'At 1k: a first sync, an unchanged run, then a run with the state file deleted. At 10k the first sync is not run (about 10 runs of 1,000 writes, minutes against the fake): the fake starts with the issues a first sync leaves, rendered by the same code, then a run without state and an unchanged run. Counts are exact, one run each.',
    '',
  );
  md.push(
    table(
      [
        'insights',
        'issues',
        'first sync: runs / requests / writes',
        'unchanged run: requests / writes',
        'state lost: requests / listing pages / writes',
        'ceil(issues/100)',
      ],
      github.map((g) => {
        const e = g.extra as Record<string, number>;
        return [
          fmt(g.insights),
          fmt(e['issues']!),
          e['firstRuns'] !== undefined ? `${e['firstRuns']} / ${fmt(e['firstRequests']!)} / ${fmt(e['firstWrites']!)}` : 'not run (seeded)',
          `${e['unchangedRequests']} / ${e['unchangedWrites']}`,
          `${e['lostRequests']} / ${e['lostListing']} / ${e['lostWrites']}`,
          fmt(Math.max(1, Math.ceil(e['issues']! / 100))),
        ];
      }),
    ),
  );
  md.push('');
  const dup = github.filter((g) => Number(g.extra['duplicates']) > 0);
  md.push(
    `Duplicate issues after these runs: ${dup.length ? dup.map((g) => `${g.extra['duplicates']} at ${sizeLabel(g.insights)}`).join(', ') : 'none'}. At 100k a lost state would cost ceil(95,000/100) = 950 listing requests, close to the 1,000 requests an hour of a workflow token (not run).`,
    '',
  );
  md.push('## Cold start', '');
  if (coldStart) {
    const c = coldStart;
    const x = (ms: number) => `${fmt(ms / c.node, 1)}x`;
    md.push(
      table(
        ['', `median of ${c.runs}`, 'against node -e 0'],
        [
          ['`node -e 0`, spawn to exit', `${fmt(c.node)} ms`, '1x'],
          ['`node dist/index.js`, spawn to its first request (the Actions cache lookup; goal < 2x)', `${fmt(c.firstRequest)} ms`, x(c.firstRequest)],
          ['`node dist/index.js`, spawn to its first Cloudflare request', `${fmt(c.action)} ms`, x(c.action)],
          ['the same without a cache service (a stateless run)', `${fmt(c.actionNoCache)} ms`, x(c.actionNoCache)],
          ['a whole quiet run, spawn to exit', `${fmt(c.wholeRun)} ms`, x(c.wholeRun)],
          ['legacy cache service v1 (some GHES): spawn to the first request', `${fmt(c.v1.firstRequest)} ms`, x(c.v1.firstRequest)],
          ['v1: spawn to the first Cloudflare request', `${fmt(c.v1.action)} ms`, x(c.v1.action)],
          ['v1: a whole quiet run, spawn to exit', `${fmt(c.v1.wholeRun)} ms`, x(c.v1.wholeRun)],
        ],
      ),
    );
    md.push(
      '',
      `Measured by bench/coldstart.ts: the action with the runner's environment (only PATH from ours) against the three fakes, after a first run saved a state; the cache service speaks ${c.protocol} (twirp and a signed blob URL, as on GitHub's hosted runners) but in the v1 rows. ` +
        `Bundle: ${c.dist.replace(`${ROOT}/`, '')}, built ${bundle!.built.toISOString()}${bundle!.stale ? " — OLDER than the newest file in src/, so these figures may not be the current source's" : ''}.`,
      '',
    );
    if (floor) {
      const f = floor;
      md.push(
        `The floor: minimal programs (bench/floor/, bundled by ncc as the action is) that load only what the action cannot do without, then send one request; medians of ${f.runs}.`,
        '',
        table(
          ['program', 'spawn to its first request', 'against node -e 0'],
          [
            ['`node -e 0`, spawn to exit', `${fmt(f.node)} ms`, '1x'],
            ...f.programs.map((p) => [`${p.name}: ${p.label}`, `${fmt(p.ms)} ms`, `${fmt(p.ms / f.node, 1)}x`]),
          ],
        ),
        '',
      );
    }
  } else {
    md.push(`Not measured: ${coldStartError}`, '');
  }
  if (growth.length) {
    md.push('## Growth from 10k to 100k', '');
    md.push('Linear growth is 10x. Peak RSS includes the runtime, so its ratio is below the ratio of what the stage itself adds, shown on the next line.', '');
    md.push(
      table(
        ['figure', '10k', '100k', '100k / 10k', ''],
        growth.map((g) => [
          g.figure,
          `${fmt(g.at10k, g.unit === 'MB' ? 1 : 0)} ${g.unit}`.trim(),
          `${fmt(g.at100k, g.unit === 'MB' ? 1 : 0)} ${g.unit}`.trim(),
          `${fmt(g.ratio, 1)}x`,
          g.ratio > 12 ? '**> 12x**' : '',
        ]),
      ),
    );
    md.push('');
  }
  const text = `${md.join('\n').trimEnd()}\n`;

  // The console: the same document, and the fetch rows in bench/cloudflare.ts's own format.
  const fetchRows: FetchRow[] = options.sizes.map((n) => {
    const s = get('fetch', n)!;
    return {
      insights: n,
      matching: Number(s.extra['matching']),
      requests: Number(s.extra['requests']),
      expectedRequests: Number(s.extra['expectedRequests']),
      wallMs: Math.round(s.wallMs),
      cpuMs: Math.round(s.cpuMs),
      peakRssMb: Math.round(s.peakRssMb),
    };
  });
  console.log(text);
  console.log('Cloudflare client, fetch + filter (medians):\n');
  console.log(formatFetchRows(fetchRows));
  console.log('\nState (bench/state.ts):\n');
  console.log(formatStateRows(stateRows));
  console.log('');
  if (coldStart) console.log(`${formatColdStart(coldStart)}\n`);
  if (floor) console.log(`${formatColdStartFloor(floor)}\n`);
  for (const g of goals) console.log(`${g.pass ? 'PASS' : 'MISS'}  ${g.goal}: ${g.measured}`);
  if (options.write) {
    writeFileSync(RESULTS, text);
    console.log(`\nWritten to ${RESULTS} (${fmt((performance.now() - t0) / 1000)} s).`);
  }
}

await main();
