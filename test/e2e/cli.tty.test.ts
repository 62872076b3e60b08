/**
 * The terminal behaviour of the real process: colour and progress appear only on a
 * TTY (a pseudo-terminal made by util-linux `script`), never with NO_COLOR, --quiet or
 * when piped; machine output stays on stdout.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, makeInsights, startCloudflareFake, type CloudflareFake } from '../fakes/cloudflare.js';
import { startGithubFake, type GithubFake } from '../fakes/github.js';
import { HAS_SCRIPT, SAMPLE_INVENTORY, runCliProcess, runInPty } from '../support/cli-runner.js';

const RED_CRITICAL = '\x1b[1;31mCritical';
const ESC = '\x1b';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cf-insights-cli-tty-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe.skipIf(!HAS_SCRIPT)('on a terminal (util-linux script; skipped where it is not installed)', () => {
  let cf: CloudflareFake;
  beforeAll(async () => {
    // 2,500 insights: three pages of 1,000.
    cf = await startCloudflareFake({ insights: makeInsights(2500, 51) });
  });
  afterAll(() => cf.close());
  const cfEnv = () => ({ CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID, CLOUDFLARE_API_BASE_URL: cf.url });

  it('the table is coloured on a TTY, and not with NO_COLOR', { timeout: 30_000 }, async () => {
    const tty = await runInPty(['report', '--from-file', SAMPLE_INVENTORY], { home });
    expect(tty.code).toBe(0);
    expect(tty.terminal).toContain(RED_CRITICAL);
    const noColor = await runInPty(['report', '--from-file', SAMPLE_INVENTORY], { home, env: { NO_COLOR: '1' } });
    expect(noColor.code).toBe(0);
    expect(noColor.terminal).toContain('Critical');
    expect(noColor.terminal).not.toContain(ESC);
  });

  it('--color=never on a TTY: no colour; --color=always beats NO_COLOR; FORCE_COLOR=0 turns it off', { timeout: 30_000 }, async () => {
    const never = await runInPty(['report', '--from-file', SAMPLE_INVENTORY, '--color=never'], { home });
    expect(never.code).toBe(0);
    expect(never.terminal).toContain('Critical');
    expect(never.terminal).not.toContain(ESC);
    const always = await runInPty(['report', '--from-file', SAMPLE_INVENTORY, '--color', 'always'], { home, env: { NO_COLOR: '1' } });
    expect(always.terminal).toContain(RED_CRITICAL);
    const forcedOff = await runInPty(['report', '--from-file', SAMPLE_INVENTORY], { home, env: { FORCE_COLOR: '0' } });
    expect(forcedOff.terminal).not.toContain(ESC);
  });

  it("the table fits the terminal's width, measured in columns", { timeout: 30_000 }, async () => {
    for (const columns of [100, 50]) {
      const run = await runInPty(['report', '--from-file', SAMPLE_INVENTORY], { home, columns, env: { NO_COLOR: '1' } });
      expect(run.code).toBe(0);
      const lines = run.terminal.split(/\r?\n/);
      expect(lines.some((l) => l.startsWith('SEVERITY'))).toBe(true);
      for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
      expect(lines.find((l) => l.startsWith('SEVERITY'))!.includes('TYPE')).toBe(columns >= 74);
    }
  });

  it('colour follows stdout: redirected to a file from a terminal, no colour', { timeout: 30_000 }, async () => {
    const out = join(home, 'table.txt');
    const run = await runInPty(['report', '--from-file', SAMPLE_INVENTORY], { home, pipeStdoutTo: out });
    expect(run.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('Critical');
    expect(text).not.toContain(ESC);
  });

  it('progress of the pages on stderr when it is a TTY; none with --quiet or NO_COLOR', { timeout: 30_000 }, async () => {
    const run = await runInPty(['report', '-f', 'json', '--state', join(home, 's1.json'), '-o', join(home, 'r.json')], { home, env: cfEnv() });
    expect(run.code, run.terminal).toBe(0);
    expect(run.terminal).toContain('pages fetched: 1/3');
    expect(run.terminal).toContain('pages fetched: 3/3');
    const quiet = await runInPty(['report', '-q', '--state', join(home, 's2.json'), '-o', join(home, 'r2.json')], { home, env: cfEnv() });
    expect(quiet.code).toBe(0);
    expect(quiet.terminal).not.toContain('pages fetched');
    const noColor = await runInPty(['report', '--state', join(home, 's3.json'), '-o', join(home, 'r3.json')], { home, env: { ...cfEnv(), NO_COLOR: '1' } });
    expect(noColor.code).toBe(0);
    expect(noColor.terminal).not.toContain('pages fetched');
    expect(noColor.terminal).not.toContain(ESC);
  });

  it('progress of the issue writes on a TTY', { timeout: 30_000 }, async () => {
    const [insight] = makeInsights(1, 52);
    const one = { ...insight!, dismissed: false };
    const local = await startCloudflareFake({ insights: [one] });
    const labels = ['cloudflare-insight', `severity:${String(one.severity).toLowerCase()}`, `type:${String(one.issue_type)}`].map((name) => ({ name }));
    const gh: GithubFake = await startGithubFake({ labels });
    try {
      const run = await runInPty(['sync', '--repo', 'acme/security', '--state', join(home, 's.json'), '--fail-on', 'none'], {
        home,
        env: {
          CLOUDFLARE_API_TOKEN: FAKE_TOKEN,
          CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID,
          CLOUDFLARE_API_BASE_URL: local.url,
          GITHUB_TOKEN: gh.token,
          GITHUB_API_URL: gh.url,
        },
      });
      expect(run.code, run.terminal).toBe(0);
      expect(run.terminal).toContain('pages fetched: 1/1');
      expect(run.terminal).toContain('issues written: 1/1');
      expect(gh.ours()).toHaveLength(1);
    } finally {
      await Promise.all([local.close(), gh.close()]);
    }
  });
});

describe('piped (no TTY)', () => {
  let cf: CloudflareFake;
  beforeAll(async () => {
    cf = await startCloudflareFake({ insights: makeInsights(2500, 53) });
  });
  afterAll(() => cf.close());

  it('no colour, no progress; machine output alone on stdout', { timeout: 30_000 }, async () => {
    const run = await runCliProcess(['report', '-f', 'ndjson', '--state', join(home, 's.json')], {
      home,
      env: { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID, CLOUDFLARE_API_BASE_URL: cf.url, TERM: 'xterm-256color' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(ESC);
    expect(run.stderr).not.toContain('pages fetched');
    // Every stdout line is an insight; notes went to stderr.
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(2000);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('id');
    expect(run.stderr).toMatch(/Cloudflare requests: 3 this run/);
    const table = await runCliProcess(['report', '--from-file', SAMPLE_INVENTORY], { home, env: { TERM: 'xterm-256color' } });
    expect(table.stdout).toContain('Critical');
    expect(table.stdout).not.toContain(ESC);
  });
});
