/**
 * `cf-insights quota`: the month's ledger from the state file, the runs a month and the
 * projected requests of a cron from the last known inventory size, how many of its
 * fetches can see a new scan (the plan's scan cadence), and the advice of the densest
 * schedule that is useful and fits. No request, no write.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyState, serializeState } from '../../src/state/document.js';
import { runCli } from '../support/cli-runner.js';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const OTHER = 'fedcba9876543210fedcba9876543210';
const NOW = new Date('2026-06-10T12:30:00Z');
const HOURLY = '0 * * * *';
const EVERY_8_HOURS = '0 */8 * * *';
const DAILY = '0 6 * * *';
const TWICE_A_WEEK = '0 6 * * 1,4';
const WEEKLY = '0 6 * * 1';

interface QuotaJson {
  plan: string;
  budget: number;
  month: string;
  used: number;
  remaining: number;
  resetDate: string;
  scope: string | null;
  stateFile: string | null;
  lastInventorySize: number | null;
  schedule: {
    cron: string;
    runsPerMonth: number;
    requestsPerRun: number;
    projected: number;
    fits: boolean;
    scans: { plan: string; everyDays: number; scansPerMonth: number; fetchesSeeingNewScan: number; everyFetchUseful: boolean };
    advice: { cron: string; words: string; runsPerMonth: number; projected: number; useful: boolean } | null;
    densestFit: { cron: string; words: string; runsPerMonth: number; projected: number; useful: boolean } | null;
    runsUntilReset: number;
    projectedUntilReset: number;
    fitsUntilReset: boolean;
  } | null;
}

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cf-insights-cli-quota-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function writeState(path: string, opts: { scope?: string; used?: number; month?: string; size?: number | null } = {}): string {
  const doc = emptyState({ scope: opts.scope ?? `accounts/${ACCOUNT}`, filters: 'sig', now: NOW });
  doc.quota = { month: opts.month ?? '2026-06', used: opts.used ?? 0 };
  doc.lastInventorySize = opts.size ?? null;
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, serializeState(doc));
  return path;
}

async function quota(argv: string[]): Promise<{ code: number; json: QuotaJson; stderr: string }> {
  const run = await runCli(['quota', '--json', ...argv], { home, now: () => NOW });
  expect(run.code, run.stderr).toBe(0);
  return { code: run.code, json: JSON.parse(run.stdout) as QuotaJson, stderr: run.stderr };
}

describe('quota: schedules against the free and enterprise budgets', () => {
  // runs: in the longest month (31 days); requests a run: 1 per 1,000 insights, at least 1.
  // advice: the densest schedule that fits and whose every fetch can see a new scan (Free is
  // rescanned every 7 days, Enterprise daily); densest: the densest that fits, useful or not.
  const cases: { cron: string; plan: string; size: number | null; runs: number; perRun: number; fits: boolean; advice: string; densest: string }[] = [
    { cron: HOURLY, plan: 'free', size: null, runs: 744, perRun: 1, fits: false, advice: WEEKLY, densest: EVERY_8_HOURS },
    { cron: EVERY_8_HOURS, plan: 'free', size: null, runs: 93, perRun: 1, fits: true, advice: WEEKLY, densest: EVERY_8_HOURS },
    { cron: DAILY, plan: 'free', size: null, runs: 31, perRun: 1, fits: true, advice: WEEKLY, densest: EVERY_8_HOURS },
    { cron: HOURLY, plan: 'enterprise', size: null, runs: 744, perRun: 1, fits: true, advice: DAILY, densest: HOURLY },
    { cron: EVERY_8_HOURS, plan: 'enterprise', size: null, runs: 93, perRun: 1, fits: true, advice: DAILY, densest: HOURLY },
    { cron: DAILY, plan: 'enterprise', size: null, runs: 31, perRun: 1, fits: true, advice: DAILY, densest: HOURLY },
    // 2,500 insights: 3 requests a run.
    { cron: HOURLY, plan: 'free', size: 2500, runs: 744, perRun: 3, fits: false, advice: WEEKLY, densest: DAILY },
    { cron: EVERY_8_HOURS, plan: 'free', size: 2500, runs: 93, perRun: 3, fits: false, advice: WEEKLY, densest: DAILY },
    { cron: DAILY, plan: 'free', size: 2500, runs: 31, perRun: 3, fits: true, advice: WEEKLY, densest: DAILY },
    { cron: HOURLY, plan: 'enterprise', size: 2500, runs: 744, perRun: 3, fits: true, advice: DAILY, densest: HOURLY },
    // 5,000 insights: 5 requests a run.
    { cron: HOURLY, plan: 'enterprise', size: 5000, runs: 744, perRun: 5, fits: false, advice: DAILY, densest: '0 */2 * * *' },
    { cron: DAILY, plan: 'free', size: 5000, runs: 31, perRun: 5, fits: false, advice: WEEKLY, densest: '0 6 */2 * *' },
    // Pro and Business: rescanned every 3 days, 100 requests.
    { cron: DAILY, plan: 'pro', size: null, runs: 31, perRun: 1, fits: true, advice: TWICE_A_WEEK, densest: EVERY_8_HOURS },
    { cron: HOURLY, plan: 'business', size: null, runs: 744, perRun: 1, fits: false, advice: TWICE_A_WEEK, densest: EVERY_8_HOURS },
  ];
  for (const c of cases) {
    it(`"${c.cron}" on ${c.plan} with ${c.size ?? 'an unknown number of'} insights: ${c.runs} x ${c.perRun}, ${c.fits ? 'fits' : 'over'}, advice "${c.advice}"`, async () => {
      const state = writeState(join(home, 'state.json'), { size: c.size });
      const { json } = await quota(['--plan', c.plan, '--cron', c.cron, '--state', state]);
      expect(json.budget).toBe(c.plan === 'enterprise' ? 2500 : 100);
      expect(json.lastInventorySize).toBe(c.size);
      expect(json.schedule).toMatchObject({ cron: c.cron, runsPerMonth: c.runs, requestsPerRun: c.perRun, projected: c.runs * c.perRun, fits: c.fits });
      expect(json.schedule!.advice).toMatchObject({ cron: c.advice, useful: true });
      expect(json.schedule!.advice!.projected).toBeLessThanOrEqual(json.budget);
      expect(json.schedule!.densestFit!.cron).toBe(c.densest);
    });
  }

  it.each([
    ['free', HOURLY, 7, 4.4, 4.4, false],
    ['free', DAILY, 7, 4.4, 4.4, false],
    ['free', WEEKLY, 7, 4.4, 5, true],
    ['pro', DAILY, 3, 10.3, 10.3, false],
    ['business', TWICE_A_WEEK, 3, 10.3, 9, true],
    ['enterprise', HOURLY, 1, 31, 31, false],
    ['enterprise', DAILY, 1, 31, 31, true],
  ])(
    '%s, "%s": rescanned every %i days (%d scans a month), %d fetches a month can see a new scan, every one: %s',
    async (plan, cron, days, scans, seeing, every) => {
      const { json } = await quota(['--plan', plan, '--cron', cron]);
      expect(json.schedule!.scans).toEqual({ plan, everyDays: days, scansPerMonth: scans, fetchesSeeingNewScan: seeing, everyFetchUseful: every });
    },
  );

  it('says it in words: the projection, the fetches that can see a new scan, and the schedule to use', async () => {
    const state = writeState(join(home, 'state.json'), { used: 37, size: 2500 });
    const run = await runCli(['quota', '--cron', HOURLY, '--state', state], { home, now: () => NOW });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `Plan free: 100 requests a month (accounts/${ACCOUNT}).`,
        'This month (2026-06): 37 used, 63 left; resets 2026-07-01.',
        'Schedule "0 * * * *": 744 runs a month x 3 requests a run (last inventory: 2500 insights) = 2232 projected.',
        'The schedule "0 * * * *" runs about 744 times a month and needs about 2232 requests, over the budget of 100. Cloudflare rescans a Free account every 7 days (about 4.4 scans a month): about 4.4 of its 744 fetches a month can see a new scan. A schedule that fits: "0 6 * * 1" (weekly, about 15 requests), the densest whose every fetch can see a new scan.',
        'Until the reset: 491 more runs, about 1473 requests, over the 63 left.',
        '',
      ].join('\n'),
    );
    const fits = await runCli(['quota', '--cron', DAILY, '--state', state, '--plan', 'enterprise'], { home, now: () => NOW });
    expect(fits.stdout).toMatch(
      /^The schedule "0 6 \* \* \*" runs about 31 times a month, 93 of 2500 requests\. Cloudflare rescans an Enterprise account daily \(about 31 scans a month\): each of its fetches can see a new scan\.$/m,
    );
    const wasteful = await runCli(['quota', '--cron', DAILY, '--state', state, '--plan', 'pro'], { home, now: () => NOW });
    expect(wasteful.stdout).toMatch(
      /^The schedule "0 6 \* \* \*" runs about 31 times a month, 93 of 100 requests\. Cloudflare rescans a Pro account every 3 days \(about 10\.3 scans a month\): about 10\.3 of its 31 fetches a month can see a new scan\. A useful schedule: "0 6 \* \* 1,4" \(twice a week, about 27 requests\), the densest whose every fetch can see a new scan\.$/m,
    );
    expect(fits.stdout).toMatch(/^Until the reset: 20 more runs, about 60 requests, within the 2463 left\.$/m);
  });
});

describe('quota: the ledger', () => {
  it("used, left and reset from --state FILE alone (the file's own scope)", async () => {
    const state = writeState(join(home, 'any-name.json'), { scope: `zones/${OTHER}`, used: 12 });
    const { json, stderr } = await quota(['--state', state]);
    expect(json).toMatchObject({
      used: 12,
      remaining: 88,
      month: '2026-06',
      resetDate: '2026-07-01',
      scope: `zones/${OTHER}`,
      stateFile: state,
      schedule: null,
    });
    expect(stderr).toBe('');
  });

  it('reads the default state file of --account-id', async () => {
    writeState(join(home, 'state', 'cf-insights', `accounts-${ACCOUNT}.json`), { used: 99 });
    const { json } = await quota(['--account-id', ACCOUNT, '--budget', '150']);
    expect(json).toMatchObject({ used: 99, remaining: 51, budget: 150, scope: `accounts/${ACCOUNT}` });
  });

  it('a ledger of an earlier month counts as nothing used', async () => {
    const state = writeState(join(home, 's.json'), { used: 80, month: '2026-05' });
    const { json } = await quota(['--state', state]);
    expect(json).toMatchObject({ used: 0, remaining: 100, month: '2026-06' });
  });

  it('a state file of another account than --account-id is not used, with a warning', async () => {
    const state = writeState(join(home, 's.json'), { scope: `accounts/${OTHER}`, used: 50 });
    const { json, stderr } = await quota(['--state', state, '--account-id', ACCOUNT]);
    expect(json.used).toBe(0);
    expect(stderr).toMatch(/^warning: Ignoring saved state .*belongs to accounts\/fedcba9876543210fedcba9876543210/m);
  });

  it('without a state: the budget alone, and a note why', async () => {
    const none = await runCli(['quota', '--plan', 'enterprise'], { home, now: () => NOW });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^This month \(2026-06\): 0 used, 2500 left; resets 2026-07-01\.$/m);
    expect(none.stderr).toMatch(/No --account-id, --zone-id or --state given/);
    const missing = await runCli(['quota', '--state', join(home, 'missing.json')], { home, now: () => NOW });
    expect(missing.code).toBe(0);
    expect(missing.stderr).toMatch(/No saved state at .*missing\.json yet/);
    expect(existsSync(join(home, 'missing.json'))).toBe(false);
  });

  it('an unreadable state file: a warning, the budget still shown, the file untouched', async () => {
    const state = join(home, 'broken.json');
    writeFileSync(state, '{"version": 2, "scope": ');
    const run = await runCli(['quota', '--state', state], { home, now: () => NOW });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^warning: Ignoring saved state .*not valid JSON/m);
    expect(readFileSync(state, 'utf8')).toBe('{"version": 2, "scope": ');
  });

  it('--json fields', async () => {
    const state = writeState(join(home, 's.json'), { size: 10 });
    const { json } = await quota(['--state', state, '--cron', DAILY]);
    expect(Object.keys(json)).toEqual(['plan', 'budget', 'month', 'used', 'remaining', 'resetDate', 'scope', 'stateFile', 'lastInventorySize', 'schedule']);
    expect(Object.keys(json.schedule!)).toEqual([
      'cron',
      'runsPerMonth',
      'requestsPerRun',
      'projected',
      'fits',
      'scans',
      'advice',
      'densestFit',
      'runsUntilReset',
      'projectedUntilReset',
      'fitsUntilReset',
    ]);
    expect(Object.keys(json.schedule!.scans)).toEqual(['plan', 'everyDays', 'scansPerMonth', 'fetchesSeeingNewScan', 'everyFetchUseful']);
    expect(Object.keys(json.schedule!.advice!)).toEqual(['cron', 'words', 'runsPerMonth', 'projected', 'useful']);
    expect(json.schedule).toMatchObject({ runsUntilReset: 20, projectedUntilReset: 20, fitsUntilReset: true });
  });

  it('bad input: exit 2', async () => {
    for (const [argv, message] of [
      [['quota', '--cron', '0 0 * *'], /Invalid --cron "0 0 \* \*": it has 4 fields/],
      [['quota', '--cron', '*/1 * * * * *'], /it has 6 fields/],
      [['quota', '--plan', 'platinum'], /Invalid --plan "platinum"/],
      [['quota', '--budget=-3'], /Invalid --budget "-3": use a whole number/],
      [['quota', '--budget', '-3'], /^error: --budget needs a value \(one that starts with a dash is written --budget=VALUE\)/],
      [['quota', '--cron'], /^error: --cron needs a value: a cron expression such as "0 6 \* \* \*"\./],
      [['quota', '--severity', 'high'], /--severity is not a flag of cf-insights quota/],
    ] as [string[], RegExp][]) {
      const run = await runCli(argv, { home, now: () => NOW });
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toMatch(message);
    }
  });
});
