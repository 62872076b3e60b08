import type { Logger } from '../log.js';
import type { CloudflareClientOptions } from '../cloudflare/client.js';
import type { TrackerTuning } from '../sync/github-tracker.js';
import { stripControls } from '../report/text.js';
import type { ColorMode } from './args.js';

export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width, when it is a terminal. */
  columns?: number;
}

/** Everything the CLI touches of its process, so tests can run it in-process. */
export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Aborted on SIGINT/SIGTERM (watch mode stops cleanly). */
  signal?: AbortSignal;
  /**
   * In-process tests only: faster GitHub pacing and Cloudflare retries against the
   * fakes. The process entry (index.ts) never sets it.
   */
  tuning?: {
    github?: TrackerTuning;
    cloudflare?: Partial<Pick<CloudflareClientOptions, 'sleep' | 'retryBaseMs' | 'timeoutMs' | 'maxRetries'>>;
  };
}

export interface LoggerOptions {
  quiet: boolean;
  verbose: boolean;
  redact: (t: string) => string;
  /** Called before a line is written, so a progress line in flight can be ended first. */
  beforeLine?: () => void;
}

/**
 * Diagnostics go to stderr; machine output alone goes to stdout. Messages can quote API
 * text (a subject, an error body): no escape sequence of theirs reaches the terminal.
 */
export function cliLogger(io: CliIO, options: LoggerOptions): Logger {
  const line = (prefix: string, message: string) => {
    options.beforeLine?.();
    io.stderr.write(`${prefix}${options.redact(stripControls(message, true))}\n`);
  };
  return {
    debug: (m) => {
      if (options.verbose) line('debug: ', m);
    },
    info: (m) => {
      if (!options.quiet) line('', m);
    },
    warning: (m) => line('warning: ', m),
    error: (m) => line('error: ', m),
  };
}

export type Progress = ((phase: 'fetch' | 'write', done: number, total: number) => void) & {
  /** Ends a progress line left open (a run stopped half-way, or a log line coming). */
  settle(): void;
};

/**
 * `pages fetched: 3/10` and `issues written: 4/12`, rewritten in place on stderr, only
 * when stderr is a terminal that takes control sequences (not NO_COLOR, not TERM=dumb)
 * and not with --quiet: piped output never sees it.
 */
export function progressWriter(io: CliIO, quiet: boolean, color: ColorMode = 'auto'): Progress {
  let open = false;
  const settle = () => {
    if (open) io.stderr.write('\n');
    open = false;
  };
  // Control sequences only on a terminal, whatever --color or FORCE_COLOR say.
  if (quiet || io.stderr.isTTY !== true || io.env['TERM'] === 'dumb' || !useColor(io, io.stderr, color)) return Object.assign(() => {}, { settle: () => {} });
  const write = (phase: 'fetch' | 'write', done: number, total: number) => {
    const label = phase === 'fetch' ? 'pages fetched' : 'issues written';
    const finished = done >= total;
    io.stderr.write(`\r\x1b[2K${label}: ${done}/${total}${finished ? '\n' : ''}`);
    open = !finished;
  };
  return Object.assign(write, { settle });
}

/**
 * Whether to colour a stream: --color always/never first; then NO_COLOR (any non-empty
 * value) turns it off; then FORCE_COLOR turns it on (off for 0 or false), as Node and
 * chalk read it; then only on a terminal that is not TERM=dumb.
 */
export function useColor(io: CliIO, stream: CliStream = io.stdout, mode: ColorMode = 'auto'): boolean {
  if (mode !== 'auto') return mode === 'always';
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return !['0', 'false'].includes(force.toLowerCase());
  return stream.isTTY === true && io.env['TERM'] !== 'dumb';
}

/** The width to lay a table out in: the terminal's, when known. */
export function terminalWidth(stream: CliStream): number | undefined {
  return stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : undefined;
}
