/**
 * The CLI behaves like the ones people already use (gh, wrangler, git): help pages,
 * version flags, suggestions for a mistyped flag, tokens refused as flags, `-o -`,
 * colour controls, GH_TOKEN over GITHUB_TOKEN, and an exit code of its own for a bug.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseSettings } from '../../src/config/settings.js';
import { VERSION } from '../../src/version.js';
import { startGithubFake } from '../fakes/github.js';
import { ROOT, SAMPLE_INVENTORY, cleanEnv, runCli } from '../support/cli-runner.js';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cf-insights-cli-conventions-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('an unexpected internal error', () => {
  it('has its own exit code (70) and asks for a report, not "remote API failure" (3)', async () => {
    let stderr = '';
    // A bug of ours: something throws a plain TypeError in the middle of a command.
    const io = {
      stdout: {
        write: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'x')");
        },
      },
      stderr: { write: (t: string) => (stderr += t) },
      env: cleanEnv(home),
    };
    const code = await main(['report', '--from-file', SAMPLE_INVENTORY], io);
    expect(code).toBe(70);
    expect(stderr).toMatch(/^error: cf-insights failed unexpectedly; please report it with --verbose output \(TypeError: Cannot read properties of undefined/m);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    stderr = '';
    expect(await main(['report', '--from-file', SAMPLE_INVENTORY, '--verbose'], io)).toBe(70);
    expect(stderr).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'x'\)\n\s+at /m);
  });
});

describe('help and version, as in gh and git', () => {
  it('--version, -V and -v print the version alone; -v is not --verbose', async () => {
    for (const flag of ['--version', '-V', '-v']) {
      for (const argv of [[flag], ['report', flag]]) {
        const run = await runCli(argv, { home });
        expect(run, argv.join(' ')).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
      }
    }
  });

  it('help <command> is <command> --help; help alone is the main page; help of no command is exit 2', async () => {
    for (const command of ['report', 'sync', 'quota', 'validate']) {
      const viaHelp = await runCli(['help', command], { home });
      const viaFlag = await runCli([command, '--help'], { home });
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: cf-insights ${command}`));
    }
    expect((await runCli(['help'], { home })).stdout).toBe((await runCli(['--help'], { home })).stdout);
    const bad = await runCli(['help', 'sink'], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: Unknown command "sink": use one of report, sync, quota, validate/);
    expect(bad.stderr).toContain('did you mean sync?');
  });

  it('every help page ends with examples that use the flags of its command', async () => {
    for (const argv of [['--help'], ['report', '--help'], ['sync', '--help'], ['quota', '--help'], ['validate', '--help']]) {
      const page = (await runCli(argv, { home })).stdout;
      const examples = page.split('\nExamples:\n')[1];
      expect(examples, argv.join(' ')).toBeDefined();
      const lines = examples!.trimEnd().split('\n');
      expect(lines.length, argv.join(' ')).toBeGreaterThanOrEqual(2);
      for (const line of lines) expect(line, argv.join(' ')).toMatch(/^ {2}(\$ cf-insights|# |\$ [A-Z_]+=)/);
      if (argv[0] !== '--help') for (const line of lines.filter((l) => l.includes('$ '))) expect(line).toContain(`cf-insights ${argv[0]}`);
    }
  });
});

describe('mistyped and refused flags', () => {
  const usage = async (argv: string[]) => {
    const run = await runCli(argv, { home });
    expect(run.code, argv.join(' ')).toBe(2);
    expect(run.stdout, argv.join(' ')).toBe('');
    expect(run.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    return run.stderr;
  };

  it('an unknown flag names the nearest one of the command', async () => {
    expect(await usage(['report', '--sevrity', 'high'])).toMatch(/^error: Unknown flag --sevrity: did you mean --severity\?/);
    expect(await usage(['sync', '--dryrun'])).toMatch(/did you mean --dry-run\?/);
    expect(await usage(['report', '--fromfile', 'x.json'])).toMatch(/did you mean --from-file\?/);
    expect(await usage(['report', '--zzzzzz'])).toMatch(/^error: Unknown flag --zzzzzz: run cf-insights --help/);
    expect(await usage(['report', '--constructor'])).toMatch(/^error: Unknown flag --constructor: /);
  });

  it('a token given as a flag is refused with the reason, and its value is never echoed', async () => {
    for (const argv of [
      ['report', '--api-token', 's3cr3t-value'],
      ['report', '--api-token=s3cr3t-value'],
      ['sync', '--token', 's3cr3t-value', '--repo', 'a/b'],
      ['report', '--api-key=s3cr3t-value'],
      ['sync', '--github-token', 's3cr3t-value'],
    ]) {
      const stderr = await usage(argv);
      expect(stderr).toMatch(
        /is not accepted: tokens are read only from the environment \(CLOUDFLARE_API_TOKEN.*GH_TOKEN or GITHUB_TOKEN\), so they never land in shell history/,
      );
      expect(stderr).not.toContain('s3cr3t');
    }
  });

  it("a flag without its value gets our message, not Node's parser text", async () => {
    expect(await usage(['report', '--format'])).toBe('error: --format needs a value: one of table, json, ndjson, csv, markdown, sarif, ocsf.\n');
    expect(await usage(['report', '-f'])).toBe('error: --format needs a value: one of table, json, ndjson, csv, markdown, sarif, ocsf.\n');
    expect(await usage(['sync', '--repo'])).toBe('error: --repo needs a value.\n');
    const ambiguous = await usage(['sync', '--repo', '--dry-run']);
    expect(ambiguous).toMatch(/^error: --repo needs a value \(one that starts with a dash is written --repo=VALUE\)/);
    expect(ambiguous).not.toMatch(/Option '|argument is ambiguous/);
    expect(await usage(['report', '--json=yes'])).toMatch(/^error: --json/);
  });
});

describe('output and environment conventions', () => {
  it('-o - writes to stdout, not to a file named "-"', async () => {
    for (const argv of [['-o', '-'], ['--output', '-'], ['--output=-']]) {
      const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '-f', 'csv', ...argv], { home });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.split('\n')[0]).toMatch(/^id,severity,/);
      expect(run.stdout.trim().split('\n')).toHaveLength(25);
      expect(existsSync(join(process.cwd(), '-'))).toBe(false);
      expect(run.stderr).not.toContain('Wrote');
    }
  });

  it('GH_TOKEN wins over GITHUB_TOKEN, as in gh', async () => {
    const gh = await startGithubFake();
    try {
      const run = await runCli(
        ['sync', '--from-file', SAMPLE_INVENTORY, '--repo', 'acme/security', '--state', join(home, 's.json'), '--fail-on', 'none', '--json'],
        {
          home,
          env: { GH_TOKEN: gh.token, GITHUB_TOKEN: 'ghs_someOtherTokenThatIsWrong01', GITHUB_API_URL: gh.url },
        },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).counts.created).toBeGreaterThan(0);
    } finally {
      await gh.close();
    }
  });

  it('colour: --color beats NO_COLOR, which beats FORCE_COLOR, which beats the TTY test', async () => {
    const table = async (argv: string[], env: Record<string, string>, stdoutTTY: boolean) => {
      const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, ...argv], { home, env, stdoutTTY });
      expect(run.code, run.stderr).toBe(0);
      return run.stdout.includes('\x1b[');
    };
    expect(await table([], {}, false)).toBe(false);
    expect(await table([], {}, true)).toBe(true);
    expect(await table([], { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(await table([], { FORCE_COLOR: '0' }, true)).toBe(false);
    expect(await table([], { FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(false);
    expect(await table(['--color=always'], { NO_COLOR: '1' }, false)).toBe(true);
    expect(await table(['--color', 'never'], { FORCE_COLOR: '1' }, true)).toBe(false);
    expect(await table(['--color=auto'], {}, true)).toBe(true);
    expect(await table(['--color=auto'], {}, false)).toBe(false);
    const bad = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '--color=sometimes'], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: Invalid --color "sometimes": use always, never or auto.\n');
  });
});

describe('quota --check', () => {
  it("exits 1 when the schedule does not fit the month's budget, 0 when it does: a gate for a workflow change", async () => {
    const over = await runCli(['quota', '--plan', 'free', '--cron', '*/5 * * * *', '--check'], { home });
    expect(over.code).toBe(1);
    expect(over.stdout).toContain('Schedule "*/5 * * * *"');
    expect(over.stderr).toMatch(/^error: The schedule "\*\/5 \* \* \* \*" does not fit the budget: about \d+ requests a month, over the 100 of plan free/m);
    const fits = await runCli(['quota', '--plan', 'free', '--cron', '0 6 * * *', '--check'], { home });
    expect(fits.code, fits.stderr).toBe(0);
    const json = await runCli(['quota', '--budget', '50', '--cron', '0 */8 * * *', '--check', '--json'], { home });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).schedule.fits).toBe(false);
    const noCron = await runCli(['quota', '--check'], { home });
    expect(noCron.code).toBe(2);
    expect(noCron.stderr).toMatch(/^error: --check needs --cron/);
    const typo = await runCli(['quota', '--chek'], { home });
    expect(typo.stderr).toMatch(/did you mean --check\?/);
  });
});

describe("errors name the CLI's own flags, the action's name its inputs", () => {
  it('--budget, --fail-on, --repo, --account-id and the environment variables, not the input names', async () => {
    const env = { CLOUDFLARE_API_TOKEN: 'cf-token-0123456789', GH_TOKEN: 'ghs_token0123456789' };
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['validate', '--account-id', ACCOUNT, '--budget', 'lots'], env, /^error: Invalid --budget "lots": use a whole number/],
      [['validate', '--account-id', ACCOUNT, '--fail-on', 'urgent'], env, /^error: Invalid --fail-on "urgent": use none, low/],
      [['validate', '--account-id', ACCOUNT, '--repo', 'not a repo'], env, /^error: Invalid --repo "not a repo": use owner\/name/],
      [['validate', '--account-id', 'xyz'], env, /^error: Invalid --account-id "xyz"/],
      [['validate', '--account-id', ACCOUNT, '--zone-id', ACCOUNT], env, /^error: Set either --account-id or --zone-id, not both/],
      [['validate'], env, /^error: Account ID is required: set --account-id \(CLOUDFLARE_ACCOUNT_ID\), or --zone-id/],
      [['validate', '--account-id', ACCOUNT], {}, /^error: An API token is required: set CLOUDFLARE_API_TOKEN to a token/],
      [['sync', '--account-id', ACCOUNT], env, /^error: A repository is required: set --repo to owner\/name/],
      [
        ['sync', '--account-id', ACCOUNT, '--repo', 'a/b'],
        { CLOUDFLARE_API_TOKEN: 'cf-token-0123456789' },
        /^error: A GitHub token is required: set GH_TOKEN \(or GITHUB_TOKEN\)/,
      ],
      [['report', '--from-file', SAMPLE_INVENTORY, '--format', 'xml'], {}, /^error: Invalid --format "xml": use one of table/],
    ];
    for (const [argv, e, message] of cases) {
      const run = await runCli(argv, { home, env: e });
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toMatch(message);
    }
  });

  it("the action's settings errors keep the input names", () => {
    const raw = { 'account-id': ACCOUNT, 'api-token': 'cf-token-0123456789' };
    expect(() => parseSettings({ ...raw, 'monthly-request-budget': 'lots' }, { cloudflare: true, github: false })).toThrow(
      /^Invalid monthly-request-budget "lots"/,
    );
    expect(() => parseSettings({ ...raw, 'fail-on-severity': 'urgent' }, { cloudflare: true, github: false })).toThrow(/^Invalid fail-on-severity "urgent"/);
    expect(() => parseSettings(raw, { cloudflare: true, github: true })).toThrow(/^A repository is required: set repository to owner\/name/);
  });
});

describe('the table in terminal columns', () => {
  const SUBJECTS = [
    '例え.テスト.jp',
    '🔥-fire.example.com',
    'ｆｕｌｌｗｉｄｔｈ.example',
    'plain.example.com',
    'a-very-long-subject-中文-🎉🎉🎉-that-needs-cutting.example.com',
  ];

  function wideInventory(): string {
    const sample = JSON.parse(readFileSync(SAMPLE_INVENTORY, 'utf8')) as { insights: { subject: string; dismissed?: boolean }[] };
    sample.insights = sample.insights.slice(0, SUBJECTS.length).map((i, n) => ({ ...i, subject: SUBJECTS[n]!, dismissed: n === 1 }));
    const path = join(home, 'wide.json');
    writeFileSync(path, JSON.stringify(sample));
    return path;
  }

  it('CJK and emoji subjects line up, and the table fits from 120 down to 40 columns', async () => {
    const file = wideInventory();
    for (const columns of [120, 80, 74, 60, 50, 40]) {
      const run = await runCli(['report', '--from-file', file, '--include-dismissed'], { home, stdoutTTY: true, columns, env: { NO_COLOR: '1' } });
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout.split('\n');
      for (const line of lines) expect(stringWidth(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns);
      const header = lines[0]!;
      const sinceAt = stringWidth(header.slice(0, header.indexOf('SINCE')));
      const rows = lines.filter((l) => /\d{4}-\d{2}-\d{2}$/.test(l));
      expect(rows).toHaveLength(SUBJECTS.length);
      for (const row of rows) expect(stringWidth(row.slice(0, row.search(/\d{4}-\d{2}-\d{2}$/))), `${columns}: ${row}`).toBe(sinceAt);
      if (columns >= 80) expect(run.stdout).toContain('例え.テスト.jp');
      expect(run.stdout).toContain('…');
    }
  });
});

describe('config files', () => {
  const validate = (argv: string[]) =>
    runCli(['validate', ...argv, '--json'], { home, env: { CLOUDFLARE_API_TOKEN: 'cf-token-0123456789', GH_TOKEN: 'ghs_token0123456789' } });

  it("examples/cf-insights.yaml, the README's example, is valid as shipped", async () => {
    const run = await validate(['--config', join(ROOT, 'examples/cf-insights.yaml')]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      valid: true,
      scope: `accounts/${ACCOUNT}`,
      plan: 'free',
      failOn: 'High',
      schedule: { cron: '17 6 * * *', fits: true },
      github: { repository: 'acme/security', labels: ['cloudflare-insight', 'security'] },
    });
  });

  it('accepts the flag names beside the input names: repo or repository, budget or monthly-request-budget, fail-on or fail-on-severity', async () => {
    const write = (name: string, text: string) => {
      const path = join(home, name);
      writeFileSync(path, text);
      return path;
    };
    const flags = await validate(['--config', write('flags.yaml', `account-id: ${ACCOUNT}\nrepo: acme/flags\nbudget: 500\nfail-on: moderate\n`)]);
    const inputs = await validate([
      '--config',
      write('inputs.yaml', `account-id: ${ACCOUNT}\nrepository: acme/flags\nmonthly-request-budget: 500\nfail-on-severity: moderate\n`),
    ]);
    expect(flags.code, flags.stderr).toBe(0);
    expect(flags.stdout).toBe(inputs.stdout);
    expect(JSON.parse(flags.stdout)).toMatchObject({ budget: 500, failOn: 'Moderate', github: { repository: 'acme/flags' } });
    const both = await validate(['--config', write('both.yaml', `account-id: ${ACCOUNT}\nrepo: acme/a\nrepository: acme/b\n`)]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^error: .*both\.yaml sets repository twice \(repo and repository\): keep one\./);
  });
});

describe('the examples of the help pages', () => {
  /** Shell words of an example line (double quotes only, as the examples use). */
  const words = (line: string) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);

  it('run as written where they need no network: the sample, quota, validate, help', async () => {
    const pages = await Promise.all([['--help'], ...['report', 'sync', 'quota', 'validate'].map((c) => [c, '--help'])].map((argv) => runCli(argv, { home })));
    const lines = pages.flatMap((p) => p.stdout.split('\nExamples:\n')[1]!.split('\n')).filter((l) => l.startsWith('  $ cf-insights '));
    const offline = lines
      .map((l) => words(l.slice('  $ cf-insights '.length).split(' | ')[0]!))
      .filter((argv) => argv.includes('--from-file') || ['quota', 'validate', 'help'].includes(argv[0]!));
    expect(offline.length).toBeGreaterThanOrEqual(7);
    for (const argv of offline) {
      // No GitHub token for sync: its example is the dry run that needs none.
      const gh = argv[0] === 'sync' ? {} : { GH_TOKEN: 'ghs_token0123456789' };
      const run = await runCli(argv, { home, env: { CLOUDFLARE_API_TOKEN: 'cf-token-0123456789', CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:9', ...gh } });
      expect(run.code, `${argv.join(' ')}\n${run.stderr}`).toBe(argv.includes('--check') ? 1 : 0);
      expect(run.stdout, argv.join(' ')).not.toBe('');
    }
  });
});
