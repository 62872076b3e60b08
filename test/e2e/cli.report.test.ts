/**
 * `cf-insights report`, in-process through main(argv, io) against the Cloudflare fake:
 * every format, --output, --from-file, --fail-on, --new-only with the state file,
 * filters and env, colour and width, exit codes and the one-line errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_FORMATS, type ReportFormat } from '../../src/report/types.js';
import { VERSION } from '../../src/version.js';
import type { Insight } from '../../src/insights/types.js';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, makeInsights, startCloudflareFake, type CloudflareFake } from '../fakes/cloudflare.js';
import { ROOT, SAMPLE_INVENTORY, runCli } from '../support/cli-runner.js';

const GOLDEN: Record<ReportFormat, string> = {
  table: 'sample.table.txt',
  json: 'sample.json',
  ndjson: 'sample.ndjson',
  csv: 'sample.csv',
  markdown: 'sample.md',
  sarif: 'sample.sarif',
  ocsf: 'sample.ocsf.ndjson',
};
const ESC = '\x1b[';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cf-insights-cli-report-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const sample = JSON.parse(readFileSync(SAMPLE_INVENTORY, 'utf8')) as { insights: Insight[] };

describe('report --from-file (no request)', () => {
  for (const format of REPORT_FORMATS) {
    it(`--format ${format} prints the golden file of the sample inventory`, async () => {
      const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '--include-dismissed', '--format', format], { home });
      expect(run.code).toBe(0);
      // The golden files are rendered with a fixed tool version.
      const golden = readFileSync(join(ROOT, 'test/golden', GOLDEN[format]), 'utf8');
      expect(run.stdout.split(VERSION).join('0.0.0-golden')).toBe(golden);
    });
  }

  it('leaves dismissed insights out unless --include-dismissed, and keeps no state', async () => {
    const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '-f', 'json'], { home });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { count: number; insights: Insight[] };
    const active = sample.insights.filter((i) => i.dismissed !== true);
    expect(active.length).toBeLessThan(sample.insights.length);
    expect(doc.count).toBe(active.length);
    expect(doc.insights.map((i) => i.id).sort()).toEqual(active.map((i) => i.id).sort());
    // A report of a saved file neither reads nor writes a state file, and says nothing about one.
    expect(existsSync(join(home, 'state'))).toBe(false);
    expect(run.stderr).toBe('');
  });

  it('applies the filters given as flags', async () => {
    const run = await runCli(
      ['report', '--from-file', SAMPLE_INVENTORY, '-f', 'ndjson', '--severity', 'critical,HIGH', '--exclude-issue-type', 'weak_authentication'],
      { home },
    );
    expect(run.code).toBe(0);
    const got = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Insight);
    const want = sample.insights.filter((i) => !i.dismissed && ['Critical', 'High'].includes(String(i.severity)) && i.issue_type !== 'weak_authentication');
    expect(want.length).toBeGreaterThan(0);
    expect(got.map((i) => i.id).sort()).toEqual(want.map((i) => i.id).sort());
  });

  for (const format of ['ndjson', 'ocsf'] as const) {
    it(`an empty ${format} report prints nothing at all`, async () => {
      const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '-f', format, '--issue-type', 'compliance_violation', '--severity', 'critical'], {
        home,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('');
    });
  }

  it('an empty table says so', async () => {
    const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '--issue-type', 'compliance_violation', '--severity', 'critical'], { home });
    expect(run.stdout).toMatch(/^No insights\./);
  });

  it('--output writes the file, stdout stays empty and stderr says where it went', async () => {
    const out = join(home, 'report.sarif');
    const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '-f', 'sarif', '--output', out], { home });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`to ${out}`);
    const printed = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '-f', 'sarif'], { home });
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
  });

  it('--output into a folder that does not exist: exit 2, one line', async () => {
    const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '--output', join(home, 'no/such/dir/r.txt')], { home });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: Cannot write the report to .*ENOENT.*\n$/);
  });

  it('--fail-on: exit 1 with the breaching insights on stderr, the report still on stdout', async () => {
    const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '-f', 'csv', '--fail-on', 'critical'], { home });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toMatch(/^id,|severity/i);
    expect(run.stderr).toMatch(/^error: 8 insights at Critical or above \(--fail-on critical\): \[Critical\]/m);
    // Each in words (`[Critical] Dangling DNS record: a.example.com`), not by its class id.
    expect(run.stderr).toMatch(/\[Critical\] [A-Z][^_;]*: \S/);
    expect(run.stderr).not.toMatch(/\[Critical\] [a-z0-9]+_/);
    // Nothing at or above: 0. Default: a report never fails.
    const low = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '--severity', 'low', '--fail-on', 'moderate'], { home });
    expect(low.code).toBe(0);
    const plain = await runCli(['report', '--from-file', SAMPLE_INVENTORY], { home });
    expect(plain.code).toBe(0);
  });

  it('a bad file is exit 2 with one line', async () => {
    const bad = join(home, 'bad.json');
    writeFileSync(bad, '{"insights": [{"severity": "High"}]}');
    const run = await runCli(['report', '--from-file', bad], { home });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: /);
    const missing = await runCli(['report', '--from-file', join(home, 'nope.json')], { home });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: Cannot read .*nope\.json: ENOENT/);
  });

  it('--new-only with --from-file needs an account or a state file', async () => {
    const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '--new-only'], { home });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--new-only with --from-file needs --account-id or --state/);
  });
});

describe('report --table on a terminal', () => {
  it('colours the severities only when stdout is a TTY and NO_COLOR is unset', async () => {
    const tty = await runCli(['report', '--from-file', SAMPLE_INVENTORY], { home, stdoutTTY: true, columns: 200 });
    expect(tty.stdout).toContain(`${ESC}1;31mCritical`);
    const noColor = await runCli(['report', '--from-file', SAMPLE_INVENTORY], { home, stdoutTTY: true, columns: 200, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\x1b');
    const piped = await runCli(['report', '--from-file', SAMPLE_INVENTORY], { home, stdoutTTY: false });
    expect(piped.stdout).not.toContain('\x1b');
    // Written to a file: never coloured, even from a terminal.
    const out = join(home, 't.txt');
    await runCli(['report', '--from-file', SAMPLE_INVENTORY, '-o', out], { home, stdoutTTY: true });
    expect(readFileSync(out, 'utf8')).not.toContain('\x1b');
  });

  it('lays the table out in the terminal width', async () => {
    const narrow = await runCli(['report', '--from-file', SAMPLE_INVENTORY], { home, stdoutTTY: true, columns: 80, env: { NO_COLOR: '1' } });
    const wide = await runCli(['report', '--from-file', SAMPLE_INVENTORY], { home, stdoutTTY: true, columns: 200, env: { NO_COLOR: '1' } });
    const longest = (text: string) => Math.max(...text.split('\n').map((l) => Array.from(l).length));
    expect(longest(narrow.stdout)).toBeLessThanOrEqual(80);
    expect(longest(wide.stdout)).toBeGreaterThan(80);
    expect(narrow.stdout).toContain('…');
  });
});

describe('report from Cloudflare (the fake)', () => {
  let cf: CloudflareFake;
  beforeAll(async () => {
    cf = await startCloudflareFake();
  });
  afterAll(() => cf.close());
  beforeEach(() => {
    cf.reset();
    cf.failAlways(null);
  });

  const env = () => ({ CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID, CLOUDFLARE_API_BASE_URL: cf.url });

  it('fetches with the token and account from the environment, and records the request in the state', async () => {
    const list = makeInsights(40, 3);
    cf.setInsights(list);
    const state = join(home, 'state.json');
    const run = await runCli(['report', '-f', 'json', '--state', state], { home, env: env() });
    expect(run.code).toBe(0);
    expect(cf.requests).toHaveLength(1);
    expect(cf.requests[0]!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
    expect(cf.requests[0]!.path).toContain(`/accounts/${FAKE_ACCOUNT_ID}/`);
    expect(JSON.parse(run.stdout).count).toBe(list.filter((i) => !i.dismissed).length);
    expect(JSON.parse(readFileSync(state, 'utf8')).quota.used).toBe(1);
    expect(run.stderr).toMatch(/Cloudflare requests: 1 this run; 1 of 100 used this month/);
  });

  it('sends the filters to the server', async () => {
    cf.setInsights(makeInsights(10, 4));
    const run = await runCli(
      ['report', '--severity', 'critical', '--severity', 'high', '--exclude-issue-type', 'email_security', '--account-id', FAKE_ACCOUNT_ID],
      {
        home,
        env: { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_API_BASE_URL: cf.url },
      },
    );
    expect(run.code).toBe(0);
    const q = cf.requests[0]!.query;
    // `high` is not in the API's query enum: the include list is filtered on the client only.
    expect(q['severity']).toBeUndefined();
    expect(cf.requests.every((r) => !/severity=high/i.test(r.url))).toBe(true);
    expect(run.stdout).not.toMatch(/\b(Low|Moderate)\b/);
    expect(q['issue_type~neq']).toEqual(['email_security']);
    expect(q['dismissed']).toEqual(['false']);
  });

  it('--new-only shows only insights not seen before and records them; --no-save leaves the state alone', async () => {
    const list = makeInsights(6, 5).map((i) => ({ ...i, dismissed: false }));
    const state = join(home, 'seen.json');
    const ids = (stdout: string) =>
      stdout === ''
        ? []
        : stdout
            .trim()
            .split('\n')
            .map((l) => (JSON.parse(l) as Insight).id);
    cf.setInsights(list.slice(0, 4));
    const first = await runCli(['report', '--new-only', '--state', state, '-f', 'ndjson'], { home, env: env() });
    expect(first.code).toBe(0);
    expect(ids(first.stdout).sort()).toEqual(
      list
        .slice(0, 4)
        .map((i) => i.id)
        .sort(),
    );

    const again = await runCli(['report', '--new-only', '--state', state, '-f', 'ndjson'], { home, env: env() });
    expect(again.stdout).toBe('');

    cf.setInsights(list);
    const before = readFileSync(state, 'utf8');
    const peek = await runCli(['report', '--new-only', '--no-save', '--state', state, '-f', 'ndjson'], { home, env: env() });
    expect(ids(peek.stdout).sort()).toEqual(
      list
        .slice(4)
        .map((i) => i.id)
        .sort(),
    );
    expect(readFileSync(state, 'utf8')).toBe(before);

    const recorded = await runCli(['report', '--new-only', '--state', state, '-f', 'ndjson'], { home, env: env() });
    expect(ids(recorded.stdout).sort()).toEqual(
      list
        .slice(4)
        .map((i) => i.id)
        .sort(),
    );
    const last = await runCli(['report', '--new-only', '--state', state, '-f', 'ndjson'], { home, env: env() });
    expect(last.stdout).toBe('');
  });

  it("--new-only --from-file compares with the state of the file's account", async () => {
    const state = join(home, 'from-file.json');
    const first = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '--new-only', '--state', state, '-f', 'json'], { home });
    expect(JSON.parse(first.stdout).count).toBe(24);
    const second = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '--new-only', '--state', state, '-f', 'json'], { home });
    expect(JSON.parse(second.stdout).count).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8')).scope).toBe('accounts/8f3c2a91d47b4e0a9c6b15e2f0d83a7c');
  });

  it('an authentication failure is exit 3 with one line that says what to do', async () => {
    cf.setInsights(makeInsights(2, 6));
    const run = await runCli(['report'], { home, env: { ...env(), CLOUDFLARE_API_TOKEN: 'not-the-right-token' } });
    expect(run.code).toBe(3);
    const lines = run.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('error: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/token is invalid, expired, or lacks/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });

  it('--verbose adds the debug lines and the stack trace', async () => {
    const run = await runCli(['report', '--verbose'], { home, env: { ...env(), CLOUDFLARE_API_TOKEN: 'not-the-right-token' } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^debug: /m);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('a spent budget is exit 4 before any request', async () => {
    cf.setInsights(makeInsights(2, 7));
    const state = join(home, 'budget.json');
    expect((await runCli(['report', '--state', state, '--budget', '1'], { home, env: env() })).code).toBe(0);
    cf.reset();
    const run = await runCli(['report', '--state', state, '--budget', '1'], { home, env: env() });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^error: Request budget exhausted: 1 of 1 used this month, 0 left.*resets \d{4}-\d{2}-01/m);
    expect(cf.requests).toHaveLength(0);
  });

  describe('offline: a request that never reached Cloudflare is not charged', () => {
    const closedPort = async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    };
    const offline = async (baseUrl: string) => {
      cf.setInsights(makeInsights(2, 7));
      const state = join(home, `offline-${Math.random().toString(36).slice(2)}.json`);
      expect((await runCli(['report', '--state', state], { home, env: env() })).code).toBe(0);
      const run = await runCli(['report', '--state', state], { home, env: { ...env(), CLOUDFLARE_API_BASE_URL: baseUrl } });
      expect(run.code).toBe(3);
      expect(JSON.parse(readFileSync(state, 'utf8')).quota.used).toBe(1);
      return run;
    };

    it('connection refused: retried, nothing charged', async () => {
      const run = await offline(`http://127.0.0.1:${await closedPort()}/client/v4`);
      expect(run.stderr).toMatch(/the connection was refused/);
      expect(run.stderr).toMatch(/gave up after 4 attempts/);
    });

    it('DNS failure: not retried, nothing charged, named a configuration or network problem', async () => {
      const run = await offline('https://cf-insights-test.invalid/client/v4');
      expect(run.stderr).toMatch(
        /^error: Could not reach the Cloudflare API at cf-insights-test\.invalid .*host name .*resolve.*configuration or network problem/m,
      );
      expect(run.stderr).not.toMatch(/gave up after/);
    });
  });

  it('bad settings are exit 2 before any request', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['report'], { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_API_BASE_URL: cf.url }, /Account ID is required/],
      [['report', '--account-id', 'xyz'], { CLOUDFLARE_API_TOKEN: FAKE_TOKEN }, /Invalid --account-id "xyz"/],
      [['report', '--severity', 'urgent'], env(), /Invalid --severity "urgent": accepted severities are low, moderate, high, critical/],
      [['report', '--format', 'xml'], env(), /Invalid --format "xml": use one of table, json/],
      [['report', '--plan', 'gold'], env(), /Invalid --plan "gold"/],
      [['report', '--repo', 'a/b'], env(), /--repo is not a flag of cf-insights report/],
      [['report', '--bogus'], env(), /Unknown flag --bogus/],
      [['report', 'extra'], env(), /Unexpected argument "extra"/],
      [['reprot'], env(), /Unknown command "reprot"/],
      [['--quiet'], env(), /No command given/],
    ];
    for (const [argv, e, message] of cases) {
      const run = await runCli(argv, { home, env: e });
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toMatch(message);
      expect(run.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(run.stdout, argv.join(' ')).toBe('');
    }
    expect(cf.requests).toHaveLength(0);
  });
});
