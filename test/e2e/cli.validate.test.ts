/**
 * `cf-insights validate` (settings from flags, env or a JSON/YAML config file, checked
 * and shown as the request they would make, with no request: the fake sees none), and
 * `--help` / `--version`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { FAKE_ACCOUNT_ID, FAKE_EMAIL, FAKE_KEY, FAKE_TOKEN, FAKE_ZONE_ID, startCloudflareFake, type CloudflareFake } from '../fakes/cloudflare.js';
import { runCli } from '../support/cli-runner.js';

let cf: CloudflareFake;
let home: string;
beforeAll(async () => {
  cf = await startCloudflareFake();
});
afterAll(() => cf.close());
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cf-insights-cli-validate-'));
  cf.reset();
});
afterEach(() => {
  // Whatever validate did, it asked Cloudflare nothing.
  expect(cf.requests).toHaveLength(0);
  rmSync(home, { recursive: true, force: true });
});

const file = (name: string, text: string) => {
  const path = join(home, name);
  writeFileSync(path, text);
  return path;
};
const insightsUrl = (scope = `accounts/${FAKE_ACCOUNT_ID}`) => `${cf.url}/${scope}/security-center/insights`;

describe('validate', () => {
  it('settings from flags and env: prints the request it would make', async () => {
    const run = await runCli(['validate', '--account-id', FAKE_ACCOUNT_ID, '--severity', 'High,critical', '--exclude-issue-type', 'email_security'], {
      home,
      env: { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_API_BASE_URL: cf.url },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Settings are valid.');
    expect(run.stdout).toContain(`Would request: GET ${insightsUrl()}?issue_type~neq=email_security&dismissed=false&page=1&per_page=1000`);
    expect(run.stdout).toContain('Severity filter High, Critical: applied after the fetch (the API filters on low, moderate and critical only).');
    expect(run.stdout).toContain('Authentication: API token (Authorization: Bearer ***)');
    expect(run.stdout).toContain('Threshold: Critical and above, scope open.');
  });

  it('a YAML config file with the setting names; env and flags win over it', async () => {
    const config = file(
      'cf-insights.yml',
      [
        `zone-id: ${FAKE_ZONE_ID}`,
        'severity:',
        '  - high',
        '  - critical',
        'include-dismissed: true',
        'plan: enterprise',
        'fail-on-severity: high',
        'cron: "0 */2 * * *"',
      ].join('\n'),
    );
    const run = await runCli(['validate', '--config', config, '--json'], { home, env: { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_API_BASE_URL: cf.url } });
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      valid: true,
      request: { method: 'GET', url: `${insightsUrl(`zones/${FAKE_ZONE_ID}`)}?page=1&per_page=1000` },
      auth: 'token',
      scope: `zones/${FAKE_ZONE_ID}`,
      plan: 'enterprise',
      budget: 2500,
      failOn: 'High',
      schedule: { cron: '0 */2 * * *', runsPerMonth: 372, fits: true },
      github: null,
    });
    expect(Object.keys(json)).toEqual(['valid', 'request', 'auth', 'scope', 'plan', 'budget', 'failOn', 'failOnScope', 'schedule', 'github']);

    const over = await runCli(['validate', '--config', config, '--json', '--plan', 'free', '--severity', 'low'], {
      home,
      env: { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_API_BASE_URL: cf.url },
    });
    expect(JSON.parse(over.stdout)).toMatchObject({ plan: 'free', budget: 100, schedule: { fits: false } });
    expect(JSON.parse(over.stdout).request.url).toContain('?severity=low&page=1');
  });

  it('a JSON config file, with the legacy key pair from the environment', async () => {
    const config = file('settings.json', JSON.stringify({ 'account-id': FAKE_ACCOUNT_ID, 'api-email': FAKE_EMAIL, 'issue-type': ['weak_authentication'] }));
    const run = await runCli(['validate', '--config', config], { home, env: { CLOUDFLARE_API_KEY: FAKE_KEY, CLOUDFLARE_API_BASE_URL: cf.url } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Authentication: legacy key (X-Auth-Email + X-Auth-Key ***)');
    expect(run.stdout).toContain('?issue_type=weak_authentication&dismissed=false');
  });

  it('refuses secrets in a config file, without echoing them', async () => {
    for (const [key, secret] of [
      ['api-token', 'cf-secret-in-a-file-123456'],
      ['github-token', 'ghp_secretInAFile123456'],
      ['api-key', 'legacy-key-in-a-file-123456'],
    ]) {
      const config = file(`s-${key}.yml`, `account-id: ${FAKE_ACCOUNT_ID}\n${key}: ${secret}\n`);
      const run = await runCli(['validate', '--config', config], { home, env: { CLOUDFLARE_API_TOKEN: FAKE_TOKEN } });
      expect(run.code, key).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^error: ${key} may not be set in a config file .*: pass secrets in the environment`));
      expect(run.stderr + run.stdout).not.toContain(secret);
    }
  });

  it('bad config files: exit 2 with one line', async () => {
    const cases: [string, string, RegExp][] = [
      ['unknown.yml', 'acount-id: x\n', /Unknown setting "acount-id" in .*unknown\.yml: did you mean account-id\? accepted settings are account-id/],
      ['broken.json', '{"account-id": ', /is not valid JSON/],
      ['list.yml', '- a\n- b\n', /must hold a mapping of setting names to values/],
      ['nested.yml', `account-id: ${FAKE_ACCOUNT_ID}\nseverity:\n  high: true\n`, /severity in .* must be a string, a number, true\/false or a list of them/],
      ['bad-value.yml', `account-id: ${FAKE_ACCOUNT_ID}\nseverity: urgent\n`, /Invalid --severity "urgent"/],
    ];
    for (const [name, text, message] of cases) {
      const run = await runCli(['validate', '--config', file(name, text)], { home, env: { CLOUDFLARE_API_TOKEN: FAKE_TOKEN } });
      expect(run.code, name).toBe(2);
      expect(run.stderr, name).toMatch(message);
      expect(run.stderr.trim().split('\n'), name).toHaveLength(1);
    }
    const missing = await runCli(['validate', '--config', join(home, 'nope.yml')], { home, env: {} });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: Cannot read the config file .*nope\.yml: ENOENT/);
  });

  it('missing or bad settings: exit 2 naming the setting', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['validate'], { CLOUDFLARE_API_TOKEN: FAKE_TOKEN }, /^error: Account ID is required/],
      [['validate', '--account-id', FAKE_ACCOUNT_ID], {}, /^error: An API token is required/],
      [['validate', '--account-id', FAKE_ACCOUNT_ID, '--zone-id', FAKE_ZONE_ID], { CLOUDFLARE_API_TOKEN: FAKE_TOKEN }, /either --account-id or --zone-id/],
      [
        ['validate', '--account-id', FAKE_ACCOUNT_ID],
        { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, CLOUDFLARE_API_BASE_URL: 'http://api.example.com' },
        /Invalid CLOUDFLARE_API_BASE_URL/,
      ],
      [['validate', '--account-id', FAKE_ACCOUNT_ID, '--repo', 'acme/security'], { CLOUDFLARE_API_TOKEN: FAKE_TOKEN }, /A GitHub token is required/],
      [
        ['validate', '--account-id', FAKE_ACCOUNT_ID, '--repo', 'not a repo'],
        { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, GITHUB_TOKEN: 'ghs_x1234' },
        /Invalid --repo "not a repo"/,
      ],
      [['validate', '--account-id', FAKE_ACCOUNT_ID, '--cron', '0 25 * * *'], { CLOUDFLARE_API_TOKEN: FAKE_TOKEN }, /Invalid --cron "0 25 \* \* \*"/],
      [
        ['validate', '--account-id', FAKE_ACCOUNT_ID, '--format', 'json'],
        { CLOUDFLARE_API_TOKEN: FAKE_TOKEN },
        /--format is not a flag of cf-insights validate/,
      ],
    ];
    for (const [argv, env, message] of cases) {
      const run = await runCli(argv, { home, env });
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });

  it('with --repo: the sync settings too; --dry-run needs no GitHub token', async () => {
    const env = { CLOUDFLARE_API_TOKEN: FAKE_TOKEN, GITHUB_API_URL: 'https://ghe.example.com/api/v3' };
    const run = await runCli(
      ['validate', '--account-id', FAKE_ACCOUNT_ID, '--repo', 'acme/security', '--dry-run', '--labels', 'security,cloudflare', '--max-issue-writes', '20'],
      { home, env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'Issues: acme/security via https://ghe.example.com/api/v3, labels security, cloudflare, one per insight, at most 20 writes a run (dry run), no GitHub token (a dry run only).',
    );
  });
});

describe('--help and --version', () => {
  it('--version prints the version alone', async () => {
    const run = await runCli(['--version'], { home });
    expect(run).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('no arguments or --help: the commands', async () => {
    for (const argv of [[], ['--help'], ['-h']]) {
      const run = await runCli(argv, { home });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^cf-insights \d+\.\d+\.\d+: /);
      for (const command of ['report', 'sync', 'quota', 'validate']) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  const FLAGS: Record<string, string[]> = {
    report: ['--format', '--output', '--from-file', '--new-only', '--no-save', '--fail-on', '--account-id', '--severity', '--state', '--plan'],
    sync: [
      '--repo',
      '--dry-run',
      '--json',
      '--watch',
      '--cron',
      '--labels',
      '--max-issue-writes',
      '--fail-on-scope',
      '--no-close-resolved',
      'GITHUB_TOKEN',
      'GH_TOKEN',
    ],
    quota: ['--plan', '--budget', '--cron', '--state', '--json'],
    validate: ['--config', '--json', '--cron', '--repo'],
  };
  for (const [command, flags] of Object.entries(FLAGS)) {
    it(`${command} --help lists its flags and the exit codes`, async () => {
      const run = await runCli([command, '--help'], { home });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(new RegExp(`^Usage: cf-insights ${command}`));
      for (const flag of flags) expect(run.stdout, flag).toContain(flag);
      expect(run.stdout).toContain('Exit codes: 0 ok, 1 threshold breached, 2 invalid settings or usage, 3 remote API failure');
    });
  }
});
