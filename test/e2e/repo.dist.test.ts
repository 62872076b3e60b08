import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without types
import { buildInputsHash, outputHashes } from '../../scripts/build-manifest.mjs';

const root = resolve(import.meta.dirname, '../..');
const dist = join(root, 'dist');
const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { inputs: string; outputs: Record<string, string> };

describe('dist/', () => {
  it('was built from the committed sources, lock file and build script (run npm run build and commit dist/)', () => {
    expect(buildInputsHash(root), 'src/, package-lock.json or the build script changed since dist/ was built').toBe(manifest.inputs);
  });

  it('holds exactly the files that build wrote, unchanged since', () => {
    expect(outputHashes(dist)).toEqual(manifest.outputs);
  });

  // The full proof, ncc run again and the bytes compared, costs 45-150 s of both cores:
  // it runs in CI (CI=true) and on request, not in every local npm test.
  const rebuild = process.env.CI === 'true' || process.env.CF_INSIGHTS_DIST_REBUILD === '1';
  it.runIf(rebuild)('is byte for byte what a fresh build writes', { timeout: 300_000 }, () => {
    const fresh = mkdtempSync(join(tmpdir(), 'cf-insights-dist-'));
    try {
      execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), fresh, '--quiet'], { cwd: root, stdio: 'pipe' });
      const built = readdirSync(fresh).sort();
      expect(readdirSync(dist).sort()).toEqual(built);
      for (const file of built) {
        // Source maps name the folder the build ran in; the code they map is compared.
        if (file.endsWith('.map') || file === 'manifest.json') continue;
        expect(readFileSync(join(dist, file)).equals(readFileSync(join(fresh, file))), `dist/${file} differs from a fresh build`).toBe(true);
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('the version in src/version.ts is the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const { VERSION } = await import('../../src/version.js');
    expect(VERSION).toBe(pkg.version);
    expect(existsSync(join(dist, 'cli.js'))).toBe(true);
  });
});
