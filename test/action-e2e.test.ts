/**
 * The action end to end, as a runner runs it: `node dist/index.js` in a child process
 * with the runner's environment, against the Cloudflare, GitHub and cache-service fakes
 * (see test/support/action-runner.ts). Set CF_INSIGHTS_DIST to test a private build.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitSchedule } from '../src/config/schedule.js';
import type { Insight } from '../src/insights/types.js';
import { FAKE_ACCOUNT_ID, FAKE_EMAIL, FAKE_KEY, FAKE_TOKEN } from './fakes/cloudflare.js';
import {
  readActionManifest,
  startActionWorld,
  unpackCacheArchive,
  type ActionRun,
  type ActionWorld,
} from './support/action-runner.js';
import { insight } from './support/insights.js';

const RUN_TIMEOUT = 90_000;
const OUTPUT_NAMES = readActionManifest().outputs.map((o) => o.name);

const critical = insight('a1b2c3d4-0000-4000-a000-000000000001', {
  severity: 'Critical',
  issue_class: 'dangling_dns_record',
  issue_type: 'exposed_infrastructure',
  subject: 'legacy.example.com',
});
const high = insight('a1b2c3d4-0000-4000-a000-000000000002', {
  severity: 'High',
  issue_class: 'users_without_mfa',
  issue_type: 'weak_authentication',
  subject: 'ops@example.com',
  payload: { user_email: 'ops@example.com', two_factor_enabled: false },
});
const low = insight('a1b2c3d4-0000-4000-a000-000000000003', {
  severity: 'Low',
  issue_class: 'hsts_not_enabled',
  issue_type: 'insecure_configuration',
  subject: 'www.example.com',
  payload: { setting: 'security_header' },
});

/** Labels a first run would create, made up front where a test is not about them (each write is paced 1 s apart). */
function labelsFor(list: Insight[]) {
  const names = new Set(['cloudflare-insight']);
  for (const i of list) {
    names.add(`severity:${String(i.severity).toLowerCase()}`);
    names.add(`type:${String(i.issue_type)}`);
  }
  return [...names].map((name) => ({ name }));
}

function annotations(run: ActionRun, command: string, withTitle: boolean) {
  return run.commands.filter((c) => c.command === command && ('title' in c.properties) === withTitle);
}

function issuesOutput(run: ActionRun): { insight: string; issue: number | null; action: string }[] {
  return JSON.parse(run.outputs['issues'] ?? 'null') as { insight: string; issue: number | null; action: string }[];
}

function writesOf(run: ActionRun) {
  return run.requests.github.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
}

function expectEveryOutput(run: ActionRun) {
  expect(Object.keys(run.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
}

describe('three scheduled runs in a row', () => {
  let world: ActionWorld;
  const runs: ActionRun[] = [];
  const numbers = new Map<string, number>();

  beforeAll(async () => {
    world = await startActionWorld({ insights: [critical, high, low] });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('first run: opens one issue per insight, annotates the new Critical and High, and fails on the Critical', async () => {
    const run = await world.run();
    runs.push(run);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);

    expectEveryOutput(run);
    expect(run.outputs).toMatchObject({
      total: '3',
      new: '3',
      updated: '0',
      resolved: '0',
      reopened: '0',
      'pending-writes': '0',
      'max-severity': 'Critical',
      'threshold-breached': 'true',
      'requests-used': '1',
      'requests-remaining': '999',
      'state-saved': 'true',
    });
    const issues = issuesOutput(run);
    expect(issues.map((i) => [i.insight, i.action]).sort()).toEqual([
      [critical.id, 'created'],
      [high.id, 'created'],
      [low.id, 'created'],
    ]);
    // The issue numbers of the output are the issues GitHub holds for these insights.
    const byMarker = world.gh.byMarkerId();
    for (const i of issues) {
      expect(byMarker.get(i.insight)?.map((x) => x.number)).toEqual([i.issue]);
      numbers.set(i.insight, i.issue!);
    }
    expect(world.gh.openIssues()).toHaveLength(3);

    // The report file: under RUNNER_TEMP, JSON, with what the run did.
    expect(run.outputs['report-file']!.startsWith(`${world.runnerTemp}/`)).toBe(true);
    const report = JSON.parse(run.report!) as { total: number; new: string[]; threshold: { breached: boolean; breaching: string[] } };
    expect(report.total).toBe(3);
    expect(report.new.sort()).toEqual([critical.id, high.id, low.id].sort());
    expect(report.threshold).toEqual({ breached: true, breaching: [critical.id] });

    // Annotations: one error for the new Critical, one warning for the new High, none for the Low;
    // then the failure itself, one line listing the breaching insight.
    const errors = annotations(run, 'error', true);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('Critical');
    expect(errors[0]!.message).toContain('legacy.example.com');
    const warnings = annotations(run, 'warning', true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('ops@example.com');
    const failures = annotations(run, 'error', false);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toMatch(/Critical/);
    expect(failures[0]!.message).toContain('legacy.example.com');
    expect(failures[0]!.message).not.toContain('ops@example.com');

    // The job summary: counts, links to the issues, the quota, the threshold verdict.
    expect(run.summary).toContain('3 active insights');
    expect(run.summary).toMatch(/Critical: 1\b/);
    expect(run.summary).toMatch(/High: 1\b/);
    expect(run.summary).toMatch(/Low: 1\b/);
    expect(run.summary).toMatch(/3 opened/);
    for (const n of numbers.values()) expect(run.summary).toContain(`(https://github.com/acme/security/issues/${n})`);
    expect(run.summary).toMatch(/1 used, 999 left of 1000/);
    expect(run.summary).toMatch(/Threshold breached/);

    // What each service saw.
    expect(run.requests.cloudflare).toHaveLength(1);
    const cf = run.requests.cloudflare[0]!;
    expect(cf.path).toBe(`/client/v4/accounts/${FAKE_ACCOUNT_ID}/security-center/insights`);
    expect(cf.headers['authorization']).toBe(`Bearer ${FAKE_TOKEN}`);
    expect(run.requests.github[0]).toMatchObject({ method: 'GET', path: '/repos/acme/security/issues' });
    expect(writesOf(run).filter((r) => r.path === '/repos/acme/security/issues' && r.method === 'POST')).toHaveLength(3);
    expect(writesOf(run).every((r) => r.path === '/repos/acme/security/issues' || r.path === '/repos/acme/security/labels')).toBe(true);
    // The cache: a miss, then one entry saved under <state-key>-<run id>-<attempt>.
    expect(run.requests.cache[0]).toMatchObject({ method: 'GET', status: 204 });
    const committed = world.cache.entries.filter((e) => e.committed);
    expect(committed).toHaveLength(1);
    expect(committed[0]!.key).toMatch(new RegExp(`^cf-insights-accounts-${FAKE_ACCOUNT_ID}-[0-9a-f]{12}-${run.env['GITHUB_RUN_ID']}-1$`));
  }, RUN_TIMEOUT);

  it('second run: quiet, with the state restored from the cache (1 Cloudflare request, one GitHub listing, no write)', async () => {
    expect(runs).toHaveLength(1);
    const run = await world.run();
    runs.push(run);
    expect(run.stderr).toBe('');

    // The restore: a hit, then the archive download.
    expect(run.requests.cache.slice(0, 2)).toMatchObject([
      { method: 'GET', status: 200 },
      { method: 'GET', path: '/archives/1', status: 200 },
    ]);
    expect(run.stdout).not.toMatch(/first run/);
    // The ledger came back with it: this month's second request.
    expect(run.outputs['requests-used']).toBe('2');

    expect(run.requests.cloudflare).toHaveLength(1);
    expect(run.requests.github.length).toBeLessThanOrEqual(1);
    expect(writesOf(run)).toEqual([]);
    expect(world.gh.openIssues()).toHaveLength(3);

    expectEveryOutput(run);
    expect(run.outputs).toMatchObject({
      total: '3',
      new: '0',
      updated: '0',
      resolved: '0',
      reopened: '0',
      'pending-writes': '0',
      'max-severity': 'Critical',
      'state-saved': 'true',
      issues: '[]',
    });
    // The Critical's issue is still open: untriaged, so the run still fails, but nothing is new to annotate.
    expect(run.outputs['threshold-breached']).toBe('true');
    expect(run.code).toBe(1);
    expect(annotations(run, 'error', true)).toEqual([]);
    expect(annotations(run, 'warning', true)).toEqual([]);
    expect(run.summary).toMatch(/0 opened, 0 updated, 0 closed, 0 reopened/);
  }, RUN_TIMEOUT);

  it('third run: the Critical is resolved in Cloudflare, its issue is closed as completed and the run passes', async () => {
    expect(runs).toHaveLength(2);
    world.cf.setInsights([high, low]);
    const run = await world.run();
    runs.push(run);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    expectEveryOutput(run);
    expect(run.outputs).toMatchObject({
      total: '2',
      new: '0',
      updated: '0',
      resolved: '1',
      reopened: '0',
      'pending-writes': '0',
      'max-severity': 'High',
      'threshold-breached': 'false',
      'requests-used': '3',
      'requests-remaining': '997',
      'state-saved': 'true',
    });
    const closedNumber = numbers.get(critical.id)!;
    expect(issuesOutput(run)).toEqual([{ insight: critical.id, issue: closedNumber, action: 'resolved' }]);

    const closed = world.gh.issue(closedNumber)!;
    expect(closed.state).toBe('closed');
    expect(closed.state_reason).toBe('completed');
    expect(world.gh.commentsOn(closedNumber)).toHaveLength(1);
    expect(world.gh.openIssues().map((i) => i.number).sort()).toEqual([numbers.get(high.id), numbers.get(low.id)].sort());
    // Every write touched that issue only.
    const writes = writesOf(run);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((w) => w.path.startsWith(`/repos/acme/security/issues/${closedNumber}`))).toBe(true);
    expect(run.requests.cloudflare).toHaveLength(1);

    expect(run.summary).toMatch(/0 opened, 0 updated, 1 closed, 0 reopened/);
    expect(run.summary).toContain(`(https://github.com/acme/security/issues/${closedNumber})`);
    expect(run.summary).toMatch(/3 used, 997 left of 1000/);
    expect(run.summary).not.toMatch(/Threshold breached/);
    expect(annotations(run, 'error', false)).toEqual([]);
  }, RUN_TIMEOUT);

  it('secrets: neither token is in stdout (but for the mask command), stderr, outputs, summary, report, RUNNER_TEMP, the cache archives or the issues', async () => {
    expect(runs).toHaveLength(3);
    // A fourth run with the legacy key pair instead of the token.
    const keyRun = await world.run({ inputs: { 'api-token': '', 'api-email': FAKE_EMAIL, 'api-key': FAKE_KEY } });
    expect(keyRun.code).toBe(0);
    expect(keyRun.requests.cloudflare[0]!.headers['x-auth-key']).toBe(FAKE_KEY);
    const all = [...runs, keyRun];
    const secrets = [FAKE_TOKEN, world.gh.token, FAKE_KEY];

    for (const run of all) {
      // The mask commands come first, before anything could print a secret, and are the only place they appear.
      const lines = run.stdout.split('\n');
      const leading = lines.findIndex((l) => !l.startsWith('::add-mask::'));
      const masks = lines.slice(0, leading).map((l) => l.slice('::add-mask::'.length));
      expect(masks).toContain(world.gh.token);
      expect(masks).toContain(run === keyRun ? FAKE_KEY : FAKE_TOKEN);
      const printed = lines.filter((l) => !l.startsWith('::add-mask::')).join('\n');
      const places: Record<string, string> = {
        stdout: printed,
        stderr: run.stderr,
        outputs: run.outputsText,
        summary: run.summary,
        report: run.report ?? '',
        state: run.stateText,
        ...Object.fromEntries(Object.entries(run.tempFiles).map(([path, text]) => [`RUNNER_TEMP/${path}`, text])),
      };
      expect(Object.keys(places).some((p) => p.endsWith('state.json'))).toBe(true);
      for (const [place, text] of Object.entries(places)) {
        for (const secret of secrets) expect({ place, leaked: text.includes(secret) }).toEqual({ place, leaked: false });
      }
    }

    // Every archive the cache fake holds, unpacked: it holds the state, and no secret.
    const committed = world.cache.entries.filter((e) => e.committed);
    expect(committed).toHaveLength(4);
    for (const entry of committed) {
      const files = unpackCacheArchive(entry.data);
      const state = [...files.entries()].find(([path]) => path.endsWith('/state.json'));
      expect(state, entry.key).toBeDefined();
      const text = state![1].toString('utf8');
      expect(JSON.parse(text)).toHaveProperty(['insights', high.id]);
      for (const content of files.values()) {
        for (const secret of secrets) expect(content.includes(secret)).toBe(false);
      }
    }

    // What GitHub received to publish.
    const published = [
      ...world.gh.issues.flatMap((i) => [i.title, i.body ?? '', ...i.labels]),
      ...world.gh.comments.map((c) => c.body),
    ].join('\n');
    for (const secret of secrets) expect(published.includes(secret)).toBe(false);
  }, RUN_TIMEOUT);
});

describe.concurrent('other paths of a run', () => {
  it('dry run: plans and reports, writes nothing to GitHub, and a real run afterwards opens every issue', async () => {
    const world = await startActionWorld({ insights: [high, low] });
    try {
      const dry = await world.run({ inputs: { 'dry-run': 'true' } });
      expect(dry.stderr).toBe('');
      expect(dry.code).toBe(0);
      expect(writesOf(dry)).toEqual([]);
      expect(world.gh.issues).toEqual([]);
      expect(world.gh.labels).toEqual([]);
      expectEveryOutput(dry);
      expect(dry.outputs).toMatchObject({ total: '2', new: '2', updated: '0', resolved: '0', 'threshold-breached': 'false' });
      expect(issuesOutput(dry)).toEqual(
        expect.arrayContaining([
          { insight: high.id, issue: null, action: 'pending' },
          { insight: low.id, issue: null, action: 'pending' },
        ]),
      );
      expect(dry.stdout).toMatch(/Plan: 2 issues to write/);
      expect(dry.summary).toMatch(/Dry run/);
      expect(dry.summary).not.toMatch(/over max-issue-writes/);

      // Nothing the dry run kept makes the real run believe the issues exist.
      const real = await world.run();
      expect(real.code).toBe(0);
      expect(real.outputs['issues']).toMatch(/"action":"created"/);
      expect(issuesOutput(real).map((i) => i.action)).toEqual(['created', 'created']);
      expect(world.gh.ours()).toHaveLength(2);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);

  it('an hourly schedule on the Free plan warns and names a schedule that fits; a daily one does not', async () => {
    const world = await startActionWorld({ insights: [low], github: { labels: labelsFor([low]) } });
    try {
      const free = { plan: 'free', 'monthly-request-budget': '' };
      const hourly = await world.run({ inputs: free, schedule: '0 * * * *' });
      expect(hourly.code).toBe(0);
      const warnings = hourly.commands.filter((c) => c.command === 'warning');
      expect(warnings).toHaveLength(1);
      const text = warnings[0]!.message;
      expect(text).toContain('"0 * * * *"');
      expect(text).toMatch(/\b744\b/);
      expect(text).toMatch(/\b100\b/);
      const advice = /schedule that fits: "([^"]+)"/.exec(text);
      expect(advice).not.toBeNull();
      const fit = fitSchedule(advice![1]!, 100, null);
      expect(fit.fits).toBe(true);
      expect(hourly.outputs['requests-remaining']).toBe('99');

      const daily = await world.run({ inputs: free, schedule: '0 6 * * *' });
      expect(daily.code).toBe(0);
      expect(daily.commands.filter((c) => c.command === 'warning')).toEqual([]);
      // The cron input wins over the event's schedule.
      const given = await world.run({ inputs: { ...free, cron: '*/30 * * * *' }, schedule: '0 6 * * *' });
      expect(given.commands.filter((c) => c.command === 'warning').map((c) => c.message).join('\n')).toContain('"*/30 * * * *"');
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);

  it('without ACTIONS_CACHE_URL: a stateless run with a notice, and the second run opens no duplicate', async () => {
    const world = await startActionWorld({ insights: [high, low], github: { labels: labelsFor([high, low]) } });
    try {
      const noCache = { ACTIONS_CACHE_URL: undefined };
      const first = await world.run({ env: noCache });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const notices = first.commands.filter((c) => c.command === 'notice');
      expect(notices).toHaveLength(1);
      expect(notices[0]!.message).toMatch(/Actions cache unavailable/);
      expect(notices[0]!.message).toContain('ACTIONS_CACHE_URL');
      // Not a warning: nothing failed (the High insight's annotation is the only one).
      expect(annotations(first, 'warning', false)).toEqual([]);
      expect(first.outputs['state-saved']).toBe('false');
      expect(first.summary).toMatch(/State not saved.*ACTIONS\\?_CACHE\\?_URL/);
      expect(first.outputs['new']).toBe('2');
      expect(world.gh.ours()).toHaveLength(2);

      const second = await world.run({ env: noCache });
      expect(second.code).toBe(0);
      expect(second.outputs).toMatchObject({ 'state-saved': 'false', new: '0', issues: '[]' });
      expect(writesOf(second)).toEqual([]);
      expect(world.gh.ours()).toHaveLength(2);
      expect([...world.gh.byMarkerId().values()].every((list) => list.length === 1)).toBe(true);
      // The cache service was never asked.
      expect(world.cache.requests).toEqual([]);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);

  it('remote failures: one error line each, nothing written, and the spent Cloudflare requests still counted', async () => {
    const world = await startActionWorld({ insights: [low], github: { labels: labelsFor([low]) } });
    try {
      const cf = await world.run({ inputs: { 'api-token': 'cf-revoked-token-0000' } });
      expect(cf.code).toBe(1);
      const cfErrors = cf.commands.filter((c) => c.command === 'error');
      expect(cfErrors).toHaveLength(1);
      expect(cfErrors[0]!.message).toMatch(/Cloudflare/);
      expect(cfErrors[0]!.message).toContain('api-token');
      expect(cfErrors[0]!.message).not.toContain('cf-revoked-token-0000');
      expect(cf.requests.cloudflare).toHaveLength(1);
      expect(cf.requests.github).toEqual([]);

      const gh = await world.run({ inputs: { 'github-token': 'ghs_revokedToken0000' } });
      expect(gh.code).toBe(1);
      const ghErrors = gh.commands.filter((c) => c.command === 'error');
      expect(ghErrors).toHaveLength(1);
      expect(ghErrors[0]!.message).toContain('github-token');
      expect(ghErrors[0]!.message).not.toContain('ghs_revokedToken0000');
      expect(writesOf(gh)).toEqual([]);
      expect(world.gh.issues).toEqual([]);

      // Both failed runs spent a request each, and the ledger kept them.
      const ok = await world.run();
      expect(ok.code).toBe(0);
      expect(ok.outputs['requests-used']).toBe('3');
      expect(world.gh.ours()).toHaveLength(1);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);

  it('twelve untriaged Criticals: the failure lists ten of them and counts the rest', async () => {
    const many = Array.from({ length: 12 }, (_, k) => insight(`c0ffee00-0000-4000-a000-0000000000${String(k).padStart(2, '0')}`, { severity: 'Critical', subject: `host${k}.example.com` }));
    const world = await startActionWorld({ insights: many });
    try {
      const run = await world.run({ inputs: { 'dry-run': 'true' } });
      expect(run.code).toBe(1);
      const failures = annotations(run, 'error', false);
      expect(failures).toHaveLength(1);
      const listed = failures[0]!.message.match(/host\d+\.example\.com/g) ?? [];
      expect(new Set(listed).size).toBe(10);
      expect(failures[0]!.message).toMatch(/^12 insights\b/);
      expect(failures[0]!.message).toMatch(/and 2 more$/);
      expect(annotations(run, 'error', true)).toHaveLength(12);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);

  it('a runner without job summaries (no GITHUB_STEP_SUMMARY): the run succeeds and the summary goes to the log', async () => {
    const world = await startActionWorld({ insights: [low] });
    try {
      const run = await world.run({ inputs: { 'dry-run': 'true' }, env: { GITHUB_STEP_SUMMARY: undefined } });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.commands.filter((c) => c.command === 'error' || c.command === 'warning')).toEqual([]);
      expect(run.stdout).toContain('## Cloudflare Security Insights');
      expectEveryOutput(run);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);

  it.each(['reserve', 'commit'] as const)('state-saved=false with a warning when the cache %s fails; the issues are filed all the same', async (step) => {
    const world = await startActionWorld({ insights: [low], github: { labels: labelsFor([low]) } });
    try {
      world.cache.faults[step] = 500;
      const run = await world.run();
      expect(run.code).toBe(0);
      expectEveryOutput(run);
      expect(run.outputs['state-saved']).toBe('false');
      expect(run.outputs['new']).toBe('1');
      expect(world.gh.ours()).toHaveLength(1);
      const warnings = run.commands.filter((c) => c.command === 'warning');
      expect(warnings.map((w) => w.message).join('\n')).toMatch(/Could not save the state/);
      expect(run.summary).toMatch(/State not saved/);
      expect(world.cache.entries.filter((e) => e.committed)).toEqual([]);
    } finally {
      await world.close();
    }
  }, RUN_TIMEOUT);
});

interface BadInput {
  name: string;
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  setting: string;
}

const LONG_LABEL = 'x'.repeat(51);
const BAD_INPUTS: BadInput[] = [
  { name: 'account id that is not 32 hex characters', inputs: { 'account-id': 'not-an-account' }, setting: 'account-id' },
  { name: 'account id with a path trick', inputs: { 'account-id': `../../zones/${FAKE_ACCOUNT_ID}` }, setting: 'account-id' },
  { name: 'account id with a trailing path', inputs: { 'account-id': `${FAKE_ACCOUNT_ID}/../../user` }, setting: 'account-id' },
  { name: 'account id with a query', inputs: { 'account-id': `${FAKE_ACCOUNT_ID}?per_page=1` }, setting: 'account-id' },
  { name: 'zone id that is not hex', inputs: { 'account-id': '', 'zone-id': 'example.com' }, setting: 'zone-id' },
  { name: 'both account and zone', inputs: { 'zone-id': 'fedcba9876543210fedcba9876543210' }, setting: 'zone-id' },
  { name: 'neither account nor zone', inputs: { 'account-id': '' }, setting: 'account-id' },
  { name: 'token with a space', inputs: { 'api-token': 'abc def' }, setting: 'api-token' },
  { name: 'token with a newline', inputs: { 'api-token': 'abc\ndef' }, setting: 'api-token' },
  { name: 'both token and key pair', inputs: { 'api-email': FAKE_EMAIL, 'api-key': FAKE_KEY }, setting: 'api-token' },
  { name: 'neither token nor key', inputs: { 'api-token': '' }, setting: 'api-token' },
  { name: 'email without key', inputs: { 'api-token': '', 'api-email': FAKE_EMAIL }, setting: 'api-key' },
  { name: 'key without email', inputs: { 'api-token': '', 'api-key': FAKE_KEY }, setting: 'api-email' },
  { name: 'malformed email', inputs: { 'api-token': '', 'api-email': 'secops', 'api-key': FAKE_KEY }, setting: 'api-email' },
  { name: 'unknown severity', inputs: { severity: 'high,urgent' }, setting: 'severity' },
  { name: 'unknown excluded severity', inputs: { 'exclude-severity': 'info' }, setting: 'exclude-severity' },
  { name: 'unknown issue type', inputs: { 'issue-type': 'phishing' }, setting: 'issue-type' },
  { name: 'unknown excluded issue type', inputs: { 'exclude-issue-type': 'malware' }, setting: 'exclude-issue-type' },
  { name: 'include-dismissed not a boolean', inputs: { 'include-dismissed': 'yes' }, setting: 'include-dismissed' },
  { name: 'unknown plan', inputs: { plan: 'gold' }, setting: 'plan' },
  { name: 'negative budget', inputs: { 'monthly-request-budget': '-5' }, setting: 'monthly-request-budget' },
  { name: 'zero budget', inputs: { 'monthly-request-budget': '0' }, setting: 'monthly-request-budget' },
  { name: 'huge budget', inputs: { 'monthly-request-budget': '99999999999' }, setting: 'monthly-request-budget' },
  { name: 'budget in exponent form', inputs: { 'monthly-request-budget': '1e3' }, setting: 'monthly-request-budget' },
  { name: 'unknown threshold', inputs: { 'fail-on-severity': 'severe' }, setting: 'fail-on-severity' },
  { name: 'unknown threshold scope', inputs: { 'fail-on-scope': 'all' }, setting: 'fail-on-scope' },
  { name: 'cron with a minute out of range', inputs: { cron: '61 * * * *' }, setting: 'cron' },
  { name: 'cron with four fields', inputs: { cron: '0 6 * *' }, setting: 'cron' },
  { name: 'cron nickname GitHub does not run', inputs: { cron: '@daily' }, setting: 'cron' },
  { name: 'plain http API base URL', inputs: { 'api-base-url': 'http://api.example.com/client/v4' }, setting: 'api-base-url' },
  { name: 'API base URL with credentials', inputs: { 'api-base-url': 'https://user:pass@api.example.com/client/v4' }, setting: 'api-base-url' },
  { name: 'API base URL that is not a URL', inputs: { 'api-base-url': 'api.cloudflare.com' }, setting: 'api-base-url' },
  { name: 'CLOUDFLARE_API_BASE_URL over plain http', env: { CLOUDFLARE_API_BASE_URL: 'http://proxy.example.com/client/v4' }, setting: 'api-base-url' },
  { name: 'repository without owner', inputs: { repository: 'security' }, setting: 'repository' },
  { name: 'repository with a path trick', inputs: { repository: 'acme/../other' }, setting: 'repository' },
  { name: 'repository with three parts', inputs: { repository: 'acme/security/issues' }, setting: 'repository' },
  { name: 'no GitHub token', inputs: { 'github-token': '' }, setting: 'github-token' },
  { name: 'label over 50 characters', inputs: { labels: `security,${LONG_LABEL}` }, setting: 'labels' },
  { name: 'assignee that is not a login', inputs: { assignees: 'octocat,not a login' }, setting: 'assignees' },
  { name: 'unknown grouping', inputs: { 'group-by': 'repository' }, setting: 'group-by' },
  { name: 'close-resolved not a boolean', inputs: { 'close-resolved': 'maybe' }, setting: 'close-resolved' },
  { name: 'zero write cap', inputs: { 'max-issue-writes': '0' }, setting: 'max-issue-writes' },
  { name: 'negative write cap', inputs: { 'max-issue-writes': '-1' }, setting: 'max-issue-writes' },
  { name: 'dry-run not a boolean', inputs: { 'dry-run': 'perhaps' }, setting: 'dry-run' },
  { name: 'state key with a slash', inputs: { 'state-key': 'cf/insights' }, setting: 'state-key' },
];

describe('bad inputs fail before any request', () => {
  let world: ActionWorld;
  beforeAll(async () => {
    world = await startActionWorld({ insights: [critical] });
  });
  afterAll(async () => {
    await world?.close();
  });

  it.concurrent.each(BAD_INPUTS)('$name', async ({ inputs, env, setting }) => {
    const run = await world.run({ ...(inputs ? { inputs } : {}), ...(env ? { env } : {}), freshTemp: false, timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    const problems = run.commands.filter((c) => c.command === 'error' || c.command === 'warning');
    expect(problems.map((p) => p.line)).toHaveLength(1);
    const [failure] = problems;
    expect(failure!.command).toBe('error');
    expect(failure!.properties).toEqual({});
    expect(failure!.message).not.toContain('\n');
    expect(failure!.message).toContain(setting);
    expect(run.stderr).toBe('');
    expect(run.outputs).toEqual({});
    for (const secret of [FAKE_TOKEN, FAKE_KEY, world.gh.token, 'abc def', 'abc\ndef']) {
      expect(failure!.message.includes(secret)).toBe(false);
    }
    // No fake has seen a request from any of these runs.
    expect(world.cf.requests).toEqual([]);
    expect(world.gh.requests).toEqual([]);
    expect(world.cache.requests).toEqual([]);
  }, 60_000);

  it('control: the same world with valid inputs does reach the services', async () => {
    // After the table (concurrent tests finish before the next one starts): the only run here that may make requests.
    const run = await world.run({ inputs: { 'dry-run': 'true' } });
    expect(run.commands.filter((c) => c.command === 'error' && !('title' in c.properties))).toHaveLength(1);
    expect(world.cf.requests).toHaveLength(1);
    expect(world.gh.requests.length).toBeGreaterThan(0);
    expect(world.cache.requests.length).toBeGreaterThan(0);
  }, RUN_TIMEOUT);
});
