import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const fresh = mkdtempSync(join(tmpdir(), 'cf-insights-dist-'));

afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('dist/', () => {
  it('is the build of the committed src/ (run npm run build and commit dist/)', { timeout: 240_000 }, () => {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), fresh], { cwd: root, stdio: 'pipe' });
    const built = readdirSync(fresh).sort();
    expect(readdirSync(join(root, 'dist')).sort()).toEqual(built);
    for (const file of built) {
      if (file.endsWith('.map')) continue;
      const a = readFileSync(join(root, 'dist', file));
      const b = readFileSync(join(fresh, file));
      expect(a.equals(b), `dist/${file} differs from a fresh build`).toBe(true);
    }
  });

  it('the version in src/version.ts is the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const { VERSION } = await import('../src/version.js');
    expect(VERSION).toBe(pkg.version);
  });
});
