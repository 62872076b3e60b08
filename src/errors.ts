/**
 * Exit codes (docs/architecture.md, "Exit codes"). Every error the user can see is a CfInsightsError: one line
 * (`message`: what failed, why, what to do) plus details for the debug log.
 */
export const EXIT = {
  ok: 0,
  threshold: 1,
  usage: 2,
  remote: 3,
  budget: 4,
  /** A bug of ours (EX_SOFTWARE of sysexits.h), never a remote failure. */
  internal: 70,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CfInsightsError extends Error {
  readonly exitCode: ExitCode;
  /** Extra lines for the debug log only (never secrets). */
  readonly details: string[];
  constructor(message: string, exitCode: ExitCode, details: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.details = details;
  }
}

/** Invalid settings or usage: exit 2, raised before any request. */
export class SettingsError extends CfInsightsError {
  readonly setting: string;
  constructor(setting: string, message: string) {
    super(message, EXIT.usage);
    this.setting = setting;
  }
}

/** The request budget cannot cover the run: exit 4. */
export class BudgetExhaustedError extends CfInsightsError {
  constructor(message: string, details: string[] = []) {
    super(message, EXIT.budget, details);
  }
}

/** A remote API failed (authentication, access, network, server): exit 3. */
export class RemoteError extends CfInsightsError {
  constructor(message: string, details: string[] = [], options?: { cause?: unknown }) {
    super(message, EXIT.remote, details, options);
  }
}

/** Something failed that should not have: a bug to report (exit 70). */
export class InternalError extends CfInsightsError {
  constructor(message: string, details: string[] = [], options?: { cause?: unknown }) {
    super(message, EXIT.internal, details, options);
  }
}

export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof CfInsightsError ? error.exitCode : EXIT.internal;
}

/** The CLI's one line for an error: its message, or, for a bug, a request to report it. */
export function cliErrorLine(error: unknown): string {
  if (error instanceof CfInsightsError && error.exitCode !== EXIT.internal) return oneLine(error);
  const what =
    error instanceof InternalError
      ? error.message.replace(/^The run failed unexpectedly: /, '')
      : `${error instanceof Error ? error.name : 'Error'}: ${oneLine(error)}`;
  return `cf-insights failed unexpectedly; please report it with --verbose output (${what})`;
}

/** The error's message, or whatever was thrown as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The one line to show a person for any error. */
export function oneLine(error: unknown): string {
  return errorMessage(error).split('\n')[0]!.trim();
}
