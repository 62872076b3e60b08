/**
 * The action end to end, as a runner runs it: `node dist/index.js` in a child process
 * with the runner's environment, against the Cloudflare, GitHub and cache-service fakes
 * (see test/support/action-runner.ts). Set CF_INSIGHTS_DIST to test a private build.
 * Other paths of a run: action.paths.test.ts; bad inputs: action.inputs.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_PROTOCOLS } from '../fakes/cache-service.js';
import { FAKE_ACCOUNT_ID, FAKE_EMAIL, FAKE_KEY, FAKE_TOKEN } from '../fakes/cloudflare.js';
import type { ResultJson } from '../../src/views/result-json.js';
import {
  OUTPUT_NAMES,
  SAMPLE,
  annotations,
  githubWrites as writesOf,
  issuesOutput,
  labelsFor,
  startActionWorld,
  unpackCacheArchive,
  type ActionRun,
  type ActionWorld,
} from '../support/action-runner.js';

const RUN_TIMEOUT = 90_000;
const { critical, high, low } = SAMPLE;

function expectEveryOutput(run: ActionRun) {
  expect(Object.keys(run.outputs).sort()).toEqual(OUTPUT_NAMES);
}

// v2: the cache service of GitHub's hosted runners; v1: the legacy one some GHES still run.
describe.each(CACHE_PROTOCOLS)('three scheduled runs in a row, cache service %s', (cacheProtocol) => {
  let world: ActionWorld;
  const runs: ActionRun[] = [];
  const numbers = new Map<string, number>();

  beforeAll(async () => {
    // The v1 world starts with the labels made: the label writes are paced 1 s apart, and v2 covers them.
    const github = cacheProtocol === 'v1' ? { labels: labelsFor([critical, high, low]) } : {};
    world = await startActionWorld({ insights: [critical, high, low], cacheProtocol, github });
  });
  afterAll(async () => {
    await world?.close();
  });

  it(
    'first run: opens one issue per insight, annotates the new Critical and High, and fails on the Critical',
    async () => {
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
      const report = JSON.parse(run.report!) as ResultJson;
      expect(report.counts).toMatchObject({ total: 3, new: 3 });
      expect(report.newIds.sort()).toEqual([critical.id, high.id, low.id].sort());
      expect(report.threshold).toEqual({ breached: true, breaching: [critical.id] });

      // Annotations: one error for the new Critical, one warning for the new High, none for the Low;
      // then the failure itself, one line listing the breaching insight.
      const errors = annotations(run, 'error', true);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toContain('Critical');
      expect(errors[0]!.message).toContain('legacy.example.com');
      expect(errors[0]!.message).toMatch(/\(issue #\d+\)$/);
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
      expect(run.requests.cache[0]).toMatchObject({ step: 'lookup', hit: false });
      const committed = world.cache.entries.filter((e) => e.committed);
      expect(committed).toHaveLength(1);
      expect(committed[0]!.key).toMatch(new RegExp(`^cf-insights-accounts-${FAKE_ACCOUNT_ID}-acme\\.security-[0-9a-f]{12}-${run.env['GITHUB_RUN_ID']}-1$`));
    },
    RUN_TIMEOUT,
  );

  it(
    'second run: quiet, with the state restored from the cache (1 Cloudflare request, one GitHub listing, no write)',
    async () => {
      expect(runs).toHaveLength(1);
      const run = await world.run();
      runs.push(run);
      expect(run.stderr).toBe('');

      // The restore: a hit, then the archive download.
      expect(run.requests.cache[0]).toMatchObject({ step: 'lookup', hit: true });
      // v2: the Azure SDK's getProperties (HEAD), then a ranged GET; v1: one GET.
      expect(run.requests.cache.filter((r) => r.step === 'download').map((r) => [r.method, r.status])).toEqual(
        cacheProtocol === 'v2'
          ? [
              ['HEAD', 200],
              ['GET', 206],
            ]
          : [['GET', 200]],
      );
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
    },
    RUN_TIMEOUT,
  );

  it(
    'third run: the Critical is resolved in Cloudflare, its issue is closed as completed and the run passes',
    async () => {
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
      expect(
        world.gh
          .openIssues()
          .map((i) => i.number)
          .sort(),
      ).toEqual([numbers.get(high.id), numbers.get(low.id)].sort());
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
    },
    RUN_TIMEOUT,
  );

  it(
    'secrets: neither token is in stdout (but for the mask command), stderr, outputs, summary, report, RUNNER_TEMP, the cache archives or the issues',
    async () => {
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
      const published = [...world.gh.issues.flatMap((i) => [i.title, i.body ?? '', ...i.labels]), ...world.gh.comments.map((c) => c.body)].join('\n');
      for (const secret of secrets) expect(published.includes(secret)).toBe(false);
      // Every request the cache service got kept to its protocol.
      expect(world.cache.violations).toEqual([]);
    },
    RUN_TIMEOUT,
  );
});
