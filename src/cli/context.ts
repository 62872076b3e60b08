import { readFileSync, statSync } from 'node:fs';
import { parseSettings, secretsOf, type ParseNeeds, type RawSettings, type Settings } from '../config/settings.js';
import { CfInsightsError, EXIT, SettingsError } from '../errors.js';
import { applyFilters } from '../insights/filter.js';
import type { Inventory, Scope } from '../insights/types.js';
import type { Logger } from '../log.js';
import { parseInventoryFile } from '../report/inventory-file.js';
import { fileStateStore, type FileStateStore } from '../state/file-store.js';
import { thisProcess } from './this-process.js';
import { noStateStore, type StateStore } from '../state/store.js';
import { scopeKey } from '../insights/types.js';
import { cliSettingName, mergeSettings, settingsFromEnv, type CliArgs } from './args.js';
import { readConfigFile } from './config-file.js';
import { cliLogger, progressWriter, type CliIO, type Progress } from './io.js';
import { redactor } from '../redact.js';
import type { InventorySource } from '../sync/engine.js';
import { cloudflareSource } from '../sync/sources.js';

export interface CommandContext {
  args: CliArgs;
  io: CliIO;
  raw: RawSettings;
  log: Logger;
  redact: (text: string) => string;
  progress: Progress;
  now: () => Date;
}

export function makeContext(args: CliArgs, io: CliIO): CommandContext {
  const fromConfig = args.config ? readConfigFile(args.config) : {};
  const raw = mergeSettings(fromConfig, settingsFromEnv(io.env), args.flags);
  const redact = redactor(secretsOf(raw));
  const progress = progressWriter(io, args.quiet, args.color);
  return {
    args,
    io,
    raw,
    redact,
    log: cliLogger(io, { quiet: args.quiet, verbose: args.verbose, redact, beforeLine: progress.settle }),
    progress,
    now: io.now ?? (() => new Date()),
  };
}

export function settingsFor(ctx: CommandContext, needs: ParseNeeds): Settings {
  return parseSettings(ctx.raw, needs, cliSettingName);
}

/** A saved inventory, filtered like a fetched one. */
export function inventoryFromFile(path: string, settings: Settings, now: Date): Inventory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SettingsError(
      'from-file',
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}; give the path of a file written by cf-insights report --format json.`,
    );
  }
  const file = parseInventoryFile(text, path);
  const scope = settings.scope ?? file.scope ?? { kind: 'accounts', id: '0'.repeat(32) };
  const insights = applyFilters(file.insights, settings.filters);
  return {
    scope,
    insights,
    complete: file.complete,
    ...(file.complete ? {} : { incompleteReason: 'the saved inventory was incomplete' }),
    count: insights.length,
    requests: 0,
    fetchedAt: file.fetchedAt ?? now.toISOString(),
  };
}

/** Where a command's inventory comes from (`--from-file`, read and filtered now, or Cloudflare), and the scope it is of. */
export function inventorySourceFor(ctx: CommandContext, settings: Settings): { scope: Scope; fromFile: Inventory | null; source: InventorySource } {
  if (!ctx.args.fromFile) return { scope: settings.scope!, fromFile: null, source: cloudflareSource(settings, ctx.log, ctx.io.tuning?.cloudflare) };
  const inventory = inventoryFromFile(ctx.args.fromFile, settings, ctx.now());
  return { scope: inventory.scope, fromFile: inventory, source: { kind: 'file', inventory } };
}

/**
 * The repository the default state file is named after: a sync's, or the one a config
 * file names for a report or quota (which then share the sync's file and its ledger).
 */
export function stateRepository(raw: RawSettings): string | undefined {
  const repo = raw.repository?.trim();
  return repo && /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repo) && !/\/\.\.?$/.test(repo) ? repo : undefined;
}

/** The CLI keeps its state (records and the month's ledger) in a file; --no-save only skips the write. */
export function stateStoreFor(ctx: CommandContext, scope: Scope): FileStateStore {
  if (ctx.args.statePath !== undefined && ctx.args.statePath.trim() === '') {
    throw new SettingsError('state', 'The --state path is empty: give --state a file in a writable folder, or leave it out for the default.');
  }
  const repository = stateRepository(ctx.raw);
  const store = fileStateStore({ path: ctx.args.statePath, scope: scopeKey(scope), env: ctx.io.env, proc: thisProcess, ...(repository ? { repository } : {}) });
  let folder = false;
  try {
    folder = statSync(store.path).isDirectory();
  } catch {
    // Missing, or under a file: the lock (sync) or the save says so.
  }
  if (folder) {
    throw new CfInsightsError(`Cannot use the state file ${store.path} (it is a folder): give --state a file in a writable folder.`, EXIT.usage);
  }
  return store;
}

/** For runs that need no state at all (a report of a saved file): reads nothing, writes nothing, says nothing. */
export const NO_STATE: StateStore = noStateStore('no state is kept for this run', null);
