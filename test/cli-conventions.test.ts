/**
 * The CLI behaves like the ones people already use (gh, wrangler, git): help pages,
 * version flags, suggestions for a mistyped flag, tokens refused as flags, `-o -`,
 * colour controls, GH_TOKEN over GITHUB_TOKEN, and an exit code of its own for a bug.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { SAMPLE_INVENTORY, cleanEnv } from './support/cli-runner.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cf-insights-cli-conventions-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('an unexpected internal error', () => {
  it('has its own exit code (70) and asks for a report, not "remote API failure" (3)', async () => {
    let stderr = '';
    // A bug of ours: something throws a plain TypeError in the middle of a command.
    const io = {
      stdout: {
        write: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'x')");
        },
      },
      stderr: { write: (t: string) => (stderr += t) },
      env: cleanEnv(home),
    };
    const code = await main(['report', '--from-file', SAMPLE_INVENTORY], io);
    expect(code).toBe(70);
    expect(stderr).toMatch(/^error: cf-insights failed unexpectedly; please report it with --verbose output \(TypeError: Cannot read properties of undefined/m);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    stderr = '';
    expect(await main(['report', '--from-file', SAMPLE_INVENTORY, '--verbose'], io)).toBe(70);
    expect(stderr).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'x'\)\n\s+at /m);
  });
});
