/**
 * Runs the bundled action (`node <dist>/index.js`) as a child process, the way a GitHub
 * runner does, against the three fakes (Cloudflare, GitHub, Actions cache service).
 *
 *   const world = await startActionWorld({ insights: [...] });
 *   const run = await world.run({ inputs: { 'api-token': FAKE_TOKEN } });
 *   run.code, run.outputs['threshold-breached'], run.summary, run.requests.cloudflare ...
 *   await world.close();
 *
 * What the runner gives the process, reproduced here:
 * - every input declared in action.yml as `INPUT_<NAME>` (upper case, spaces to `_`,
 *   dashes kept), with the defaults of action.yml applied (node does not read
 *   action.yml; the runner does) and `${{ github.token }}` / `${{ github.repository }}`
 *   resolved; a declared input without default and not given is set to '';
 * - GITHUB_* context variables, a schedule event file, and the empty GITHUB_OUTPUT,
 *   GITHUB_STATE and GITHUB_STEP_SUMMARY files the runner creates for each step;
 * - RUNNER_TEMP at a fixed path for the world (as on hosted runners, where it is the same
 *   path every job) but emptied before each run (the runner cleans it per job), so a
 *   state can only come back through the cache fake;
 * - the cache service variables of the cache fake's protocol (`cacheProtocol`, default v2
 *   as on hosted runners: ACTIONS_CACHE_SERVICE_V2, ACTIONS_RESULTS_URL; v1 as on some GHES:
 *   ACTIONS_CACHE_URL), with ACTIONS_RUNTIME_TOKEN (`cache: false` leaves them out, as on
 *   a runner without the cache service); on v2 also HTTP_PROXY, the fake, which the signed
 *   URLs on *.blob.core.windows.net reach through (only the Azure SDK uses it);
 * - nothing else from the test process's environment but PATH (a token of the person
 *   running the tests must not leak into the action under test).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { issueLabels } from '../../src/github/labels.js';
import type { Insight } from '../../src/insights/types.js';
import { insight } from './insights.js';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, startCloudflareFake, type CloudflareFake, type RecordedRequest as CfRequest } from '../fakes/cloudflare.js';
import { startGithubFake, type FakeRequest as GhRequest, type GithubFake, type GithubFakeOptions } from '../fakes/github.js';
import { startCacheServiceFake, type CacheProtocol, type CacheServiceFake, type RecordedRequest as CacheRequest } from '../fakes/cache-service.js';

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** The bundles under test: CF_INSIGHTS_DIST (a private build) or the committed dist/. */
export function distDir(): string {
  return resolve(process.env['CF_INSIGHTS_DIST'] ?? join(REPO_ROOT, 'dist'));
}

export const REPOSITORY = 'acme/security';
export const DEFAULT_SCHEDULE = '0 6 * * *';

export interface ActionInput {
  name: string;
  description: string;
  required: boolean;
  default?: string;
}

export interface ActionManifest {
  inputs: ActionInput[];
  outputs: { name: string; description: string }[];
  runs: { using: string; main: string };
}

/** action.yml, read with the `yaml` package. */
export function readActionManifest(path = join(REPO_ROOT, 'action.yml')): ActionManifest {
  const doc = parseYaml(readFileSync(path, 'utf8')) as {
    inputs?: Record<string, { description?: string; required?: boolean | string; default?: unknown }>;
    outputs?: Record<string, { description?: string }>;
    runs: { using: string; main: string };
  };
  return {
    inputs: Object.entries(doc.inputs ?? {}).map(([name, v]) => ({
      name,
      description: v?.description ?? '',
      required: v?.required === true || v?.required === 'true',
      ...(v?.default !== undefined && v.default !== null ? { default: String(v.default) } : {}),
    })),
    outputs: Object.entries(doc.outputs ?? {}).map(([name, v]) => ({ name, description: v?.description ?? '' })),
    runs: doc.runs,
  };
}

/** The runner's name for an input's variable: `INPUT_<NAME>`, spaces to `_`, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Resolves the `${{ ... }}` expressions action.yml defaults use; any other is a test bug. */
export function resolveDefault(value: string, context: { token: string; repository: string }): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
    if (expr === 'github.token') return context.token;
    if (expr === 'github.repository') return context.repository;
    throw new Error(`action.yml default uses an expression the test runner does not know: \${{ ${expr} }}`);
  });
}

/** One parsed workflow command from stdout (`::error title=x::message`). */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
  line: string;
}

export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const out: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const part of (m[2] ?? '').split(',').filter((p) => p !== '')) {
      const eq = part.indexOf('=');
      if (eq > 0) properties[part.slice(0, eq)] = unescapeProperty(part.slice(eq + 1));
    }
    out.push({ command: m[1]!, properties, message: unescapeData(m[3] ?? ''), line });
  }
  return out;
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/**
 * The GITHUB_OUTPUT file: `name<<delimiter` heredocs (what @actions/core writes) and plain
 * `name=value` lines. A name set twice keeps its last value, as the runner does.
 */
export function parseOutputsFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: no closing delimiter for ${name}`);
      out[name!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`GITHUB_OUTPUT: unreadable line ${JSON.stringify(line)}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export interface RunOptions {
  /** Inputs as in `with:`, by their action.yml names; they override the defaults. */
  inputs?: Record<string, string>;
  /** Extra environment; undefined removes a variable the runner would set. */
  env?: Record<string, string | undefined>;
  /** `schedule` of the event (default DEFAULT_SCHEDULE); null: a workflow_dispatch event. */
  schedule?: string | null;
  runId?: string;
  runAttempt?: string;
  /** Offer the cache service (its protocol's URL variables and ACTIONS_RUNTIME_TOKEN); default true. */
  cache?: boolean;
  /** Empty RUNNER_TEMP first, as for a new job (default true; false for concurrent runs in one world). */
  freshTemp?: boolean;
  /** Kill the child after this many ms (default 120 s). */
  timeoutMs?: number;
}

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  commands: WorkflowCommand[];
  /** GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>;
  outputsText: string;
  /** GITHUB_STEP_SUMMARY. */
  summary: string;
  /** GITHUB_STATE. */
  stateText: string;
  /** Every file left under RUNNER_TEMP after the run, path relative to it -> text. */
  tempFiles: Record<string, string>;
  /** The report-file output's content, when it names a file. */
  report: string | null;
  /** The requests each fake received during this run. */
  requests: { cloudflare: CfRequest[]; github: GhRequest[]; cache: CacheRequest[] };
  /** The environment the child got. */
  env: Record<string, string>;
  /** Milliseconds from spawn to exit (informative only; never asserted). */
  wallMs: number;
}

export interface ActionWorldOptions {
  insights?: Insight[];
  github?: GithubFakeOptions;
  /** The protocol of the cache service: v2 (hosted runners, the default) or v1 (some GHES). */
  cacheProtocol?: CacheProtocol;
}

export interface ActionWorld {
  cf: CloudflareFake;
  gh: GithubFake;
  cache: CacheServiceFake;
  /** The job folder: RUNNER_TEMP, the workspace and the home are under it. */
  dir: string;
  runnerTemp: string;
  /** The inputs every run gets unless overridden: a valid configuration for the fakes. */
  baseInputs: Record<string, string>;
  /** The environment of a run (without spawning), for tests that start the child themselves. */
  prepare(options?: RunOptions): { env: Record<string, string>; files: JobFiles };
  run(options?: RunOptions): Promise<ActionRun>;
  close(): Promise<void>;
}

export interface JobFiles {
  output: string;
  summary: string;
  state: string;
  event: string;
}

let runCounter = 0;

/** Starts the three fakes and returns a world in which the action can be run repeatedly. */
export async function startActionWorld(options: ActionWorldOptions = {}): Promise<ActionWorld> {
  const [cf, gh, cache] = await Promise.all([
    startCloudflareFake({ insights: options.insights ?? [] }),
    startGithubFake({ owner: 'acme', repo: 'security', ...options.github }),
    // v2 with its signed URLs on *.blob.core.windows.net: the Azure SDK moves the archive both ways, as on a hosted runner.
    startCacheServiceFake({ protocol: options.cacheProtocol ?? 'v2', azureHost: true }),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'cf-insights-runner-'));
  const runnerTemp = join(dir, '_temp');
  const workspace = join(dir, 'workspace');
  const home = join(dir, 'home');
  const files = join(dir, '_runner_file_commands');
  for (const d of [runnerTemp, workspace, home, files]) mkdirSync(d, { recursive: true });
  const manifest = readActionManifest();
  const baseInputs: Record<string, string> = {
    'account-id': FAKE_ACCOUNT_ID,
    'api-token': FAKE_TOKEN,
    'monthly-request-budget': '1000',
  };

  const prepare = (opts: RunOptions = {}) => {
    const n = ++runCounter;
    const runId = opts.runId ?? String(7_000_000 + n);
    const job: JobFiles = {
      output: join(files, `set_output_${n}`),
      summary: join(files, `step_summary_${n}`),
      state: join(files, `save_state_${n}`),
      event: join(dir, `event_${n}.json`),
    };
    for (const f of [job.output, job.summary, job.state]) writeFileSync(f, '');
    const event = opts.schedule === null ? { inputs: {} } : { schedule: opts.schedule ?? DEFAULT_SCHEDULE };
    writeFileSync(job.event, JSON.stringify(event));

    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION: '__your-org_cf-insights',
      GITHUB_ACTION_PATH: REPO_ROOT,
      GITHUB_ACTOR: 'github-actions[bot]',
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_GRAPHQL_URL: `${gh.url}/graphql`,
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_REPOSITORY_OWNER: 'acme',
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_NUMBER: String(n),
      GITHUB_RUN_ATTEMPT: opts.runAttempt ?? '1',
      GITHUB_EVENT_NAME: opts.schedule === null ? 'workflow_dispatch' : 'schedule',
      GITHUB_EVENT_PATH: job.event,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: '0'.repeat(40),
      GITHUB_WORKFLOW: 'Cloudflare insights',
      GITHUB_JOB: 'insights',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: job.output,
      GITHUB_STEP_SUMMARY: job.summary,
      GITHUB_STATE: job.state,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: runnerTemp,
      RUNNER_TOOL_CACHE: join(dir, 'toolcache'),
      CLOUDFLARE_API_BASE_URL: cf.url,
    };
    if (opts.cache !== false) {
      for (const [name, value] of Object.entries(cache.env)) if (value !== undefined) env[name] = value;
    }
    const given = { ...baseInputs, ...opts.inputs };
    const context = { token: gh.token, repository: REPOSITORY };
    for (const input of manifest.inputs) {
      const value = given[input.name] ?? (input.default !== undefined ? resolveDefault(input.default, context) : '');
      env[inputVariable(input.name)] = value;
    }
    // Inputs action.yml does not declare: the runner passes them too (with a warning).
    for (const [name, value] of Object.entries(given)) {
      if (!manifest.inputs.some((i) => i.name === name)) env[inputVariable(name)] = value;
    }
    for (const [name, value] of Object.entries(opts.env ?? {})) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return { env, files: job };
  };

  return {
    cf,
    gh,
    cache,
    dir,
    runnerTemp,
    baseInputs,
    prepare,
    async run(opts = {}) {
      // The runner empties RUNNER_TEMP for every job.
      if (opts.freshTemp !== false) rmSync(runnerTemp, { recursive: true, force: true });
      mkdirSync(runnerTemp, { recursive: true });
      const { env, files: job } = prepare(opts);
      const before = { cloudflare: cf.requests.length, github: gh.requests.length, cache: cache.requests.length };
      const started = performance.now();
      const child = await spawnAction(env, workspace, opts.timeoutMs ?? 120_000);
      const wallMs = performance.now() - started;
      const outputsText = readFileSync(job.output, 'utf8');
      const outputs = parseOutputsFile(outputsText);
      const reportPath = outputs['report-file'];
      return {
        ...child,
        commands: parseWorkflowCommands(child.stdout),
        outputs,
        outputsText,
        summary: readFileSync(job.summary, 'utf8'),
        stateText: readFileSync(job.state, 'utf8'),
        tempFiles: readTree(runnerTemp),
        report: reportPath && existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : null,
        requests: {
          cloudflare: cf.requests.slice(before.cloudflare),
          github: gh.requests.slice(before.github),
          cache: cache.requests.slice(before.cache),
        },
        env,
        wallMs,
      };
    },
    async close() {
      await Promise.all([cf.close(), gh.close(), cache.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `node <dist>/index.js` with exactly this environment; resolves when it exits. */
export function spawnAction(
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const main = join(distDir(), 'index.js');
  if (!existsSync(main)) throw new Error(`no action bundle at ${main}: build one with \`node scripts/build.mjs /tmp/dist\` and set CF_INSIGHTS_DIST`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [main], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out[p.slice(root.length + 1)] = readFileSync(p).toString('latin1');
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

// ---------------------------------------------------------------------------------
// The archives @actions/cache uploads: a tar compressed with zstd (`zstdmt --long=30`)
// when the zstd binary is on PATH, else gzip (see @actions/cache lib/internal/tar.js).

const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** The files of a cache archive: path inside the tar -> content. */
export function unpackCacheArchive(archive: Buffer): Map<string, Buffer> {
  let tar: Buffer;
  if (archive.subarray(0, 4).equals(ZSTD_MAGIC)) {
    tar = execFileSync('zstd', ['-d', '--long=30', '-c'], { input: archive, maxBuffer: 256 * 1024 * 1024 });
  } else if (archive.subarray(0, 2).equals(GZIP_MAGIC)) {
    tar = execFileSync('gzip', ['-d', '-c'], { input: archive, maxBuffer: 256 * 1024 * 1024 });
  } else {
    throw new Error('cache archive is neither zstd nor gzip');
  }
  return readTar(tar);
}

/** A minimal ustar/GNU/pax reader: regular files only, long names honoured. */
export function readTar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | null = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const data = tar.subarray(offset + 512, offset + 512 + size);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0.*$/s, '');
    } else if (type === 'x') {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      longName = path ? path[1]! : null;
    } else {
      if (type === '0' || type === '7') files.set(name, Buffer.from(data));
      longName = null;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

// ---------------------------------------------------------------------------------
// Reading a run, and the insights the action tests share.

/** Every output name of action.yml, sorted. */
export const OUTPUT_NAMES = readActionManifest()
  .outputs.map((o) => o.name)
  .sort();

/** Annotations (`withTitle`: the action's per-insight ones) or plain command lines (the failure). */
export function annotations(run: ActionRun, command: string, withTitle: boolean): WorkflowCommand[] {
  return run.commands.filter((c) => c.command === command && 'title' in c.properties === withTitle);
}

/** The `issues` output, parsed. */
export function issuesOutput(run: ActionRun): { insight: string; issue: number | null; action: string }[] {
  return JSON.parse(run.outputs['issues'] ?? 'null') as { insight: string; issue: number | null; action: string }[];
}

/** The writes (anything but GET/HEAD) GitHub received during the run. */
export function githubWrites(run: ActionRun): GhRequest[] {
  return run.requests.github.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
}

/** The labels a first run would create, to make up front where a test is not about them (label writes are paced 1 s apart). */
export function labelsFor(list: Insight[]): { name: string }[] {
  const names = new Set(list.flatMap((i) => issueLabels(i, ['cloudflare-insight'])));
  return [...names].map((name) => ({ name }));
}

/** A Critical, a High and a Low insight of different types. */
export const SAMPLE = {
  critical: insight('a1b2c3d4-0000-4000-a000-000000000001', {
    severity: 'Critical',
    issue_class: 'dangling_dns_record',
    issue_type: 'exposed_infrastructure',
    subject: 'legacy.example.com',
  }),
  high: insight('a1b2c3d4-0000-4000-a000-000000000002', {
    severity: 'High',
    issue_class: 'users_without_mfa',
    issue_type: 'weak_authentication',
    subject: 'ops@example.com',
    payload: { user_email: 'ops@example.com', two_factor_enabled: false },
  }),
  low: insight('a1b2c3d4-0000-4000-a000-000000000003', {
    severity: 'Low',
    issue_class: 'hsts_not_enabled',
    issue_type: 'insecure_configuration',
    subject: 'www.example.com',
    payload: { setting: 'security_header' },
  }),
};
