import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { link, mkdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { CfInsightsError, EXIT } from '../errors.js';

/**
 * This process, as the lock and the state file's temp files name it. The CLI passes it
 * down (thisProcess in the CLI); nothing here reads the process itself.
 */
export interface ProcessInfo {
  pid: number;
  /** Is a process with this pid alive on this machine? */
  alive(pid: number): boolean;
}

export interface LockTuning {
  /** The holder touches the lock this often (ms); default 10 s. */
  refreshMs?: number;
  /** A lock nobody touched for this long (ms) has no live holder, wherever it runs; default 60 s. */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  started: string;
  token: string;
}

const DEFAULTS = { refreshMs: 10_000, staleMs: 60_000 };

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The state path cannot hold a lock or a file: one line, exit 2, before any request. */
function unusable(statePath: string, error: unknown): CfInsightsError {
  const why =
    code(error) === 'EACCES' || code(error) === 'EPERM' || code(error) === 'EROFS'
      ? 'its folder is not writable'
      : code(error) === 'EISDIR'
        ? 'it is a folder'
        : code(error) === 'ENOTDIR' || code(error) === 'EEXIST'
          ? 'a part of its folder path is a file'
          : `${code(error) ?? 'error'}`;
  return new CfInsightsError(`Cannot use the state file ${statePath} (${why}): give --state a file in a writable folder.`, EXIT.usage);
}

function parseHolder(text: string): Holder | null {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, host: value.host, started: String(value.started ?? ''), token: value.token };
    }
  } catch {
    // An older cf-insights wrote only the pid.
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? { pid, host: hostname(), started: '', token: `pid:${pid}` } : null;
}

/** Creates `path` with `content`, complete or not at all, and only if it does not exist (EEXIST). */
async function createExclusive(path: string, content: string, me: ProcessInfo): Promise<void> {
  const temp = `${path}.${me.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, content, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
  } catch (error) {
    if (code(error) === 'EEXIST') throw error;
    // No hard links on this file system (the folder is writable: the temp file is there).
    // Created in place, the file is briefly empty, which readers take for a lock being written.
    await writeFile(path, content, { mode: 0o600, flag: 'wx' });
  } finally {
    await unlink(temp).catch(() => {});
  }
}

type Seen = { kind: 'free' } | { kind: 'held'; holder: Holder | null; ageMs: number; mtimeMs: number };

async function look(lockPath: string): Promise<Seen> {
  let info: Stats;
  let text: string;
  try {
    info = await stat(lockPath);
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    if (code(error) === 'ENOENT') return { kind: 'free' };
    throw error;
  }
  return { kind: 'held', holder: parseHolder(text), ageMs: Date.now() - info.mtimeMs, mtimeMs: info.mtimeMs };
}

/** A holder is gone when nobody refreshed its lock for staleMs, or it ran here and its process is dead. */
function isStale(seen: Seen & { kind: 'held' }, staleMs: number, me: ProcessInfo): boolean {
  if (seen.ageMs > staleMs) return true;
  // Unreadable content with a fresh time is a lock being written: never stale.
  if (!seen.holder) return false;
  return seen.holder.host === hostname() && !me.alive(seen.holder.pid);
}

/**
 * Removes a stale lock so that two processes can never both do it: the removal happens
 * under a second exclusive lock (`<lock>.takeover`), and only if the lock is still the
 * one found stale (same holder token and time). Returns false when someone else is at it.
 */
async function takeOver(lockPath: string, stale: Seen & { kind: 'held' }, staleMs: number, me: ProcessInfo): Promise<boolean> {
  const guard = `${lockPath}.takeover`;
  try {
    await createExclusive(guard, `${me.pid}\n`, me);
  } catch (error) {
    if (code(error) !== 'EEXIST') throw error;
    // A takeover that died half-way leaves its guard: it is old after a few seconds.
    const info = await stat(guard).catch(() => null);
    if (info && Date.now() - info.mtimeMs > Math.min(staleMs, 10_000)) {
      const aside = `${guard}.${me.pid}.${randomBytes(4).toString('hex')}.old`;
      await rename(guard, aside).then(
        () => unlink(aside),
        () => {},
      );
    }
    return false;
  }
  try {
    const now = await look(lockPath);
    if (now.kind === 'free') return true;
    const same = now.mtimeMs === stale.mtimeMs && (now.holder?.token ?? null) === (stale.holder?.token ?? null);
    if (!same || !isStale(now, staleMs, me)) return false;
    await unlink(lockPath).catch((error: unknown) => {
      if (code(error) !== 'ENOENT') throw error;
    });
    return true;
  } finally {
    await unlink(guard).catch(() => {});
  }
}

/**
 * An exclusive lock next to a state file (`<file>.lock`), so that two syncs on one state
 * never run at once: two concurrent runs would both open an issue for every new insight.
 * The lock is created complete and atomically (written aside, then hard-linked), holds
 * the pid, host, start time and a token, and is touched every refreshMs while held. A
 * lock whose process died on this machine, or that nobody touched for staleMs (a holder
 * on another machine or container that died), is taken over. Returns the release function.
 */
export async function lockStateFile(statePath: string, me: ProcessInfo, tuning: LockTuning = {}): Promise<() => Promise<void>> {
  const { refreshMs, staleMs } = { ...DEFAULTS, ...tuning };
  const lockPath = `${statePath}.lock`;
  try {
    await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
    const info = await stat(statePath).catch((error: unknown) => (code(error) === 'ENOENT' ? null : Promise.reject(error)));
    if (info?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (error) {
    throw unusable(statePath, error);
  }
  const holder: Holder = { pid: me.pid, host: hostname(), started: new Date().toISOString(), token: randomBytes(8).toString('hex') };

  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await createExclusive(lockPath, `${JSON.stringify(holder)}\n`, me);
      return holdLock(lockPath, holder, refreshMs);
    } catch (error) {
      if (code(error) !== 'EEXIST') throw unusable(statePath, error);
    }
    const seen = await look(lockPath);
    if (seen.kind === 'free') continue;
    if (!isStale(seen, staleMs, me)) {
      const who = seen.holder
        ? `pid ${seen.holder.pid}${seen.holder.host !== hostname() ? ` on ${seen.holder.host}` : ''}${seen.holder.started ? `, since ${seen.holder.started}` : ''}`
        : 'starting';
      throw new CfInsightsError(
        `Another cf-insights sync (${who}) is using the state ${statePath}; wait for it to finish (a lock nobody keeps expires after ${Math.round(staleMs / 1000)} s).`,
        EXIT.usage,
      );
    }
    if (!(await takeOver(lockPath, seen, staleMs, me))) await new Promise((r) => setTimeout(r, 20 + Math.random() * 50));
  }
  throw new CfInsightsError(`Could not lock the state ${statePath}: another sync is taking over its lock; run again.`, EXIT.usage);
}

function holdLock(lockPath: string, holder: Holder, refreshMs: number): () => Promise<void> {
  const timer = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => {});
  }, refreshMs);
  timer.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(timer);
    // Only our own lock: one taken over meanwhile belongs to someone else.
    const text = await readFile(lockPath, 'utf8').catch(() => '');
    if (parseHolder(text)?.token === holder.token) await unlink(lockPath).catch(() => {});
  };
}
