/**
 * The example workflows in examples/: valid YAML whose every use of the action passes
 * only inputs action.yml declares, with least-privilege permissions, a concurrency group
 * so runs never overlap, schedules that fit the Free plan, and tokens from secrets.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseCliArgs } from '../../src/cli/args.js';
import { checkCron } from '../../src/config/cron.js';
import { fitSchedule } from '../../src/config/schedule.js';
import { PLAN_BUDGET } from '../../src/budget/plans.js';
import { parseSettings, type RawSettings } from '../../src/config/settings.js';
import { sarifAutomationId } from '../../src/report/sarif.js';
import { REPO_ROOT, readActionManifest } from '../support/action-runner.js';
import { SAMPLE_INVENTORY, runCli } from '../support/cli-runner.js';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean } | string;
  strategy?: { matrix?: { include?: Record<string, unknown>[] } };
  steps: Step[];
}
interface Workflow {
  name?: string;
  on: { schedule?: { cron: string }[]; workflow_dispatch?: unknown };
  permissions?: Record<string, string>;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean } | string;
  jobs: Record<string, Job>;
}

const EXAMPLES = join(REPO_ROOT, 'examples');
const ACTION = /^your-org\/cf-insights@v\d+$/;
const inputs = new Set(readActionManifest().inputs.map((i) => i.name));

function load(file: string): Workflow {
  return parseYaml(readFileSync(join(EXAMPLES, file), 'utf8')) as Workflow;
}

function actionSteps(wf: Workflow): { job: Job; step: Step }[] {
  return Object.values(wf.jobs).flatMap((job) => job.steps.filter((s) => ACTION.test(s.uses ?? '')).map((step) => ({ job, step })));
}

/** `${{ matrix.x }}` replaced by an include entry's values. */
function withMatrix(text: string, entry: Record<string, unknown>): string {
  return text.replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (_m, key: string) => String(entry[key] ?? `<no matrix.${key}>`));
}

/** What a runner would pass: expressions resolved to plausible values, action.yml defaults applied. */
function resolvedInputs(step: Step, entry: Record<string, unknown> = {}): RawSettings {
  const manifest = readActionManifest();
  const resolve = (text: string) =>
    withMatrix(text, entry).replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
      if (/^vars\.\w*ACCOUNT_ID\w*$/.test(expr)) return '0123456789abcdef0123456789abcdef';
      if (/^vars\./.test(expr)) return '12345';
      if (/^secrets(\.|\[)/.test(expr)) return 'secret-value';
      if (/^steps\.[\w-]+\.outputs\.token$/.test(expr)) return 'ghs_appToken';
      if (expr === 'github.token') return 'ghs_workflowToken';
      if (expr === 'github.repository') return 'your-org/infra';
      throw new Error(`unknown expression in an example: ${expr}`);
    });
  const raw: Record<string, string> = {};
  for (const input of manifest.inputs) {
    const given = step.with?.[input.name];
    const value = given !== undefined ? String(given) : input.default;
    if (value !== undefined && value.trim() !== '') raw[input.name] = resolve(value).trim();
  }
  return raw as RawSettings;
}

/** Every schedule valid for GitHub and within the Free plan's budget, and a manual trigger. */
function expectScheduledAndByHand(wf: Workflow): void {
  expect(wf.on.schedule?.length).toBeGreaterThan(0);
  for (const { cron } of wf.on.schedule!) {
    expect(checkCron(cron)).toEqual({ ok: true });
    expect(fitSchedule(cron, PLAN_BUDGET.free, null).fits).toBe(true);
  }
  expect('workflow_dispatch' in wf.on).toBe(true);
}

function groupOf(c: Workflow['concurrency']): string | undefined {
  return typeof c === 'string' ? c : c?.group;
}

describe.each(['daily.yml', 'private-repo.yml', 'matrix.yml'])('examples/%s', (file) => {
  const wf = load(file);

  it('runs on a schedule that GitHub accepts and that fits the Free plan, and by hand', () => expectScheduledAndByHand(wf));

  it('uses the action with declared inputs only, and the Cloudflare token from a secret', () => {
    const uses = actionSteps(wf);
    expect(uses.length).toBeGreaterThan(0);
    for (const { step } of uses) {
      const given = Object.keys(step.with ?? {});
      expect(given.filter((k) => !inputs.has(k))).toEqual([]);
      expect(String(step.with?.['api-token'])).toMatch(/^\$\{\{\s*secrets(\.|\[)/);
      expect(given).toContain('account-id');
    }
  });

  it('passes settings the action accepts (for every matrix entry)', () => {
    for (const { job, step } of actionSteps(wf)) {
      for (const entry of job.strategy?.matrix?.include ?? [{}]) {
        expect(() => parseSettings(resolvedInputs(step, entry), { cloudflare: true, github: true })).not.toThrow();
      }
    }
  });

  it('asks for no more than it needs, and runs never overlap nor get cancelled mid-write', () => {
    for (const [name, job] of Object.entries(wf.jobs)) {
      const permissions = job.permissions ?? wf.permissions;
      expect(permissions, name).toBeDefined();
      expect(permissions!['actions']).toBeUndefined();
      for (const [scope, level] of Object.entries(permissions!)) {
        if (level === 'write') expect(scope).toBe('issues');
      }
      const concurrency = job.concurrency ?? wf.concurrency;
      expect(groupOf(concurrency), name).toBeTruthy();
      if (typeof concurrency === 'object') expect(concurrency['cancel-in-progress']).not.toBe(true);
    }
  });
});

describe('the individual examples', () => {
  it('daily.yml: issues: write and contents: read for the workflow token', () => {
    const wf = load('daily.yml');
    expect(wf.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(actionSteps(wf)[0]!.step.with?.['github-token']).toBeUndefined();
  });

  it('private-repo.yml: another repository, written with a token that is not the workflow token', () => {
    const wf = load('private-repo.yml');
    const { job, step } = actionSteps(wf)[0]!;
    expect(String(step.with?.['repository'])).toMatch(/^[\w-]+\/[\w.-]+$/);
    const token = String(step.with?.['github-token']);
    expect(token).not.toMatch(/github\.token|secrets\.GITHUB_TOKEN/);
    // The token comes from an earlier step (a GitHub App token) or a secret.
    const fromStep = /steps\.([\w-]+)\.outputs\.token/.exec(token);
    if (fromStep) {
      const producer = job.steps.findIndex((s) => s.id === fromStep[1]);
      expect(producer).toBeGreaterThanOrEqual(0);
      expect(producer).toBeLessThan(job.steps.indexOf(step));
    } else {
      expect(token).toMatch(/secrets\./);
    }
    // The workflow token writes nothing.
    expect(Object.values(wf.permissions ?? {})).not.toContain('write');
  });

  it('matrix.yml: every account has its own labels and its own concurrency group', () => {
    const wf = load('matrix.yml');
    const { job, step } = actionSteps(wf)[0]!;
    const entries = job.strategy?.matrix?.include ?? [];
    expect(entries.length).toBeGreaterThanOrEqual(2);
    const labels = entries.map((e) =>
      withMatrix(String(step.with?.['labels'] ?? 'cloudflare-insight'), e)
        .split(/[\n,]/)
        .map((l) => l.trim())
        .filter(Boolean)
        .sort()
        .join(','),
    );
    expect(new Set(labels).size).toBe(entries.length);
    const groups = entries.map((e) => withMatrix(groupOf(job.concurrency) ?? '', e));
    expect(groups.every((g) => g !== '' && !g.includes('<no matrix'))).toBe(true);
    expect(new Set(groups).size).toBe(entries.length);
    // Every matrix value the step refers to exists in every entry.
    for (const e of entries) expect(withMatrix(JSON.stringify(step.with), e)).not.toContain('<no matrix');
  });

  it('there are no other examples than these', () => {
    expect(readdirSync(EXAMPLES).sort()).toEqual(['cf-insights.yaml', 'code-scanning.yml', 'daily.yml', 'matrix.yml', 'private-repo.yml']);
  });
});

describe("examples/code-scanning.yml: the CLI's SARIF report uploaded to code scanning", () => {
  const wf = load('code-scanning.yml');
  const job = Object.values(wf.jobs)[0]!;
  const steps = job.steps;
  const report = steps.find((s) => /dist\/cli\.js report\b/.test(s.run ?? ''))!;
  const upload = steps.find((s) => /^github\/codeql-action\/upload-sarif@v\d+$/.test(s.uses ?? ''))!;
  // `node <path>/dist/cli.js report ...` as the shell would split it (no quoting in the example).
  const [node, script, ...argv] = (report?.run ?? '').trim().split(/\s+/);

  it('runs on a schedule that GitHub accepts and that fits the Free plan, and by hand', () => expectScheduledAndByHand(wf));

  it('fetches no more often than Cloudflare rescans a Free account: every fetch can see a new scan', () => {
    for (const { cron } of wf.on.schedule!) expect(fitSchedule(cron, PLAN_BUDGET.free, null, { plan: 'free' }).scans.everyFetchUseful).toBe(true);
  });

  it('asks for security-events: write and nothing else to write; runs never overlap', () => {
    expect(wf.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    expect(job.permissions).toBeUndefined();
    expect(groupOf(wf.concurrency)).toBeTruthy();
    if (typeof wf.concurrency === 'object') expect(wf.concurrency['cancel-in-progress']).not.toBe(true);
  });

  it('runs cf-insights report with flags the CLI accepts: SARIF, a category, an output file', () => {
    expect(node).toBe('node');
    const args = parseCliArgs(argv);
    expect(args.command).toBe('report');
    expect(args.format).toBe('sarif');
    expect(() => sarifAutomationId(args.sarifCategory!)).not.toThrow();
    expect(args.output).toBeTruthy();
    // The CLI comes from the action's repository, checked out before it runs.
    const checkout = steps.find((s) => /^actions\/checkout@v\d+$/.test(s.uses ?? '') && s.with?.['repository'] !== undefined)!;
    expect(String(checkout.with?.['repository'])).toMatch(/^your-org\/cf-insights$/);
    expect(script).toBe(`${String(checkout.with?.['path'])}/dist/cli.js`);
    expect(steps.indexOf(checkout)).toBeLessThan(steps.indexOf(report));
  });

  it('the command, run on the sample inventory, writes a SARIF file with that category', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-insights-example-'));
    try {
      // The example's own flags, with the files in a temp folder and the sample instead of a fetch.
      const local = argv.map((a, i) => (argv[i - 1] === '--output' || argv[i - 1] === '--state' ? join(dir, a) : a));
      const run = await runCli([...local, '--from-file', SAMPLE_INVENTORY], { home: dir });
      expect(run.code, run.stderr).toBe(0);
      const log = JSON.parse(readFileSync(join(dir, parseCliArgs(argv).output!), 'utf8')) as {
        version: string;
        runs: { automationDetails?: { id: string } }[];
      };
      expect(log.version).toBe('2.1.0');
      expect(log.runs[0]!.automationDetails?.id).toBe(sarifAutomationId(parseCliArgs(argv).sarifCategory!));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the token comes from a secret through the environment, never the command line', () => {
    expect(report.env?.['CLOUDFLARE_API_TOKEN']).toMatch(/^\$\{\{\s*secrets\./);
    expect(report.env?.['CLOUDFLARE_ACCOUNT_ID']).toMatch(/^\$\{\{\s*vars\./);
    expect(report.run).not.toMatch(/secrets|token/i);
  });

  it('uploads the file the report wrote, after it, leaving the category to the SARIF', () => {
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.indexOf(report));
    expect(upload.with?.['sarif_file']).toBe(parseCliArgs(argv).output);
    // upload-sarif only fills a missing automationDetails: a category input here would be ignored.
    expect(upload.with?.['category']).toBeUndefined();
  });

  it('keeps the request ledger (the state file) from run to run in the Actions cache', () => {
    const restore = steps.find((s) => /^actions\/cache\/restore@v\d+$/.test(s.uses ?? ''))!;
    const save = steps.find((s) => /^actions\/cache\/save@v\d+$/.test(s.uses ?? ''))!;
    const state = parseCliArgs(argv).statePath!;
    const path = String(restore.with?.['path']);
    expect(state.startsWith(`${path}/`)).toBe(true);
    expect(save.with?.['path']).toBe(path);
    expect(save.with?.['key']).toBe(restore.with?.['key']);
    // One immutable entry per run (a key is never saved twice), the newest restored by prefix.
    expect(String(restore.with?.['key'])).toMatch(/github\.run_id.*github\.run_attempt/);
    expect(String(restore.with?.['key']).startsWith(String(restore.with?.['restore-keys']))).toBe(true);
    expect(steps.indexOf(restore)).toBeLessThan(steps.indexOf(report));
    expect(steps.indexOf(save)).toBeGreaterThan(steps.indexOf(report));
    expect(save.if).toMatch(/always\(\)/);
  });
});
