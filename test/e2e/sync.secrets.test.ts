/**
 * No secret is ever printed or stored: every CLI command (in-process through main(),
 * verbose, success and error paths, remotes that echo the credentials back) and the
 * engine run with known tokens, and every output channel and every file they write is
 * searched for them: stdout, stderr, the engine's log and result, state files, report
 * files, and what reached GitHub and Cloudflare other than the auth headers.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { fastThrottleForTests } from '../../src/github/throttle.js';
import { FAKE_ACCOUNT_ID, FAKE_EMAIL, FAKE_KEY, FAKE_TOKEN, makeInsights } from '../fakes/cloudflare.js';
import { startHarness, type Harness } from '../support/harness.js';

const WRONG_CF_TOKEN = 'cf-wrong-token-SECRET-7d1e9a';
const REVOKED_GH_TOKEN = 'ghs_revokedSECRET00000000000000';

let h: Harness;
let dir: string;
let secrets: string[];
/** Everything every command printed, by command. */
const printed: { name: string; text: string; code: number }[] = [];

beforeAll(async () => {
  h = await startHarness();
  dir = mkdtempSync(join(tmpdir(), 'cf-insights-secrets-'));
  secrets = [FAKE_TOKEN, h.gh.token, FAKE_KEY, WRONG_CF_TOKEN, REVOKED_GH_TOKEN];
  h.setInsights(makeInsights(6, 31).map((i) => ({ ...i, dismissed: false })));
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(over: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: Record<string, string | undefined> = {
    CLOUDFLARE_API_TOKEN: FAKE_TOKEN,
    CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID,
    CLOUDFLARE_API_BASE_URL: h.cf.url,
    GITHUB_TOKEN: h.gh.token,
    GITHUB_API_URL: h.gh.url,
    HOME: dir,
    XDG_STATE_HOME: join(dir, 'xdg-state'),
    NO_COLOR: '1',
    ...over,
  };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined));
}

async function cli(name: string, argv: string[], over: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: env(over),
    tuning: {
      github: { throttle: fastThrottleForTests(), recoveryDelayMs: 0 },
      cloudflare: { sleep: async () => {}, retryBaseMs: 1, timeoutMs: 2_000 },
    },
  };
  const code = await main(argv, io);
  printed.push({ name, text: `${out}\n${err}`, code });
  return { code, out, err };
}

/** Every file under `root`, with its text. */
function files(root: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else out.push({ path, text: readFileSync(path, 'latin1') });
  }
  return out;
}

/** The secrets found in `text`, also percent- or JSON-escaped. */
function leaks(text: string): string[] {
  return secrets.filter((s) => text.includes(s) || text.includes(encodeURIComponent(s)) || text.includes(JSON.stringify(s).slice(1, -1)));
}

const state = () => join(dir, 'state.json');
const verbose = ['--verbose'];

describe('no secret in any output (CLI in-process, engine)', () => {
  it('validate, quota and every report format, verbose, to stdout and to files', async () => {
    expect((await cli('validate', ['validate', ...verbose])).code).toBe(0);
    expect((await cli('validate --json', ['validate', '--json', '--repo', 'acme/security', ...verbose])).code).toBe(0);
    for (const format of ['table', 'json', 'ndjson', 'csv', 'markdown', 'sarif', 'ocsf']) {
      const run = await cli(`report ${format}`, ['report', '--format', format, '--state', state(), ...verbose]);
      expect(run.code, run.err).toBe(0);
      expect((await cli(`report ${format} -o`, ['report', '--format', format, '-o', join(dir, `report.${format}`), '--state', state(), ...verbose])).code).toBe(
        0,
      );
    }
    expect((await cli('quota', ['quota', '--state', state(), '--cron', '0 */6 * * *', ...verbose])).code).toBe(0);
    expect((await cli('quota --json', ['quota', '--json', '--state', state(), ...verbose])).code).toBe(0);
  });

  it('sync: a first run that writes, an unchanged run, --json, --dry-run, and the legacy key pair', async () => {
    const first = await cli('sync', ['sync', '--repo', 'acme/security', '--state', state(), '--fail-on', 'none', ...verbose]);
    expect(first.code, first.err).toBe(0);
    expect(h.gh.ours().length).toBeGreaterThan(0);
    expect((await cli('sync --json', ['sync', '--json', '--repo', 'acme/security', '--state', state(), '--fail-on', 'none', ...verbose])).code).toBe(0);
    h.setInsights(makeInsights(8, 32).map((i) => ({ ...i, dismissed: false })));
    const dry = await cli('sync --dry-run', ['sync', '--dry-run', '--repo', 'acme/security', '--state', state(), '--fail-on', 'none', ...verbose]);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(/create/);
    const keyPair = await cli('sync (key pair)', ['sync', '--repo', 'acme/security', '--state', state(), '--fail-on', 'none', ...verbose], {
      CLOUDFLARE_API_TOKEN: undefined,
      CLOUDFLARE_EMAIL: FAKE_EMAIL,
      CLOUDFLARE_API_KEY: FAKE_KEY,
    });
    expect(keyPair.code, keyPair.err).toBe(0);
    // The threshold path prints the breaching insights.
    expect((await cli('sync --fail-on low', ['sync', '--repo', 'acme/security', '--state', state(), '--fail-on', 'low', ...verbose])).code).toBe(1);
  });

  it('error paths: a wrong Cloudflare token, a revoked GitHub token (401), remotes that echo the credentials', async () => {
    const cf = await cli('sync (wrong cf token)', ['sync', '--repo', 'acme/security', '--state', state(), ...verbose], {
      CLOUDFLARE_API_TOKEN: WRONG_CF_TOKEN,
    });
    expect(cf.code).toBe(3);
    expect(cf.err).toMatch(/Cloudflare rejected the credentials/);
    const gh = await cli('sync (401)', ['sync', '--repo', 'acme/security', '--state', state(), ...verbose], { GITHUB_TOKEN: REVOKED_GH_TOKEN });
    expect(gh.code).toBe(3);
    expect(gh.err).toMatch(/GitHub rejected the token \(HTTP 401\)/);

    // A proxy that quotes the request headers back, in JSON and in HTML.
    h.cf.failNext({
      kind: 'custom',
      status: 400,
      body: { success: false, errors: [{ code: 6003, message: `Invalid request headers: Authorization: Bearer ${FAKE_TOKEN}` }], messages: [], result: null },
    });
    const echoed = await cli('report (cf echoes the token)', ['report', '--state', state(), ...verbose]);
    expect(echoed.code).toBe(3);
    expect(echoed.err).toMatch(/Authorization: Bearer \*\*\*/);
    h.cf.failAlways({
      kind: 'custom',
      status: 502,
      body: `<html><body>upstream said: Bearer ${FAKE_TOKEN}</body></html>`,
      headers: { 'content-type': 'text/html' },
    });
    expect((await cli('report (cf html echo)', ['report', '--state', state(), ...verbose])).code).toBe(3);
    h.cf.failAlways(null);
    h.gh.inject({
      method: 'GET',
      path: /\/issues$/,
      fault: {
        type: 'status',
        status: 422,
        body: { message: `Validation Failed for token ${h.gh.token}`, errors: [{ resource: 'Issue', code: 'invalid', field: 'labels', value: h.gh.token }] },
      },
    });
    const ghEcho = await cli('sync (github echoes the token)', ['sync', '--repo', 'acme/security', '--state', state(), ...verbose]);
    expect(ghEcho.code).toBe(3);
    expect(ghEcho.err).toMatch(/token \*\*\*/);
    // Bad usage is refused before any request, without quoting a token either.
    expect((await cli('bad flag', ['sync', `--token=${FAKE_TOKEN}`, ...verbose])).code).toBe(2);
  });

  it('the engine: its log, its result and its state file', async () => {
    h.setInsights(makeInsights(5, 33).map((i) => ({ ...i, dismissed: false })));
    const first = await h.run();
    expect(first.error).toBeUndefined();
    h.cf.failNext({
      kind: 'custom',
      status: 400,
      body: { success: false, errors: [{ code: 1002, message: `token ${FAKE_TOKEN} rejected` }], messages: [], result: null },
    });
    const failed = await h.run();
    expect(failed.error?.message).toMatch(/token \*\*\* rejected/);
    for (const outcome of [first, failed]) {
      const text = [
        ...outcome.log.lines.map((l) => l.message),
        JSON.stringify(outcome.result ?? null),
        outcome.error?.message ?? '',
        ...((outcome.error as { details?: string[] } | undefined)?.details ?? []),
        outcome.error?.stack ?? '',
      ].join('\n');
      expect(leaks(text)).toEqual([]);
    }
    expect(leaks(readFileSync(h.statePath, 'utf8'))).toEqual([]);
  });

  it('found no secret in any output, file, issue, comment or URL', () => {
    expect(printed.length).toBeGreaterThan(20);
    // The search finds a secret however it is written.
    expect(leaks(`a ${FAKE_TOKEN} b`)).toEqual([FAKE_TOKEN]);
    expect(leaks(encodeURIComponent(`x=${REVOKED_GH_TOKEN}`))).toEqual([REVOKED_GH_TOKEN]);
    const found = printed.flatMap((p) => leaks(p.text).map((s) => `${p.name} (exit ${p.code}) printed ${s}`));
    const written = [...files(dir), ...files(h.dir)].flatMap((f) => leaks(f.text).map((s) => `${f.path} holds ${s}`));
    const github = [
      ...h.gh.issues.flatMap((i) => [i.title, i.body ?? '', ...i.labels]),
      ...h.gh.comments.map((c) => c.body),
      ...h.gh.labels.map((l) => `${l.name} ${l.description ?? ''}`),
      ...h.gh.requests.map((r) => `${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.body ?? null)}`),
    ].flatMap((t) => leaks(t).map((s) => `GitHub received ${s}: ${t.slice(0, 80)}`));
    const cloudflare = h.cf.requests.flatMap((r) => leaks(r.url).map((s) => `Cloudflare URL holds ${s}`));
    expect([...found, ...written, ...github, ...cloudflare]).toEqual([]);
    // The files were there to be searched.
    expect(files(dir).map((f) => f.path)).toEqual(expect.arrayContaining([state(), join(dir, 'report.sarif'), join(dir, 'report.json')]));
  });
});
