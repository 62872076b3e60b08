/**
 * The narrow logging surface the core uses. The action backs it with @actions/core,
 * the CLI with stderr; tests with an array. Secrets never reach it: the shells mask
 * them before any line is written.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warning() {},
  error() {},
};

/** A logger that keeps every line, for tests and for the job summary. */
export function memoryLogger(): Logger & { lines: { level: keyof Logger; message: string }[] } {
  const lines: { level: keyof Logger; message: string }[] = [];
  const push = (level: keyof Logger) => (message: string) => {
    lines.push({ level, message });
  };
  return { lines, debug: push('debug'), info: push('info'), warning: push('warning'), error: push('error') };
}
