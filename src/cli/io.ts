import type { Logger } from '../log.js';

export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Everything the CLI touches of its process, so tests can run it in-process. */
export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Aborted on SIGINT/SIGTERM (watch mode stops cleanly). */
  signal?: AbortSignal;
}

/** Replaces every known secret in a text; applied to everything the CLI prints. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const list = secrets.filter((s) => s.length >= 4);
  return (text) => list.reduce((t, s) => t.split(s).join('***'), text);
}

/** Diagnostics go to stderr; machine output alone goes to stdout. */
export function cliLogger(io: CliIO, options: { quiet: boolean; verbose: boolean; redact: (t: string) => string }): Logger {
  const line = (prefix: string, message: string) => io.stderr.write(`${prefix}${options.redact(message)}\n`);
  return {
    debug: (m) => options.verbose && line('debug: ', m),
    info: (m) => !options.quiet && line('', m),
    warning: (m) => line('warning: ', m),
    error: (m) => line('error: ', m),
  };
}

/** `pages 3/10` on one rewritten line, only on a terminal and not with --quiet. */
export function progressWriter(io: CliIO, quiet: boolean): (phase: 'fetch' | 'write', done: number, total: number) => void {
  if (quiet || !io.stderr.isTTY) return () => {};
  return (phase, done, total) => {
    const label = phase === 'fetch' ? 'pages fetched' : 'issues written';
    io.stderr.write(`\r\x1b[2K${label}: ${done}/${total}${done >= total ? '\n' : ''}`);
  };
}

export function useColor(io: CliIO): boolean {
  const noColor = io.env['NO_COLOR'];
  return io.stdout.isTTY === true && (noColor === undefined || noColor === '') && io.env['TERM'] !== 'dumb';
}
