/**
 * `cf-insights sync --watch` as a real child process (the sources through tsx) against
 * the fakes, on a one-second cron: runs follow the schedule one at a time, SIGTERM
 * lets the current run finish and leaves a valid state file, a second signal ends the
 * process at once.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStateText } from '../../src/state/document.js';
import type { ResultJson } from '../../src/views/result-json.js';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, makeInsights, startCloudflareFake, type CloudflareFake } from '../fakes/cloudflare.js';
import { startGithubFake, type GithubFake } from '../fakes/github.js';
import { runCli, spawnCli, until, type SpawnedCli } from '../support/cli-runner.js';

const EVERY_SECOND = '*/1 * * * * *';

let cf: CloudflareFake;
let gh: GithubFake;
let home: string;
let state: string;
let cli: SpawnedCli | undefined;

beforeEach(async () => {
  const [insight] = makeInsights(1, 41);
  const one = { ...insight!, dismissed: false };
  cf = await startCloudflareFake({ insights: [one] });
  // The labels exist already, so a run writes one issue and no label (no pacing to wait for).
  const labels = ['cloudflare-insight', `severity:${String(one.severity).toLowerCase()}`, `type:${String(one.issue_type)}`].map((name) => ({ name }));
  gh = await startGithubFake({ owner: 'acme', repo: 'security', labels });
  home = mkdtempSync(join(tmpdir(), 'cf-insights-cli-watch-'));
  state = join(home, 'state.json');
  cli = undefined;
});
afterEach(async () => {
  if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
    cli.child.kill('SIGKILL');
    await cli.exited;
  }
  await Promise.all([cf.close(), gh.close()]);
  rmSync(home, { recursive: true, force: true });
});

function watch(): SpawnedCli {
  return spawnCli(['sync', '--watch', '--cron', EVERY_SECOND, '--repo', 'acme/security', '--state', state, '--fail-on', 'none', '--budget', '1000', '--json'], {
    home,
    env: {
      CLOUDFLARE_API_TOKEN: FAKE_TOKEN,
      CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID,
      CLOUDFLARE_API_BASE_URL: cf.url,
      GITHUB_TOKEN: gh.token,
      GITHUB_API_URL: gh.url,
    },
  });
}

function runEvents(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => /^Run (\d+) (started|finished)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[2]} ${m[1]}`);
}

function validState() {
  const read = parseStateText(readFileSync(state, 'utf8'), { scope: `accounts/${FAKE_ACCOUNT_ID}` });
  expect(read.warning).toBeUndefined();
  return read.state!;
}

describe('sync --watch', () => {
  it('runs on the schedule, one run at a time, and SIGTERM stops it cleanly', { timeout: 60_000 }, async () => {
    // The first run waits 2 s on a 429: it spans two ticks of the schedule, which must not start a second run.
    cf.failOn(1, { kind: 'status429', retryAfter: '2' });
    cli = watch();
    await until(() => /Run 2 finished/.test(cli!.stderr()));
    cli.child.kill('SIGTERM');
    const done = await cli.exited;

    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toMatch(/Stopped\.\n$/);
    const events = runEvents(done.stderr);
    const runs = events.length / 2;
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(events).toEqual(Array.from({ length: runs }, (_, i) => [`started ${i + 1}`, `finished ${i + 1}`]).flat());
    // One JSON line per run: the first opened the issue, the next wrote nothing.
    const results = done.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ResultJson);
    expect(results).toHaveLength(runs);
    expect(results[0]).toMatchObject({ counts: { created: 1 }, requests: { cloudflare: 2 } });
    expect(results.slice(1).every((r) => r.counts.created === 0 && r.requests.cloudflare === 1)).toBe(true);
    expect(gh.ours()).toHaveLength(1);
    expect(validState().quota.used).toBe(runs + 1);
  });

  it('a signal during a run: no new write starts, the run saves its state, then the watch stops', { timeout: 60_000 }, async () => {
    cf.failOn(1, { kind: 'status429', retryAfter: '2' });
    cli = watch();
    await until(() => /Run 1 started/.test(cli!.stderr()));
    cli.child.kill('SIGTERM');
    const done = await cli.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(runEvents(done.stderr)).toEqual(['started 1', 'finished 1']);
    expect(done.stderr).toContain('SIGTERM: stopping after the current write');
    // The fetch finished (the requests are on the ledger); the issue waits for the next run.
    const [result] = done.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ResultJson);
    expect(result).toMatchObject({ counts: { created: 0 }, state: { saved: true } });
    expect(result!.counts.pendingWrites).toBeGreaterThan(0);
    expect(gh.ours()).toHaveLength(0);
    expect(validState().quota.used).toBe(2);
  });

  it('a second signal ends the process at once, leaving the state as it was', { timeout: 60_000 }, async () => {
    // The first run would wait 30 s on the 429.
    cf.failOn(1, { kind: 'status429', retryAfter: '30' });
    cli = watch();
    await until(() => /Run 1 started/.test(cli!.stderr()));
    await until(() => cf.requests.length >= 1);
    cli.child.kill('SIGTERM');
    await until(() => /stopping after the current write/.test(cli!.stderr()));
    cli.child.kill('SIGTERM');
    const done = await cli.exited;
    expect(done.code).toBe(143);
    expect(done.stderr).not.toMatch(/Run 1 finished/);
    expect(gh.ours()).toHaveLength(0);
    // Nothing was saved: no state file, and no temp file left half-written.
    expect(existsSync(state)).toBe(false);
  });

  it('outside a sync there is nothing to finish: a report stops at the first signal', { timeout: 60_000 }, async () => {
    cf.failAlways('timeout');
    cli = spawnCli(['report', '--state', state], {
      home,
      env: { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID, CLOUDFLARE_API_BASE_URL: cf.url },
    });
    await until(() => cf.requests.length >= 1);
    cli.child.kill('SIGINT');
    const done = await cli.exited;
    expect(done.code).toBe(130);
    expect(done.stdout).toBe('');
  });

  it('needs a cron; six fields are accepted only with --watch', async () => {
    const base = ['sync', '--repo', 'acme/security', '--state', state, '--dry-run'];
    const e = { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID, CLOUDFLARE_API_BASE_URL: cf.url };
    const noCron = await runCli([...base, '--watch'], { home, env: e });
    expect(noCron.code).toBe(2);
    expect(noCron.stderr).toMatch(/^error: Watch mode needs a schedule/);
    const sixFields = await runCli([...base, '--cron', EVERY_SECOND], { home, env: e });
    expect(sixFields.code).toBe(2);
    expect(sixFields.stderr).toMatch(/^error: Invalid --cron "\*\/1 \* \* \* \* \*": it has 6 fields/);
    expect(cf.requests).toHaveLength(0);
  });
});
