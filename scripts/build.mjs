// Builds the two bundles with ncc: dist/index.js (the action, with lazily loaded
// chunks) and dist/cli.js (the CLI, one file). `node scripts/build.mjs OUTDIR` builds
// elsewhere, which the dist-freshness test uses to compare with the committed dist/.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const out = resolve(process.argv[2] ?? join(root, 'dist'));
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

function bundle(entry, dir, extraArgs = []) {
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', dir, '--minify', '--source-map', '--license', 'licenses.txt', '--quiet', '--target', 'es2022', ...extraArgs], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'cf-insights-build-'));
try {
  // No source-map-register: reading any error's stack would parse the whole source map
  // (measured at 150-250 ms in a run); the .map files stay for debugging.
  bundle('src/action/index.ts', join(work, 'action'), ['--no-source-map-register']);
  cpSync(join(work, 'action'), out, { recursive: true });

  bundle('src/cli/index.ts', join(work, 'cli'), ['--no-source-map-register']);
  const cliFiles = readdirSync(join(work, 'cli'));
  const extra = cliFiles.filter((f) => !['index.js', 'index.js.map', 'licenses.txt', 'package.json'].includes(f));
  if (extra.length > 0) throw new Error(`the CLI bundle must be one file, ncc also wrote: ${extra.join(', ')}`);
  const cli = readFileSync(join(work, 'cli/index.js'), 'utf8').replace('//# sourceMappingURL=index.js.map', '//# sourceMappingURL=cli.js.map');
  writeFileSync(join(out, 'cli.js'), cli.startsWith('#!') ? cli : `#!/usr/bin/env node\n${cli}`);
  chmodSync(join(out, 'cli.js'), 0o755);
  renameSync(join(work, 'cli/index.js.map'), join(out, 'cli.js.map'));
  renameSync(join(work, 'cli/licenses.txt'), join(out, 'cli-licenses.txt'));
  if (existsSync(join(out, 'package.json'))) rmSync(join(out, 'package.json'));
  // ESM bundles: tell Node so, whatever package.json is next to them at run time.
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
