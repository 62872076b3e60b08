import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockStateFile } from '../src/state/lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cf-insights-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('state lock', () => {
  it('is exclusive while held and gone once released', async () => {
    const state = join(dir, 'sub', 'state.json');
    const release = await lockStateFile(state);
    expect(readFileSync(`${state}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await expect(lockStateFile(state)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/Another cf-insights sync/) });
    await release();
    expect(existsSync(`${state}.lock`)).toBe(false);
    const again = await lockStateFile(state);
    await again();
  });

  it('takes over a lock left by a process that died', async () => {
    const state = join(dir, 'state.json');
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${state}.lock`, `${child.stdout}\n`);
    const release = await lockStateFile(state);
    expect(readFileSync(`${state}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await release();
  });
});
