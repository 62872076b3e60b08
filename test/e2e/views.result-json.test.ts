/**
 * One vocabulary for a run's result: the action (the bundle, as a runner runs it) and
 * `cf-insights sync --json` (in-process), each against its own fresh fakes holding the
 * same inventory and settings, tell the same story field by field, and every step output
 * is the report file's field of the same name.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, startCloudflareFake } from '../fakes/cloudflare.js';
import { startGithubFake } from '../fakes/github.js';
import { labelsFor, SAMPLE, startActionWorld } from '../support/action-runner.js';
import { runCli } from '../support/cli-runner.js';
import type { ResultJson } from '../../src/views/result-json.js';

const INSIGHTS = [SAMPLE.critical, SAMPLE.high, SAMPLE.low];

/** Where the state went: the Actions cache key for the action, the file for the CLI. */
function withoutLocation(json: ResultJson) {
  return { ...json, state: { ...json.state, location: typeof json.state.location } };
}

describe('the action report file and sync --json', () => {
  it('agree on every shared field, and the step outputs are the report file fields', async () => {
    // Two issues written, one over the cap; the Critical and the High breach `high`.
    const world = await startActionWorld({ insights: INSIGHTS, github: { labels: labelsFor(INSIGHTS) } });
    let fromAction: ResultJson & { insights: unknown[] };
    let outputs: Record<string, string>;
    try {
      const run = await world.run({ inputs: { 'max-issue-writes': '2', 'fail-on-severity': 'high' } });
      expect(run.code, run.stderr).toBe(1);
      fromAction = JSON.parse(run.report!) as ResultJson & { insights: unknown[] };
      outputs = run.outputs;
    } finally {
      await world.close();
    }

    const cf = await startCloudflareFake({ insights: INSIGHTS });
    const gh = await startGithubFake({ owner: 'acme', repo: 'security', labels: labelsFor(INSIGHTS) });
    const home = mkdtempSync(join(tmpdir(), 'cf-insights-result-json-'));
    let fromCli: ResultJson;
    try {
      const run = await runCli(
        ['sync', '--json', '--repo', 'acme/security', '--state', join(home, 'state.json'), '--budget', '1000', '--max-issue-writes', '2', '--fail-on', 'high'],
        {
          home,
          env: {
            CLOUDFLARE_API_TOKEN: FAKE_TOKEN,
            CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID,
            CLOUDFLARE_API_BASE_URL: cf.url,
            GITHUB_TOKEN: gh.token,
            GITHUB_API_URL: gh.url,
          },
        },
      );
      expect(run.code, run.stderr).toBe(1);
      fromCli = JSON.parse(run.stdout) as ResultJson;
    } finally {
      await Promise.all([cf.close(), gh.close()]);
      rmSync(home, { recursive: true, force: true });
    }

    // The report file is the --json object and the inventory.
    const { insights, ...shared } = fromAction;
    expect(Object.keys(fromAction)).toEqual([...Object.keys(fromCli), 'insights']);
    expect(insights).toHaveLength(3);
    expect(withoutLocation(shared)).toEqual(withoutLocation(fromCli));
    expect(fromAction.state.location).toEqual(expect.any(String));
    // Not agreeing on nothing: the run did each kind of thing.
    expect(fromCli.counts).toMatchObject({ total: 3, new: 3, created: 2, pendingWrites: 1, pendingBy: { 'over-cap': 1 } });
    expect(fromCli.threshold).toEqual({ breached: true, breaching: [SAMPLE.critical.id, SAMPLE.high.id] });

    expect(outputs).toMatchObject({
      total: String(fromAction.counts.total),
      new: String(fromAction.counts.new),
      updated: String(fromAction.counts.updated),
      resolved: String(fromAction.counts.resolved),
      reopened: String(fromAction.counts.reopened),
      'pending-writes': String(fromAction.counts.pendingWrites),
      'max-severity': fromAction.maxSeverity,
      'threshold-breached': String(fromAction.threshold.breached),
      'requests-used': String(fromAction.requests.used),
      'requests-remaining': String(fromAction.requests.remaining),
      'state-saved': String(fromAction.state.saved),
    });
    expect(JSON.parse(outputs['issues']!)).toEqual(
      fromAction.issues.map((i) => ({ insight: i.insight, issue: i.issue, action: i.action, ...(i.pending ? { pending: i.pending } : {}) })),
    );
  }, 120_000);
});
