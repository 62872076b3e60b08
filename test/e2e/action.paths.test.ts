/**
 * The action as a runner runs it (see action.run.test.ts), on its other paths: dry run,
 * the schedule warning, no cache service, a failed cache save, remote failures, a long
 * threshold failure, a runner without job summaries. Each test has its own fakes.
 */
import { describe, expect, it } from 'vitest';
import { fitSchedule } from '../../src/config/schedule.js';
import { CACHE_PROTOCOLS, FAULT_STATUS } from '../fakes/cache-service.js';
import {
  OUTPUT_NAMES,
  SAMPLE,
  annotations,
  githubWrites as writesOf,
  issuesOutput,
  labelsFor,
  startActionWorld,
  type ActionRun,
} from '../support/action-runner.js';
import { insight } from '../support/insights.js';

const RUN_TIMEOUT = 90_000;
const { high, low } = SAMPLE;

function expectEveryOutput(run: ActionRun) {
  expect(Object.keys(run.outputs).sort()).toEqual(OUTPUT_NAMES);
}

describe.concurrent('other paths of a run', () => {
  it(
    'dry run: plans and reports, writes nothing to GitHub, and a real run afterwards opens every issue',
    async () => {
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
            { insight: high.id, issue: null, action: 'pending', pending: 'dry-run' },
            { insight: low.id, issue: null, action: 'pending', pending: 'dry-run' },
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
    },
    RUN_TIMEOUT,
  );

  it(
    'an hourly schedule on the Free plan warns and names a schedule that fits; a daily one does not',
    async () => {
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

        // How many of its fetches can see a new scan (Free: every 7 days), and the useful schedule.
        expect(text).toMatch(/about 4\.4 of its 744 fetches a month can see a new scan/);

        const daily = await world.run({ inputs: free, schedule: '0 6 * * *' });
        expect(daily.code).toBe(0);
        expect(daily.commands.filter((c) => c.command === 'warning')).toEqual([]);
        // It fits, but fetches more often than Free accounts are scanned: said in the log, not as a warning.
        expect(daily.stdout).toMatch(/^.*about 4\.4 of its 31 fetches a month can see a new scan\. A useful schedule: "0 6 \* \* 1"/m);
        // The cron input wins over the event's schedule.
        const given = await world.run({ inputs: { ...free, cron: '*/30 * * * *' }, schedule: '0 6 * * *' });
        expect(
          given.commands
            .filter((c) => c.command === 'warning')
            .map((c) => c.message)
            .join('\n'),
        ).toContain('"*/30 * * * *"');
      } finally {
        await world.close();
      }
    },
    RUN_TIMEOUT,
  );

  it.each([
    ['v2', 'ACTIONS_RESULTS_URL'],
    ['v1', 'ACTIONS_CACHE_URL'],
  ] as const)(
    'cache service %s without %s: a stateless run with a notice, and the second run opens no duplicate',
    async (cacheProtocol, urlVar) => {
      const world = await startActionWorld({ insights: [high, low], github: { labels: labelsFor([high, low]) }, cacheProtocol });
      try {
        const noCache = { [urlVar]: undefined };
        const first = await world.run({ env: noCache });
        expect(first.stderr).toBe('');
        expect(first.code).toBe(0);
        const notices = first.commands.filter((c) => c.command === 'notice');
        expect(notices).toHaveLength(1);
        expect(notices[0]!.message).toMatch(/Actions cache unavailable/);
        expect(notices[0]!.message).toContain(urlVar);
        // Not a warning: nothing failed (the High insight's annotation is the only one).
        expect(annotations(first, 'warning', false)).toEqual([]);
        expect(first.outputs['state-saved']).toBe('false');
        expect(first.summary).toMatch(new RegExp(`State not saved.*${urlVar.replaceAll('_', '\\\\?_')}`));
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
    },
    RUN_TIMEOUT,
  );

  it(
    'remote failures: one error line each, nothing written, and the spent Cloudflare requests still counted',
    async () => {
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
        // The job summary says why the run failed.
        expect(cf.summary).toMatch(/The run failed:.*Cloudflare rejected the credentials/);
        expect(cf.summary).not.toContain('cf-revoked-token-0000');

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
    },
    RUN_TIMEOUT,
  );

  it(
    'the issues output lists at most 1,000 pending issues (a step output is limited to 1 MB); the report file has them all',
    async () => {
      const many = Array.from({ length: 1003 }, (_, k) =>
        insight(`d0d0d0d0-0000-4000-a000-${String(k).padStart(12, '0')}`, { severity: 'Low', subject: `h${k}.example.com` }),
      );
      const world = await startActionWorld({ insights: many });
      try {
        const run = await world.run({ inputs: { 'dry-run': 'true', 'fail-on-severity': 'none' } });
        expect(run.code).toBe(0);
        const listed = issuesOutput(run);
        expect(listed).toHaveLength(1000);
        expect(listed.every((i) => i.action === 'pending')).toBe(true);
        expect(run.outputs['pending-writes']).toBe('1003');
        expect((JSON.parse(run.report!) as { issues: unknown[] }).issues).toHaveLength(1003);
      } finally {
        await world.close();
      }
    },
    RUN_TIMEOUT,
  );

  it(
    'twelve untriaged Criticals: the failure lists ten of them and counts the rest',
    async () => {
      const many = Array.from({ length: 12 }, (_, k) =>
        insight(`c0ffee00-0000-4000-a000-0000000000${String(k).padStart(2, '0')}`, { severity: 'Critical', subject: `host${k}.example.com` }),
      );
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
    },
    RUN_TIMEOUT,
  );

  it(
    'group-by class: the annotation of each new insight names its class issue',
    async () => {
      const pair = ['c1', 'c2'].map((k) => insight(`c0ffee00-0000-4000-a000-0000000000${k}`, { severity: 'Critical', subject: `${k}.example.com` }));
      const world = await startActionWorld({ insights: pair });
      try {
        const run = await world.run({ inputs: { 'group-by': 'class' } });
        expect(run.code).toBe(1);
        const [classIssue] = world.gh.byMarkerId().get('class:dangling_dns_record') ?? [];
        expect(classIssue).toBeDefined();
        const errors = annotations(run, 'error', true);
        expect(errors).toHaveLength(2);
        for (const e of errors) expect(e.message).toMatch(new RegExp(`\\(issue #${classIssue!.number}\\)$`));
      } finally {
        await world.close();
      }
    },
    RUN_TIMEOUT,
  );

  it(
    'a runner without job summaries (no GITHUB_STEP_SUMMARY): the run succeeds and the summary goes to the log',
    async () => {
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
    },
    RUN_TIMEOUT,
  );

  it.each(CACHE_PROTOCOLS.flatMap((p) => (['reserve', 'upload', 'commit'] as const).map((step) => [p, step] as const)))(
    'cache service %s: state-saved=false with a warning when the %s fails; the issues are filed all the same',
    async (cacheProtocol, step) => {
      const world = await startActionWorld({ insights: [low], github: { labels: labelsFor([low]) }, cacheProtocol });
      try {
        world.cache.faults[step] = FAULT_STATUS[cacheProtocol];
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
    },
    RUN_TIMEOUT,
  );

  it.each(CACHE_PROTOCOLS)(
    'cache service %s: a second save under the same key (the same run id and attempt) is state-saved=false with a warning; the issues are filed, the first state stays',
    async (cacheProtocol) => {
      const world = await startActionWorld({ insights: [low], github: { labels: labelsFor([high, low]) }, cacheProtocol });
      try {
        const first = await world.run({ runId: '4242' });
        expect(first.outputs['state-saved']).toBe('true');
        world.cf.setInsights([high, low]);
        const again = await world.run({ runId: '4242' });
        expect(again.code).toBe(0);
        expect(again.outputs).toMatchObject({ 'state-saved': 'false', new: '1' });
        expect(world.gh.ours()).toHaveLength(2);
        const warnings = again.commands.filter((c) => c.command === 'warning').map((w) => w.message);
        expect(warnings.join('\n')).toMatch(/Could not save the state to the Actions cache under \S+-4242-1 \(Unable to reserve cache with key/);
        expect(again.summary).toMatch(/State not saved/);
        expect(again.requests.cache.filter((r) => r.step === 'reserve').map((r) => r.status)).toEqual([409]);
        // The entry of the first run is untouched: the next run restores it (and meets the High's issue through GitHub).
        expect(world.cache.entries.map((e) => [e.key.slice(-7), e.committed])).toEqual([['-4242-1', true]]);
        const third = await world.run();
        expect(third.outputs).toMatchObject({ 'state-saved': 'true', new: '0' });
        expect(world.gh.ours()).toHaveLength(2);
        expect(world.cache.violations).toEqual([]);
      } finally {
        await world.close();
      }
    },
    RUN_TIMEOUT,
  );
});
