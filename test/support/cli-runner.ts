/**
 * Runs the CLI for tests, three ways:
 * - runCli(argv, opts): in-process through main(argv, io), with captured stdout/stderr,
 *   a chosen TTY-ness and width, a clock, and the fast GitHub/Cloudflare tuning;
 * - spawnCli(argv, opts): `node --import tsx src/cli/index.ts` as a child process (real
 *   signals, real exit codes); `runCliProcess` waits for it;
 * - runInPty(argv, opts): the same child under a pseudo-terminal (util-linux `script`),
 *   so stdout and stderr are TTYs; the output is the terminal's (both streams mixed).
 * Every way starts from a clean environment (never the test process's own: a CI runner
 * may have GITHUB_TOKEN or GITHUB_API_URL set), with HOME and XDG_STATE_HOME in a temp dir.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fastThrottleForTests } from '../../src/github/throttle.js';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI_SOURCE = join(ROOT, 'src/cli/index.ts');
export const SAMPLE_INVENTORY = join(ROOT, 'samples/inventory.json');

/** Where the built bundles are: CF_INSIGHTS_DIST (a private build) or the repository's dist/. */
export function distDir(): string {
  return resolve(process.env['CF_INSIGHTS_DIST'] ?? join(ROOT, 'dist'));
}

/** util-linux `script`, needed for the pseudo-terminal tests. */
export const HAS_SCRIPT = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  /** Added to the clean environment ({HOME, XDG_STATE_HOME} under `home`). */
  env?: Record<string, string | undefined>;
  /** A temp folder for HOME and the default state location. */
  home: string;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  columns?: number;
  now?: () => Date;
  signal?: AbortSignal;
  /** Fast pacing against the fakes (default on). */
  fast?: boolean;
}

export function cleanEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    XDG_STATE_HOME: join(home, 'state'),
    LANG: 'C.UTF-8',
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** main() in this process: fast, and the tuning seam makes the GitHub fake writes quick. */
export async function runCli(argv: string[], opts: InProcessOptions): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (t: string) => (stdout += t), isTTY: opts.stdoutTTY ?? false, ...(opts.columns ? { columns: opts.columns } : {}) },
    stderr: { write: (t: string) => (stderr += t), isTTY: opts.stderrTTY ?? false },
    env: cleanEnv(opts.home, opts.env),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.fast === false
      ? {}
      : {
          tuning: { github: { throttle: fastThrottleForTests(), recoveryDelayMs: 0 }, cloudflare: { sleep: async () => {}, retryBaseMs: 1, timeoutMs: 2_000 } },
        }),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export interface ProcessOptions {
  home: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Run this bundle (e.g. `${distDir()}/cli.js`) instead of the sources through tsx. */
  bundle?: string;
}

/** The command line that starts the CLI: the sources through tsx, or a bundle. */
export function cliCommandLine(bundle?: string): string[] {
  return bundle ? [process.execPath, bundle] : [process.execPath, '--import', 'tsx', CLI_SOURCE];
}

export interface SpawnedCli {
  child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited and its streams are closed. */
  exited: Promise<CliRun>;
}

export function spawnCli(argv: string[], opts: ProcessOptions): SpawnedCli {
  const [cmd, ...pre] = cliCommandLine(opts.bundle);
  const child = spawn(cmd!, [...pre, ...argv], {
    cwd: opts.cwd ?? ROOT,
    env: cleanEnv(opts.home, opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<CliRun>((resolveRun, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolveRun({ code: code ?? (signal ? -1 : -2), stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

export function runCliProcess(argv: string[], opts: ProcessOptions): Promise<CliRun> {
  return spawnCli(argv, opts).exited;
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The CLI under a pseudo-terminal: `script -qec "<cmd>" /dev/null`. Both streams are
 * the terminal; `pipeStdout` sends stdout to a file instead (stderr stays a TTY), to
 * tell the streams apart. Resolves with the terminal text and the CLI's exit code.
 */
export function runInPty(argv: string[], opts: ProcessOptions & { pipeStdoutTo?: string; columns?: number }): Promise<{ code: number; terminal: string }> {
  // `stty cols N` sets the terminal's width, as a resized window would.
  const size = opts.columns ? `stty cols ${opts.columns} rows 40; ` : '';
  const line = size + cliCommandLine(opts.bundle).concat(argv).map(shellQuote).join(' ') + (opts.pipeStdoutTo ? ` > ${shellQuote(opts.pipeStdoutTo)}` : '');
  return new Promise((resolveRun, reject) => {
    const child = spawn('script', ['-qec', line, '/dev/null'], {
      cwd: opts.cwd ?? ROOT,
      env: cleanEnv(opts.home, { TERM: 'xterm-256color', ...opts.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let terminal = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (terminal += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (terminal += d));
    child.on('error', reject);
    // `script -e` exits with the child's code.
    child.on('close', (code) => resolveRun({ code: code ?? -1, terminal }));
  });
}

/** Waits until `check()` holds, polling (no timing assertion: the test's timeout bounds it). */
export async function until(check: () => boolean, everyMs = 25): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, everyMs));
}

export function bundleExists(name = 'cli.js'): boolean {
  return existsSync(join(distDir(), name));
}
