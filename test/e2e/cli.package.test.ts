/**
 * The CLI as a user installs it: the bundle behind the `bin` entry, packed with
 * `npm pack` and run from the tarball with `npm exec --offline` in an empty folder
 * (no network: the registry is an unreachable address), and `npm run demo` with no
 * credentials. The bundles come from CF_INSIGHTS_DIST (a private build:
 * `node scripts/build.mjs /tmp/x-dist`) or the repository's dist/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { ROOT, cleanEnv, distDir } from '../support/cli-runner.js';

interface PackageJson {
  name: string;
  version: string;
  type?: string;
  bin?: Record<string, string>;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const CLI_FILES = ['cli.js', 'cli-licenses.txt', 'package.json'];
// npm must never reach a registry: every lookup would fail on this address.
const NO_REGISTRY = 'http://127.0.0.1:9/';

describe('package.json', () => {
  it('has the bin entry, ships the bundle and needs no dependency at run time', () => {
    expect(pkg.bin).toEqual({ 'cf-insights': 'dist/cli.js' });
    expect(pkg.type).toBe('module');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/cli.js', 'dist/cli-licenses.txt', 'dist/package.json', 'samples/inventory.json']));
    // Everything is bundled by ncc.
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    for (const name of ['@octokit/rest', 'undici', 'zod', 'croner', 'yaml']) expect(pkg.devDependencies, name).toHaveProperty(name);
    expect(pkg.version).toBe(VERSION);
  });
});

describe('the packed CLI', () => {
  let work: string;
  let tarball: string;
  let npmEnv: NodeJS.ProcessEnv;
  // npm's own flags go before `--`: what follows it belongs to the command.
  const npm = ([command, ...args]: string[], cwd: string) =>
    spawnSync(
      'npm',
      [
        command!,
        '--offline',
        `--registry=${NO_REGISTRY}`,
        `--cache=${join(work, 'npm-cache')}`,
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
        '--loglevel=error',
        ...args,
      ],
      {
        cwd,
        env: npmEnv,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );

  beforeAll(() => {
    const dist = distDir();
    for (const file of CLI_FILES) {
      if (!existsSync(join(dist, file)))
        throw new Error(`${join(dist, file)} is missing: run npm run build, or set CF_INSIGHTS_DIST to a private build (node scripts/build.mjs /tmp/x-dist)`);
    }
    work = mkdtempSync(join(tmpdir(), 'cf-insights-pack-'));
    npmEnv = cleanEnv(join(work, 'home'));
    mkdirSync(join(work, 'home'), { recursive: true });
    // The package as it would be published: the repository's files, the chosen bundle.
    const src = join(work, 'package');
    mkdirSync(join(src, 'dist'), { recursive: true });
    mkdirSync(join(src, 'samples'), { recursive: true });
    for (const file of ['package.json', 'README.md', 'action.yml', 'samples/inventory.json']) {
      if (existsSync(join(ROOT, file))) copyFileSync(join(ROOT, file), join(src, file));
    }
    for (const file of CLI_FILES) copyFileSync(join(dist, file), join(src, 'dist', file));
    chmodSync(join(src, 'dist/cli.js'), statSync(join(dist, 'cli.js')).mode);
    mkdirSync(join(work, 'out'));
    const packed = npm(['pack', '--pack-destination', join(work, 'out'), '--json'], src);
    expect(packed.status, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string; mode: number }[] }[];
    const paths = info!.files.map((f) => f.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['dist/cli.js', 'dist/package.json', 'package.json', 'README.md', 'samples/inventory.json']));
    expect(paths.filter((p) => p.startsWith('src/') || p.startsWith('test/') || p.endsWith('.map'))).toEqual([]);
    tarball = join(work, 'out', info!.filename);
    expect(existsSync(tarball)).toBe(true);
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('npm exec --offline runs cf-insights --help and --version from the tarball in an empty folder', { timeout: 120_000 }, () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const help = npm(['exec', '--yes', `--package=${tarball}`, '--', 'cf-insights', '--help'], empty);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^cf-insights \d+\.\d+\.\d+: Cloudflare Security Insights/);
    expect(help.stdout).toContain('Usage: cf-insights <command> [flags]');
    const version = npm(['exec', '--yes', `--package=${tarball}`, '--', 'cf-insights', '--version'], empty);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('installed from the tarball, the bin reports on the bundled sample with no credentials', { timeout: 120_000 }, () => {
    const project = join(work, 'project');
    mkdirSync(project);
    const installed = npm(['install', tarball, '--ignore-scripts'], project);
    expect(installed.status, installed.stderr).toBe(0);
    const bin = join(project, 'node_modules/.bin/cf-insights');
    const sample = join(project, 'node_modules/cf-insights/samples/inventory.json');
    const out = execFileSync(bin, ['report', '--from-file', sample, '--format', 'csv'], { cwd: project, env: npmEnv, encoding: 'utf8' });
    expect(out.split('\n')[0]).toMatch(/^id,severity,/);
    expect(out.trim().split('\n')).toHaveLength(25);
  });
});

describe('npm run demo', () => {
  it('shows a report of the sample inventory and the dry-run plan of a sync, with no credentials', { timeout: 60_000 }, () => {
    const script = pkg.scripts?.['demo'];
    expect(script).toBeTruthy();
    const home = mkdtempSync(join(tmpdir(), 'cf-insights-demo-'));
    try {
      // The demo's own commands, against the chosen bundle.
      const command = script!.replaceAll('node dist/cli.js', `node ${join(distDir(), 'cli.js')}`);
      const run = spawnSync('sh', ['-c', command], { cwd: ROOT, env: cleanEnv(home, { TMPDIR: home }), encoding: 'utf8', timeout: 60_000 });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/^SEVERITY\s+TYPE\s+CLASS\s+SUBJECT\s+SINCE$/m);
      expect(run.stdout).toMatch(/^24 insights: 8 critical, 0 high, 11 moderate, 5 low \(1 resolved\)$/m);
      expect(run.stdout).toMatch(/^ACTION\s+ISSUE\s+TITLE\s+WHY$/m);
      expect(run.stdout).toMatch(/^Plan: 23 issues to write \(23 writes\), 0 over the cap/m);
      expect(run.stdout).toMatch(/^Dry run: 24 insights/m);
      expect(run.stderr).not.toMatch(/^error: /m);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
