import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseStateText, serializeState } from './document.js';
import { errorMessage } from '../errors.js';
import type { ProcessInfo } from './lock.js';
import { loadResultOf, type LoadResult, type SaveResult, type StateStore } from './store.js';
import { STATE_VERSION, type StateDocument } from './types.js';

export interface FileStateStoreOptions {
  /** `--state FILE`; default defaultStatePath(scope). */
  path?: string;
  scope: string;
  /** `owner/repo` the state's issues are in, for the default path. */
  repository?: string;
  /** The environment the default path is read from (XDG_STATE_HOME, HOME). */
  env?: NodeJS.ProcessEnv;
  /** This process: names the temp files, and tells a crashed writer's from a live one's. */
  proc: ProcessInfo;
  /** For crash tests: runs after the temp file is written and synced, before the rename. */
  hooks?: { beforeRename?: (tempPath: string) => Promise<void> };
}

export type FileStateStore = StateStore & { readonly kind: 'file'; readonly path: string };

/** Temp files older than this are removed whoever wrote them. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * `$XDG_STATE_HOME/cf-insights/<scope with / as ->[.<owner>.<repo>].json`, else
 * `~/.local/state/cf-insights/...`. A sync's state belongs to one repository, so the
 * repository is part of the name (lower case; an owner has no dot, so the name is unambiguous).
 */
export function defaultStatePath(scope: string, env: NodeJS.ProcessEnv, repository?: string): string {
  const xdg = env['XDG_STATE_HOME'];
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env['HOME'] || homedir(), '.local', 'state');
  const repo = repository ? `.${repository.toLowerCase().replace('/', '.')}` : '';
  return join(base, 'cf-insights', `${scope.replaceAll('/', '-')}${repo}.json`);
}

/**
 * The CLI's store: one JSON file, replaced atomically (temp file in the same folder,
 * fsync, rename), mode 0600 in a 0700 folder. Loading never writes. Saving refuses to
 * replace a document written by a newer cf-insights or for another scope, and keeps an
 * unreadable one aside as `<file>.corrupt` rather than losing it.
 */
export function fileStateStore(options: FileStateStoreOptions): FileStateStore {
  const path = resolve(options.path ?? defaultStatePath(options.scope, options.env ?? {}, options.repository));
  const dir = dirname(path);
  const base = basename(path);

  // Before the repository was part of the default name, a sync kept its state under the
  // scope alone: read once from there (its ledger counts), saved under the new name.
  const legacy = options.path === undefined && options.repository ? defaultStatePath(options.scope, options.env ?? {}) : null;

  async function load(expected: { scope: string; filters?: string }): Promise<LoadResult> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') {
        const earlier = legacy ? await readFile(legacy, 'utf8').catch(() => null) : null;
        if (legacy && earlier !== null) {
          return {
            ...loadResultOf(parseStateText(earlier, { ...expected, source: legacy }), legacy, 'at'),
            notice: `State read from ${legacy} (the earlier default); it is saved to ${path} from now on.`,
          };
        }
        return { state: null, source: path, notice: `No saved state at ${path} yet: this run starts as a first run.` };
      }
      return {
        state: null,
        source: path,
        warning: `Could not read the saved state at ${path} (${errorMessage(error)}): this run starts as a first run.`,
      };
    }
    return loadResultOf(parseStateText(text, { ...expected, source: path }), path, 'at');
  }

  async function save(doc: StateDocument): Promise<SaveResult> {
    const guard = await guardExisting(path, doc);
    if (guard.refuse) return { saved: false, reason: guard.refuse, location: path };

    let temp: string | undefined;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (guard.backup) await copyFile(path, guard.backup);
      temp = join(dir, `.${base}.${options.proc.pid}.${randomBytes(4).toString('hex')}.tmp`);
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(serializeState(doc), 'utf8');
        await handle.chmod(0o600);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await options.hooks?.beforeRename?.(temp);
      await rename(temp, path);
      temp = undefined;
      await syncDir(dir);
    } catch (error) {
      if (temp) await unlink(temp).catch(() => {});
      return { saved: false, location: path, reason: `Could not write the state to ${path} (${errorMessage(error)}).` };
    }
    await removeStaleTemps(dir, base, options.proc);
    const result: SaveResult = { saved: true, location: path };
    if (guard.backup) result.notice = `The unreadable previous state at ${path} was kept as ${guard.backup}.`;
    return result;
  }

  return { kind: 'file', path, load, save };
}

/** What is at `path` now decides whether it may be replaced. */
async function guardExisting(path: string, doc: StateDocument): Promise<{ refuse?: string; backup?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {}; // Missing or unreadable: the write itself will tell.
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { backup: `${path}.corrupt` };
  }
  const head = (json ?? {}) as { version?: unknown; scope?: unknown };
  if (typeof head.version === 'number' && head.version > STATE_VERSION) {
    return {
      refuse: `${path} holds state written by a newer cf-insights (version ${head.version}); it was left as it is. Upgrade cf-insights or choose another state file.`,
    };
  }
  if (typeof head.scope === 'string' && head.scope !== doc.scope) {
    return {
      refuse: `${path} holds the state of ${head.scope}, not ${doc.scope}; it was left as it is. Choose another state file for this scope.`,
    };
  }
  if (typeof head.version !== 'number' || typeof head.scope !== 'string') return { backup: `${path}.corrupt` };
  return {};
}

/** Makes the rename durable; some platforms cannot open a folder, which is fine. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported here (e.g. Windows): the rename is still atomic.
  }
}

/** Temp files left by a writer that crashed: its process is gone, or the file is old. */
async function removeStaleTemps(dir: string, base: string, me: ProcessInfo): Promise<void> {
  const pattern = new RegExp(`^\\.${escapeRegExp(base)}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    const file = join(dir, name);
    try {
      const old = Date.now() - (await stat(file)).mtimeMs > STALE_TEMP_MS;
      if (old || (pid !== me.pid && !me.alive(pid))) await unlink(file);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
