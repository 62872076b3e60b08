/**
 * A newcomer's first minutes, as the README tells them: a fresh clone (of the committed
 * HEAD, `git clone --local`), with nothing installed, runs the two commands at the top
 * of the README as written: `npm run demo`, then `npm test` (limited to one small test
 * file, so the suite does not run itself; the install from the lock file, the
 * type-check and vitest all run for real). Then the CLI section's first line, `npx
 * cf-insights ...` from the checkout. npm installs from its local cache where it can
 * (`--prefer-offline`); on an empty cache it needs the registry, nothing else.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cleanEnv } from '../support/cli-runner.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The commands of a fenced sh block: one a line, comments dropped. */
function commands(block: string): string[] {
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The first ```sh block of the README, and the first of its CLI section. */
const TOP = commands(/```sh\n([\s\S]*?)```/.exec(README)![1]!);
const CLI = commands(/## The CLI\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(README)![1]!);

const HAS_GIT = existsSync(join(ROOT, '.git')) && spawnSync('git', ['--version'], { stdio: 'ignore' }).status === 0;

describe('the README', () => {
  it('starts with the two commands a newcomer runs: the demo and the tests', () => {
    expect(TOP).toEqual(['npm run demo', 'npm test']);
    expect(CLI[0]).toBe('npx cf-insights report --from-file samples/inventory.json');
  });
});

describe.skipIf(!HAS_GIT)('a fresh clone, following the README (git clone --local of HEAD)', () => {
  let work: string;
  let clone: string;
  let env: NodeJS.ProcessEnv;
  const sh = (command: string, timeout = 600_000) => spawnSync('sh', ['-c', command], { cwd: clone, env, encoding: 'utf8', timeout });

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'cf-insights-clone-'));
    clone = join(work, 'cf-insights');
    mkdirSync(join(work, 'home'));
    execFileSync('git', ['clone', '--quiet', '--local', '--no-hardlinks', ROOT, clone], { stdio: 'ignore' });
    // The user's npm cache (the temp HOME has none), preferred over the registry.
    const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
    env = cleanEnv(join(work, 'home'), {
      TMPDIR: work,
      npm_config_cache: cache,
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
      CI: 'true',
    });
  }, 60_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('has nothing installed', () => {
    expect(existsSync(join(clone, 'node_modules'))).toBe(false);
    expect(existsSync(join(clone, 'dist/cli.js'))).toBe(true);
  });

  it(`\`${TOP[0]}\` shows the sample as a report and a dry-run plan`, { timeout: 120_000 }, () => {
    const run = sh(TOP[0]!, 120_000);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^24 insights: 8 critical, 0 high, 11 moderate, 5 low \(1 resolved\)$/m);
    expect(run.stdout).toMatch(/^Dry run: 24 insights/m);
  });

  it(`\`${CLI[0]}\` runs the CLI from the checkout, with nothing installed`, { timeout: 120_000 }, () => {
    const run = sh(CLI[0]!, 120_000);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^SEVERITY\s+TYPE\s+CLASS\s+SUBJECT\s+SINCE$/m);
  });

  it(`\`${TOP[1]}\` installs from the lock file, type-checks and passes (one test file)`, { timeout: 900_000 }, () => {
    const run = sh(`${TOP[1]} -- test/unit/repo.engines.test.ts`, 900_000);
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(run.stdout).toContain('npm test: the dependencies are not installed; installing from the lock file (npm ci)');
    expect(run.stdout).toMatch(/^[1-9]\d* passed, 0 failed$/m);
    expect(existsSync(join(clone, 'node_modules/.bin/vitest'))).toBe(true);
  });
});
