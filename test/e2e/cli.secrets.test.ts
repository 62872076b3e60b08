/**
 * Secrets never leave the environment: report, sync, quota and validate run with known
 * tokens (with --verbose, on success and on failure, and when a remote service echoes
 * the token back in an error), and neither stdout, stderr nor any file written holds them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_ACCOUNT_ID, FAKE_EMAIL, makeInsights, startCloudflareFake, type CloudflareFake } from '../fakes/cloudflare.js';
import { startGithubFake, type GithubFake } from '../fakes/github.js';
import { runCli, runCliProcess, type CliRun } from '../support/cli-runner.js';

const CF_SECRET = 'cfSecretToken_7Hq2LmN9pQ4rS8tV1wX3yZ5a';
const GH_SECRET = 'ghp_SecretGithubToken6Fd8Jk2Lm4Np0Qr';
const GH_READ_ONLY = 'ghs_SecretReadOnlyToken3Bc5De7Fg9Hj';
const CF_KEY = 'cfLegacyGlobalKey0a1b2c3d4e5f6a7b8c9d';
const SECRETS = [CF_SECRET, GH_SECRET, GH_READ_ONLY, CF_KEY];

let cf: CloudflareFake;
let gh: GithubFake;
let home: string;
const seen: string[] = [];

beforeEach(async () => {
  cf = await startCloudflareFake({ token: CF_SECRET, key: CF_KEY, insights: makeInsights(6, 61).map((i) => ({ ...i, dismissed: false })) });
  gh = await startGithubFake({ token: GH_SECRET, readOnlyToken: GH_READ_ONLY });
  home = mkdtempSync(join(tmpdir(), 'cf-insights-cli-secrets-'));
  seen.length = 0;
});
afterEach(async () => {
  // Every file the runs left behind (state files, reports) is free of the secrets too.
  for (const file of filesUnder(home)) seen.push(readFileSync(file, 'utf8'));
  for (const text of seen) for (const secret of SECRETS) expect(text).not.toContain(secret);
  await Promise.all([cf.close(), gh.close()]);
  rmSync(home, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const env = (extra: Record<string, string | undefined> = {}) => ({
  CLOUDFLARE_API_TOKEN: CF_SECRET,
  CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID,
  CLOUDFLARE_API_BASE_URL: cf.url,
  GITHUB_TOKEN: GH_SECRET,
  GITHUB_API_URL: gh.url,
  ...extra,
});

async function run(argv: string[], extra: Record<string, string | undefined> = {}): Promise<CliRun> {
  const result = await runCli(argv, { home, env: env(extra) });
  seen.push(result.stdout, result.stderr);
  return result;
}

describe('secrets stay out of the output and the files', () => {
  it('report, in every format and with --verbose', async () => {
    const state = join(home, 'state.json');
    for (const format of ['table', 'json', 'ndjson', 'csv', 'markdown', 'sarif', 'ocsf']) {
      const r = await run(['report', '--verbose', '-f', format, '--state', state, '--budget', '1000']);
      expect(r.code, r.stderr).toBe(0);
    }
    const toFile = await run(['report', '-v', '-f', 'json', '-o', join(home, 'report.json'), '--state', state, '--budget', '1000']);
    expect(toFile.code).toBe(0);
  });

  it('report failures, including an error that echoes the token back', async () => {
    cf.failAlways({
      kind: 'custom',
      status: 400,
      body: { success: false, errors: [{ code: 6003, message: `Invalid request headers: Authorization: Bearer ${CF_SECRET}` }], messages: [], result: null },
    });
    const echoed = await run(['report', '--verbose']);
    expect(echoed.code).toBe(3);
    expect(echoed.stderr).toContain('***');
    cf.failAlways('status500');
    expect((await run(['report', '--verbose', '--state', join(home, 's.json')])).code).toBe(3);
    cf.failAlways(null);
    // A wrong token is still a secret.
    const wrong = await run(['report', '--verbose'], { CLOUDFLARE_API_TOKEN: `${CF_SECRET}x` });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr + wrong.stdout).not.toContain(`${CF_SECRET}x`);
  });

  it('the legacy key pair', async () => {
    const r = await run(['report', '--verbose', '-f', 'json'], { CLOUDFLARE_API_TOKEN: undefined, CLOUDFLARE_EMAIL: FAKE_EMAIL, CLOUDFLARE_API_KEY: CF_KEY });
    expect(r.code, r.stderr).toBe(0);
    const v = await run(['validate', '--verbose', '--json'], { CLOUDFLARE_API_TOKEN: undefined, CLOUDFLARE_EMAIL: FAKE_EMAIL, CLOUDFLARE_API_KEY: CF_KEY });
    expect(v.code).toBe(0);
  });

  it('sync: writes, a dry run, --json, and a token that cannot write', async () => {
    const state = join(home, 'sync.json');
    const base = ['sync', '--verbose', '--repo', 'acme/security', '--state', state, '--fail-on', 'none', '--budget', '1000'];
    expect((await run(base)).code).toBe(0);
    expect(gh.ours()).toHaveLength(6);
    expect((await run([...base, '--json'])).code).toBe(0);
    expect((await run([...base, '--dry-run'])).code).toBe(0);
    cf.setInsights(makeInsights(3, 62).map((i) => ({ ...i, dismissed: false })));
    const refused = await run(base, { GITHUB_TOKEN: GH_READ_ONLY });
    expect(refused.code).toBe(3);
  });

  it('sync as a real process, GH_TOKEN, with --verbose', { timeout: 30_000 }, async () => {
    const r = await runCliProcess(['sync', '--verbose', '--repo', 'acme/security', '--state', join(home, 'p.json'), '--fail-on', 'none', '--dry-run'], {
      home,
      env: env({ GITHUB_TOKEN: undefined, GH_TOKEN: GH_SECRET }),
    });
    seen.push(r.stdout, r.stderr);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^debug: /m);
  });

  it('quota and validate', async () => {
    await run(['report', '--state', join(home, 'q.json')]);
    expect((await run(['quota', '--verbose', '--state', join(home, 'q.json'), '--cron', '0 * * * *'])).code).toBe(0);
    expect((await run(['quota', '--json', '--account-id', FAKE_ACCOUNT_ID])).code).toBe(0);
    expect((await run(['validate', '--verbose', '--repo', 'acme/security', '--cron', '0 6 * * *'])).code).toBe(0);
    expect((await run(['validate', '--json', '--repo', 'acme/security'])).code).toBe(0);
  });

  it('a malformed token is refused without being shown', async () => {
    const bad = `${CF_SECRET} zqxv-tail`;
    const r = await run(['validate', '--verbose'], { CLOUDFLARE_API_TOKEN: bad });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid CLOUDFLARE_API_TOKEN: it contains spaces or control characters/);
    expect(r.stderr).not.toContain('zqxv');
  });
});
