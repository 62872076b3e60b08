import type { ProcessInfo } from '../state/lock.js';

/** This process, for the state file and its lock (which never read the process themselves). */
export const thisProcess: ProcessInfo = {
  pid: process.pid,
  alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};
