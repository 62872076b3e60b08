import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '../log.js';
import { parseStateText, serializeState } from './document.js';
import { errorMessage } from '../errors.js';
import { loadResultOf, type LoadResult, type SaveResult, type StateStore } from './store.js';
import type { StateDocument } from './types.js';

export interface CacheStateStoreOptions {
  /** The `state-key` setting, or defaultStateKey(). */
  stateKey: string;
  /** GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT: one immutable entry per run attempt. */
  runId: string;
  runAttempt: string;
  log: Logger;
  /** The runner's environment: the cache service variables, ACTIONS_CACHE_MODE, RUNNER_TEMP. */
  env: NodeJS.ProcessEnv;
  /**
   * Where @actions/cache writes its log (the process's stdout, through @actions/core):
   * captured while it runs, so its failure lines become reasons.
   */
  stdout: Pick<NodeJS.WriteStream, 'write'>;
  /** Folder of the state file; default `$RUNNER_TEMP/cf-insights-state/<state key>`. */
  dir?: string;
  /**
   * The default key before it named the repository: restored from (never saved to) when
   * nothing is under `stateKey` yet, so the month's ledger carries over the new key. A
   * state from there written for another repository gives its ledger only (forRepository()).
   */
  legacyStateKey?: string;
}

export type CacheStateStore = StateStore & {
  readonly kind: 'cache';
  /** `<state-key>-<run id>-<attempt>`: where save() puts this run's state. */
  readonly saveKey: string;
  /** `<state-key>-`: restore takes the newest entry under it. */
  readonly restorePrefix: string;
  /** The state file the cache entry holds (same path on save and restore: the cache version hashes it). */
  readonly path: string;
};

/**
 * `cf-insights-<scope with / as ->-<owner>.<repo>-<hash of the filter signature>`: a state
 * belongs to one repository (its issue numbers mean nothing in another), so each
 * repository gets its own. Lower case, as GitHub compares names.
 */
export function defaultStateKey(scope: string, filterSignature: string, repository?: string): string {
  const repo = repository ? `${repository.toLowerCase().replace('/', '.')}-` : '';
  return `cf-insights-${scope.replaceAll('/', '-')}-${repo}${shortHash(filterSignature)}`;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * The protocol @actions/cache will speak, decided as its lib/internal/config.js decides:
 * v2 (twirp, ACTIONS_RESULTS_URL) when ACTIONS_CACHE_SERVICE_V2 is set, except on GitHub
 * Enterprise Server, where it always speaks v1 (ACTIONS_CACHE_URL).
 */
export function cacheServiceVersion(env: NodeJS.ProcessEnv): 'v1' | 'v2' {
  let host = '';
  try {
    host = new URL(env['GITHUB_SERVER_URL'] || 'https://github.com').hostname.toUpperCase();
  } catch {
    // Not a URL: not github.com either.
  }
  const ghes = host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST');
  return !ghes && env['ACTIONS_CACHE_SERVICE_V2'] ? 'v2' : 'v1';
}

/**
 * Why the Actions cache cannot be used here, or undefined when it may be. Checked before
 * @actions/cache is loaded, so a stateless run never loads it.
 */
export function cacheUnavailableReason(env: NodeJS.ProcessEnv): string | undefined {
  const mode = (env['ACTIONS_CACHE_MODE'] ?? '').trim().toLowerCase();
  if (mode === 'none') return 'ACTIONS_CACHE_MODE=none';
  if (!env['ACTIONS_RUNTIME_TOKEN']) return 'no ACTIONS_RUNTIME_TOKEN: not running in GitHub Actions';
  const urlVar = serviceUrlVariable(env);
  if (!env[urlVar]) return `no ${urlVar}: the runner offers no cache service (e.g. GitHub Enterprise Server without the cache)`;
  return undefined;
}

function serviceUrlVariable(env: NodeJS.ProcessEnv): 'ACTIONS_RESULTS_URL' | 'ACTIONS_CACHE_URL' {
  return cacheServiceVersion(env) === 'v2' ? 'ACTIONS_RESULTS_URL' : 'ACTIONS_CACHE_URL';
}

export function unavailableNotice(reason: string): string {
  return `Actions cache unavailable (${reason}): running without saved state; the GitHub issues still prevent duplicates.`;
}

/**
 * The action's store, through the real @actions/cache: each run saves an immutable entry
 * `<state-key>-<run id>-<attempt>` and restores the newest entry under `<state-key>-`.
 * Nothing is ever deleted (no `actions: write` needed); old entries age out after 7 days.
 *
 * The library reports failures only as log lines (and -1 or undefined); those lines are
 * captured while it runs so a failure comes back as a reason, never as a silent success.
 */
export function cacheStateStore(options: CacheStateStoreOptions): CacheStateStore {
  const { stateKey, log, env } = options;
  const saveKey = `${stateKey}-${options.runId}-${options.runAttempt}`;
  const restorePrefix = `${stateKey}-`;
  const dir = options.dir ?? join(env['RUNNER_TEMP'] || tmpdir(), 'cf-insights-state', stateKey);
  const path = join(dir, 'state.json');

  async function load(expected: { scope: string; filters?: string }): Promise<LoadResult> {
    const reason = cacheUnavailableReason(env);
    if (reason) return { state: null, notice: unavailableNotice(reason) };
    const mode = cacheMode(env);
    if (mode === 'write-only') {
      return {
        state: null,
        notice: `Actions cache mode '${mode}' does not allow reading: this run starts without saved state; the GitHub issues still prevent duplicates.`,
      };
    }
    const cache = await import('@actions/cache');
    if (!cache.isFeatureAvailable()) return { state: null, notice: unavailableNotice(missingUrlReason(env)) };

    // A file left by an earlier restore in this job must not pass for this one.
    await rm(path, { force: true });
    await mkdir(dir, { recursive: true });
    let run = await capture(() => cache.restoreCache([path], restorePrefix, [restorePrefix]), log, options.stdout);
    // The cache version hashes the path: an entry of the earlier key is restored to its own folder.
    let from = path;
    if (run.error === undefined && run.value === undefined && run.problems.length === 0 && options.legacyStateKey) {
      const legacyPrefix = `${options.legacyStateKey}-`;
      const legacyPath = join(dirname(dir), options.legacyStateKey, 'state.json');
      await rm(legacyPath, { force: true });
      await mkdir(dirname(legacyPath), { recursive: true });
      const legacy = await capture(() => cache.restoreCache([legacyPath], legacyPrefix, [legacyPrefix]), log, options.stdout);
      if (legacy.value !== undefined) {
        run = legacy;
        from = legacyPath;
      }
    }
    if (run.error !== undefined) {
      return { state: null, warning: `Could not restore the saved state from the Actions cache (${errorMessage(run.error)}): this run starts as a first run.` };
    }
    if (run.value === undefined) {
      if (run.problems.length > 0) {
        return {
          state: null,
          warning: `Could not restore the saved state from the Actions cache (${run.problems.join('; ')}): this run starts as a first run.`,
        };
      }
      return { state: null, notice: `No saved state in the Actions cache under ${restorePrefix}*: this run starts as a first run.` };
    }
    const source = `Actions cache ${run.value}`;
    let text: string;
    try {
      text = await readFile(from, 'utf8');
    } catch (error) {
      return {
        state: null,
        source,
        warning: `The Actions cache entry ${run.value} holds no readable state file (${errorMessage(error)}): this run starts as a first run.`,
      };
    }
    return loadResultOf(parseStateText(text, { ...expected, source }), source, 'from');
  }

  async function save(doc: StateDocument): Promise<SaveResult> {
    const reason = cacheUnavailableReason(env);
    if (reason) return { saved: false, skipped: true, reason: unavailableNotice(reason) };
    const mode = cacheMode(env);
    if (mode === 'read') {
      return { saved: false, skipped: true, reason: `Actions cache mode '${mode}' does not allow saving (e.g. a run from a fork): the state was not saved.` };
    }
    const cache = await import('@actions/cache');
    if (!cache.isFeatureAvailable()) return { saved: false, skipped: true, reason: unavailableNotice(missingUrlReason(env)) };

    const failed = (why: string): SaveResult => ({
      saved: false,
      location: saveKey,
      reason: `Could not save the state to the Actions cache under ${saveKey} (${why}); the next run starts from the previous saved state.`,
    });
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(path, serializeState(doc), { encoding: 'utf8', mode: 0o600 });
    } catch (error) {
      return failed(`writing ${path}: ${errorMessage(error)}`);
    }
    const run = await capture(() => cache.saveCache([path], saveKey), log, options.stdout);
    if (run.error !== undefined) return failed(errorMessage(run.error));
    // A failed upload or commit still returns the reserved cache id: only the log says so.
    if (run.problems.length > 0) return failed(run.problems.join('; '));
    if (run.value === undefined || run.value === -1) return failed('the cache service did not accept the entry');
    log.debug(`State saved to the Actions cache under ${saveKey} (cache id ${run.value}).`);
    return { saved: true, location: saveKey };
  }

  return { kind: 'cache', saveKey, restorePrefix, path, load, save };
}

function cacheMode(env: NodeJS.ProcessEnv): string {
  return (env['ACTIONS_CACHE_MODE'] ?? '').trim().toLowerCase();
}

function missingUrlReason(env: NodeJS.ProcessEnv): string {
  return `no ${serviceUrlVariable(env)}`;
}

interface Captured<T> {
  value?: T;
  error?: unknown;
  /** Failure lines of the library: `Failed to save: ...`, `Failed to restore: ...`, skips. */
  problems: string[];
}

const PROBLEM = /^(?:Failed to (?:save|restore): |Cache reservation failed: |Cache (?:save|restore) skipped: )/;

/**
 * Runs a call of @actions/cache with its stdout (where @actions/core writes) captured:
 * its failure lines become `problems`, everything else goes to the debug log once the
 * call is over. `::add-mask::` lines pass straight through so the runner still masks the
 * signed archive URL.
 */
async function capture<T>(call: () => Promise<T>, log: Logger, stdout: Pick<NodeJS.WriteStream, 'write'>): Promise<Captured<T>> {
  const original = stdout.write;
  const lines: string[] = [];
  let pending = '';
  const patched = function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (line.startsWith('::add-mask::')) original.call(stdout, `${line}\n`);
      else lines.push(line);
      newline = pending.indexOf('\n');
    }
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  stdout.write = patched as typeof stdout.write;
  const result: Captured<T> = { problems: [] };
  try {
    result.value = await call();
  } catch (error) {
    result.error = error;
  } finally {
    stdout.write = original;
  }
  if (pending !== '') lines.push(pending);
  // Warnings without a known prefix: v2 reports a finalize refused with a message only so.
  const otherWarnings: string[] = [];
  for (const line of lines) {
    const command = /^::(\w+)(?: [^:]*)?::(.*)$/.exec(line);
    const message = command ? unescapeCommand(command[2] ?? '') : line;
    if (PROBLEM.test(message)) result.problems.push(message.replace(/^Failed to (?:save|restore): /, ''));
    else if (command?.[1] === 'warning' || command?.[1] === 'error') otherWarnings.push(message);
    log.debug(`@actions/cache: ${message}`);
  }
  if (result.problems.length === 0) result.problems.push(...otherWarnings);
  return result;
}

function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
