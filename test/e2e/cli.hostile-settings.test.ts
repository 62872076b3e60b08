/**
 * Hostile settings and secrets cut in the middle: URL credentials, state keys that are
 * paths, repository names GitHub does not allow, and a token GitHub echoes at the point
 * where its error text is cut.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSettings, type RawSettings } from '../../src/config/settings.js';
import { SettingsError } from '../../src/errors.js';
import { redactor } from '../../src/redact.js';
import { createGithubClient } from '../../src/github/client.js';
import { createIssue } from '../../src/github/issues.js';
import { fastThrottleForTests } from '../../src/github/throttle.js';
import { FAKE_ACCOUNT_ID, makeInsights, startCloudflareFake, type CloudflareFake } from '../fakes/cloudflare.js';
import { startGithubFake, type GithubFake } from '../fakes/github.js';
import { runCli } from '../support/cli-runner.js';

const GH_SECRET = 'ghp_SecretGithubToken6Fd8Jk2Lm4Np0Qr';
const CF_SECRET = 'cfSecretToken_7Hq2LmN9pQ4rS8tV1wX3yZ5a';
const base: RawSettings = { 'account-id': FAKE_ACCOUNT_ID, 'api-token': CF_SECRET };

function settingsError(raw: RawSettings, github = false): SettingsError {
  try {
    parseSettings(raw, { cloudflare: true, github });
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('no settings error');
}

describe('hostile settings', () => {
  it('an api-base-url with credentials is refused without showing them', () => {
    const error = settingsError({ ...base, 'api-base-url': 'https://proxyuser:Hunter2Passw0rd@proxy.example.com/client/v4' });
    expect(error.setting).toBe('api-base-url');
    expect(error.message).toMatch(/Invalid api-base-url .*without credentials/);
    expect(error.message).not.toContain('Hunter2Passw0rd');
    expect(error.message).not.toContain('proxyuser');
  });

  it.each(['.', '..', 'a/b', 'a\\b'])('state-key %j is refused, naming the input', (key) => {
    const error = settingsError({ ...base, 'state-key': key });
    expect(error.setting).toBe('state-key');
    expect(error.message).toMatch(/Invalid state-key/);
  });

  it.each(['a/.', 'a/..', 'acme/.', '-acme/x', 'ac_me/x', 'acme/x y'])('repository %j is refused as owner/name', (repository) => {
    const error = settingsError({ ...base, repository, 'github-token': GH_SECRET }, true);
    expect(error.setting).toBe('repository');
  });

  it.each(['acme/security', 'a/b.c', 'a-b/.github', 'A1/x_y-z.1'])('repository %j is accepted', (repository) => {
    expect(parseSettings({ ...base, repository, 'github-token': GH_SECRET }, { cloudflare: true, github: true }).github!.repo).toBe(repository.split('/')[1]);
  });
});

describe('a secret cut in the middle', () => {
  it('the redactor hides an 8+ character prefix of a secret at a cut', () => {
    const redact = redactor([GH_SECRET]);
    expect(redact(`token ${GH_SECRET.slice(0, 12)}…`)).toBe('token ***…');
    expect(redact(`token ${GH_SECRET.slice(0, 20)}`)).toBe('token ***');
    expect(redact(`a ${GH_SECRET} b`)).toBe('a *** b');
    expect(redact('ghp_ alone')).toBe('ghp_ alone');
  });

  let cf: CloudflareFake;
  let gh: GithubFake;
  let home: string;
  beforeEach(async () => {
    cf = await startCloudflareFake({ token: CF_SECRET, insights: makeInsights(2, 71).map((i) => ({ ...i, dismissed: false })) });
    gh = await startGithubFake({ token: GH_SECRET });
    home = mkdtempSync(join(tmpdir(), 'cf-insights-hostile-'));
  });
  afterEach(async () => {
    await Promise.all([cf.close(), gh.close()]);
    rmSync(home, { recursive: true, force: true });
  });

  const env = () => ({
    CLOUDFLARE_API_TOKEN: CF_SECRET,
    CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID,
    CLOUDFLARE_API_BASE_URL: cf.url,
    GITHUB_TOKEN: GH_SECRET,
    GITHUB_API_URL: gh.url,
  });

  it('GitHub error text echoing the token where it is cut shows no part of it', async () => {
    // The token starts at character 140 of GitHub's message: a cut at 160 keeps 20 of its characters.
    const message = `${'Forbidden: '.padEnd(140, 'x')}${GH_SECRET} was refused`;
    gh.inject({ method: 'POST', path: '/repos/acme/security/issues', times: 10, fault: { type: 'status', status: 403, body: { message } } });
    const r = await runCli(['sync', '--verbose', '--repo', 'acme/security', '--state', join(home, 's.json'), '--fail-on', 'none', '--budget', '1000'], {
      home,
      env: env(),
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/HTTP 403/);
    expect(r.stderr + r.stdout).not.toContain(GH_SECRET.slice(0, 10));
  });

  it('the GitHub error itself (as the action prints it) holds no part of the token', async () => {
    const message = `${'Forbidden: '.padEnd(140, 'x')}${GH_SECRET} was refused`;
    gh.inject({ method: 'POST', path: '/repos/acme/security/issues', fault: { type: 'status', status: 403, body: { message } } });
    const { octokit } = createGithubClient({ token: GH_SECRET, baseUrl: gh.url, throttle: fastThrottleForTests() });
    const body = 'x\n\n<!-- cf-insights:v1 id=a fp=b -->';
    const error = await createIssue(octokit, { owner: 'acme', repo: 'security', title: 't', body, labels: [], label: 'x' }).catch(
      (e: Error & { details: string[] }) => e,
    );
    expect((error as Error).message).toMatch(/HTTP 403/);
    expect([(error as Error).message, ...(error as { details: string[] }).details].join('\n')).not.toContain(GH_SECRET.slice(0, 10));
  });

  it('a repository GitHub does not allow is refused before any Cloudflare request', async () => {
    const r = await runCli(['sync', '--repo', 'a/.', '--state', join(home, 's.json'), '--fail-on', 'none', '--budget', '1000'], { home, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Invalid --repo "a\/\."/);
    expect(cf.requests).toHaveLength(0);
    expect(gh.requests).toHaveLength(0);
  });

  it('report --state <folder>: the same line, exit 2, before any request', async () => {
    mkdirSync(join(home, 'dir'));
    const r = await runCli(['report', '--state', join(home, 'dir'), '--budget', '1000'], { home, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot use the state file .*dir \(it is a folder\)/);
    expect(cf.requests).toHaveLength(0);
  });

  it.each([
    ['empty', () => '', /The --state path is empty/],
    [
      'a folder',
      () => {
        mkdirSync(join(home, 'dir'));
        return join(home, 'dir');
      },
      /Cannot use the state file .*dir \(it is a folder\): give --state a file in a writable folder/,
    ],
    [
      'under a file',
      () => {
        writeFileSync(join(home, 'file'), 'x');
        return join(home, 'file', 's.json');
      },
      /Cannot use the state file .*file\/s\.json \(a part of its folder path is a file\)/,
    ],
  ])('sync --state %s: one line naming the path and what to do, exit 2, before any request', async (_name, path, message) => {
    const r = await runCli(['sync', '--repo', 'acme/security', '--state', path(), '--fail-on', 'none', '--budget', '1000'], { home, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(cf.requests).toHaveLength(0);
    expect(gh.requests).toHaveLength(0);
  });
});
