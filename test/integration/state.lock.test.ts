import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockStateFile } from '../../src/state/lock.js';
import { ROOT } from '../support/cli-runner.js';
import { thisProcess } from '../../src/cli/this-process.js';

const holderOf = (state: string) => JSON.parse(readFileSync(`${state}.lock`, 'utf8')) as { pid: number; host: string; started: string };
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cf-insights-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('state lock', () => {
  it('is exclusive while held and gone once released', async () => {
    const state = join(dir, 'sub', 'state.json');
    const release = await lockStateFile(state, thisProcess);
    expect(holderOf(state)).toMatchObject({ pid: process.pid, host: expect.any(String), started: expect.any(String) });
    await expect(lockStateFile(state, thisProcess)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/Another cf-insights sync/) });
    await release();
    expect(existsSync(`${state}.lock`)).toBe(false);
    const again = await lockStateFile(state, thisProcess);
    await again();
  });

  it('takes over a lock left by a process that died', async () => {
    const state = join(dir, 'state.json');
    writeFileSync(`${state}.lock`, `${deadPid()}\n`);
    const release = await lockStateFile(state, thisProcess);
    expect(holderOf(state).pid).toBe(process.pid);
    await release();
  });

  it('never takes over a lock that is being written (empty for now)', async () => {
    const state = join(dir, 'state.json');
    writeFileSync(`${state}.lock`, '');
    await expect(lockStateFile(state, thisProcess)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/Another cf-insights sync/) });
    expect(readFileSync(`${state}.lock`, 'utf8')).toBe('');
  });

  it('a lock of a live pid on another machine blocks while kept, and expires when nobody refreshes it', async () => {
    const state = join(dir, 'state.json');
    const other = { pid: 1, host: 'crashed-container-7', started: '2026-01-01T00:00:00.000Z', token: 'x' };
    writeFileSync(`${state}.lock`, JSON.stringify(other));
    await expect(lockStateFile(state, thisProcess)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/pid 1 on crashed-container-7/) });
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(`${state}.lock`, old, old);
    const release = await lockStateFile(state, thisProcess);
    expect(holderOf(state).pid).toBe(process.pid);
    await release();
  });

  it('the holder refreshes its lock, so a long sync is not taken for dead', async () => {
    const state = join(dir, 'state.json');
    const release = await lockStateFile(state, thisProcess, { refreshMs: 20, staleMs: 200 });
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(`${state}.lock`, old, old);
    await new Promise((r) => setTimeout(r, 100));
    await expect(lockStateFile(state, thisProcess, { staleMs: 200 })).rejects.toMatchObject({ exitCode: 2 });
    await release();
  });

  it('many processes at once over a stale lock: exactly one at a time holds it', { timeout: 60_000 }, async () => {
    const state = join(dir, 'state.json');
    const log = join(dir, 'log');
    writeFileSync(log, '');
    const script = `
      import { appendFileSync } from 'node:fs';
      import { lockStateFile } from ${JSON.stringify(join(ROOT, 'src/state/lock.ts'))};
      import { thisProcess } from ${JSON.stringify(join(ROOT, 'src/cli/this-process.ts'))};
      const [state, log, at] = process.argv.slice(-3);
      while (Date.now() < Number(at)) {}
      try {
        const release = await lockStateFile(state, thisProcess);
        appendFileSync(log, 'in;');
        await new Promise((r) => setTimeout(r, 300));
        appendFileSync(log, 'out;');
        await release();
      } catch (e) { if (e.exitCode !== 2) throw e; }
    `;
    for (let trial = 0; trial < 1; trial++) {
      writeFileSync(`${state}.lock`, `${deadPid()}\n`);
      const at = Date.now() + 4000;
      const runs = Array.from(
        { length: 8 },
        () =>
          new Promise<number>((resolve) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, state, log, String(at)], {
              cwd: ROOT,
              stdio: 'inherit',
            });
            child.on('close', (code) => resolve(code ?? -1));
          }),
      );
      expect(await Promise.all(runs)).toEqual(Array(8).fill(0));
    }
    const lines = readFileSync(log, 'utf8')
      .split(';')
      .filter((l) => l !== '');
    // Held one at a time: in, out, in, out...
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const [i, line] of lines.entries()) expect(line, lines.join(' ')).toBe(i % 2 === 0 ? 'in' : 'out');
  });

  it.each([
    [
      'a folder',
      (d: string) => {
        mkdirSync(join(d, 'state.json'));
        return join(d, 'state.json');
      },
      /it is a folder/,
    ],
    [
      'under a file',
      (d: string) => {
        writeFileSync(join(d, 'file'), 'x');
        return join(d, 'file', 'state.json');
      },
      /a part of its folder path is a file/,
    ],
  ])('a state path that cannot hold a lock (%s): one line naming it, exit 2', async (_name, make, why) => {
    const state = make(dir);
    const error = await lockStateFile(state, thisProcess).catch((e: Error & { exitCode: number }) => e);
    expect(error).toMatchObject({ exitCode: 2 });
    expect((error as Error).message).toContain(state);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toMatch(/--state/);
  });
});
