import type { ReadStateResult } from './document.js';
import type { StateDocument } from './types.js';

export interface LoadResult {
  /** The saved document, or null: the run goes on as a first run. */
  state: StateDocument | null;
  /** Something went wrong (unreadable, newer, other scope, failed restore): show as a warning. */
  warning?: string;
  /** Nothing wrong, but worth a line (first run, stateless run): show as a notice. */
  notice?: string;
  /** Where the state came from: a path or a cache key. */
  source?: string;
  /** Debug-level details (migration, changed filters). */
  details?: string[];
}

export interface SaveResult {
  saved: boolean;
  /** Why it was not saved (always set when saved is false). */
  reason?: string;
  /**
   * Not saved by design, not by failure (a stateless run: no cache on this runner, a
   * read-only cache mode, `noStateStore`): worth a notice, not a warning.
   */
  skipped?: boolean;
  /** Where it went: a path or a cache key. */
  location?: string;
  /** A line worth showing even though it was saved (e.g. an unreadable old file kept aside). */
  notice?: string;
}

/** A document read by either store, as a LoadResult: `State at <path>` / `State from <cache entry>` in its details. */
export function loadResultOf(read: ReadStateResult, source: string, preposition: 'at' | 'from'): LoadResult {
  const result: LoadResult = { state: read.state, source };
  if (read.warning) result.warning = read.warning;
  const details: string[] = [];
  if (read.migratedFrom !== undefined) details.push(`State ${preposition} ${source} migrated from version ${read.migratedFrom}.`);
  if (read.filtersChanged) {
    details.push(`State ${preposition} ${source} was written with other filters (${read.filtersChanged.saved}); now ${read.filtersChanged.current}.`);
  }
  if (details.length > 0) result.details = details;
  return result;
}

/** What the file store (CLI) and the Actions cache store (action) both offer. */
export interface StateStore {
  readonly kind: 'file' | 'cache' | 'none';
  load(expected: { scope: string; filters?: string }): Promise<LoadResult>;
  save(doc: StateDocument): Promise<SaveResult>;
}

/**
 * A store for stateless runs (`--no-save` without a state, cache unavailable): loads
 * nothing, saves nothing. Its load says `reason` as a notice unless given another
 * (null: the run has said why already, or there is nothing to say).
 */
export function noStateStore(reason: string, loadNotice: string | null = reason): StateStore {
  return {
    kind: 'none',
    async load() {
      return loadNotice === null ? { state: null } : { state: null, notice: loadNotice };
    },
    async save() {
      return { saved: false, skipped: true, reason };
    },
  };
}
