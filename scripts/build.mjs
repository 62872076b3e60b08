// Builds the two bundles with ncc: dist/index.js (the action, with lazily loaded
// chunks) and dist/cli.js (the CLI, one file), then dist/manifest.json: the hash of
// every input of the build and of every file it wrote, which the dist test checks
// cheaply. `node scripts/build.mjs OUTDIR` builds elsewhere (the full rebuild check).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInputsHash, outputHashes } from './build-manifest.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const out = resolve(process.argv[2] ?? join(root, 'dist'));
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');
const quiet = process.argv.includes('--quiet') || process.env.CF_INSIGHTS_BUILD_QUIET === '1';
const say = (line) => {
  if (!quiet) console.log(line);
};

function bundle(label, entry, dir, extraArgs = []) {
  const started = Date.now();
  say(`build: ${label} from ${entry} (ncc, minified, with source map)...`);
  execFileSync(
    process.execPath,
    [ncc, 'build', entry, '-o', dir, '--minify', '--source-map', '--license', 'licenses.txt', '--quiet', '--target', 'es2022', ...extraArgs],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  say(`build: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (!existsSync(ncc)) {
  console.error('build: @vercel/ncc is not installed; run npm ci first');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'cf-insights-build-'));
try {
  // No source-map-register: reading any error's stack would parse the whole source map
  // (measured at 150-250 ms in a run); the .map files stay for debugging.
  bundle('the action (dist/index.js and its chunks)', 'src/action/index.ts', join(work, 'action'), ['--no-source-map-register']);
  cpSync(join(work, 'action'), out, { recursive: true });

  bundle('the CLI (dist/cli.js)', 'src/cli/index.ts', join(work, 'cli'), ['--no-source-map-register']);
  const cliFiles = readdirSync(join(work, 'cli'));
  const extra = cliFiles.filter((f) => !['index.js', 'index.js.map', 'licenses.txt', 'package.json'].includes(f));
  if (extra.length > 0) throw new Error(`the CLI bundle must be one file, ncc also wrote: ${extra.join(', ')}`);
  let cli = readFileSync(join(work, 'cli/index.js'), 'utf8').replace('//# sourceMappingURL=index.js.map', '//# sourceMappingURL=cli.js.map');
  const map = JSON.parse(readFileSync(join(work, 'cli/index.js.map'), 'utf8'));
  if (!cli.startsWith('#!')) cli = `#!/usr/bin/env node\n${cli}`;
  // ncc keeps the shebang of src/cli/index.ts but maps the code as if it were not there:
  // an empty first line in the map puts every mapped position back on its line.
  map.mappings = `;${map.mappings}`;
  map.file = 'cli.js';
  writeFileSync(join(out, 'cli.js'), cli);
  chmodSync(join(out, 'cli.js'), 0o755);
  writeFileSync(join(out, 'cli.js.map'), JSON.stringify(map));
  renameSync(join(work, 'cli/licenses.txt'), join(out, 'cli-licenses.txt'));
  if (existsSync(join(out, 'package.json'))) rmSync(join(out, 'package.json'));
  // ESM bundles: tell Node so, whatever package.json is next to them at run time.
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  const manifest = { inputs: buildInputsHash(root), outputs: outputHashes(out) };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  say(`build: wrote ${Object.keys(manifest.outputs).length + 1} files to ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
