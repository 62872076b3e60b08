/**
 * The example workflows in examples/: valid YAML whose every use of the action passes
 * only inputs action.yml declares, with least-privilege permissions, a concurrency group
 * so runs never overlap, schedules that fit the Free plan, and tokens from secrets.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { checkCron } from '../src/config/cron.js';
import { fitSchedule } from '../src/config/schedule.js';
import { PLAN_BUDGET, parseSettings, type RawSettings } from '../src/config/settings.js';
import { REPO_ROOT, readActionManifest } from './support/action-runner.js';

interface Step {
  id?: string;
  uses?: string;
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

function groupOf(c: Workflow['concurrency']): string | undefined {
  return typeof c === 'string' ? c : c?.group;
}

describe.each(['daily.yml', 'private-repo.yml', 'matrix.yml'])('examples/%s', (file) => {
  const wf = load(file);

  it('runs on a schedule that GitHub accepts and that fits the Free plan, and by hand', () => {
    expect(wf.on.schedule?.length).toBeGreaterThan(0);
    for (const { cron } of wf.on.schedule!) {
      expect(checkCron(cron)).toEqual({ ok: true });
      expect(fitSchedule(cron, PLAN_BUDGET.free, null).fits).toBe(true);
    }
    expect('workflow_dispatch' in wf.on).toBe(true);
  });

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
    const labels = entries.map((e) => withMatrix(String(step.with?.['labels'] ?? 'cloudflare-insight'), e).split(/[\n,]/).map((l) => l.trim()).filter(Boolean).sort().join(','));
    expect(new Set(labels).size).toBe(entries.length);
    const groups = entries.map((e) => withMatrix(groupOf(job.concurrency) ?? '', e));
    expect(groups.every((g) => g !== '' && !g.includes('<no matrix'))).toBe(true);
    expect(new Set(groups).size).toBe(entries.length);
    // Every matrix value the step refers to exists in every entry.
    for (const e of entries) expect(withMatrix(JSON.stringify(step.with), e)).not.toContain('<no matrix');
  });

  it('there are no other example workflows than these (cf-insights.yaml is the CLI\'s config, tested in cli-conventions)', () => {
    expect(readdirSync(EXAMPLES).sort()).toEqual(['cf-insights.yaml', 'daily.yml', 'matrix.yml', 'private-repo.yml']);
  });
});
