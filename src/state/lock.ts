import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CfInsightsError, EXIT } from '../errors.js';

/** Is a process with this pid alive on this machine? */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock next to a state file (`<file>.lock`, holding the pid), so that two
 * syncs on one state never run at once: two concurrent runs would both open an issue
 * for every new insight. A lock left by a process that died is taken over.
 * Returns the release function.
 */
export async function lockStateFile(statePath: string): Promise<() => Promise<void>> {
  const lockPath = `${statePath}.lock`;
  await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await unlink(lockPath).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt((await readFile(lockPath, 'utf8').catch(() => '')).trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
        throw new CfInsightsError(
          `Another cf-insights sync (pid ${pid}) is using the state ${statePath}; wait for it to finish, or remove ${lockPath} if no such process runs.`,
          EXIT.usage,
        );
      }
      // Stale: its process is gone.
      await unlink(lockPath).catch(() => {});
    }
  }
  throw new CfInsightsError(`Could not lock the state ${statePath}: remove ${lockPath} and run again.`, EXIT.usage);
}
