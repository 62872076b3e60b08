// `npm test`: install from the lock file when node_modules is missing or older than it,
// type-check, lint and format-check (biome check, no writes), run vitest (its usual output
// plus a JSON report), then end with the plain line `N passed, N failed` read from that
// JSON report, so CI shows the count.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const report = resolve(root, '.vitest-results.json');
const bin = (name) => resolve(root, 'node_modules/.bin', name);

function finish(passed, failed, status) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(status);
}

/** Why the installed dependencies cannot be trusted, or null when they match the lock file. */
function staleInstall() {
  // npm writes node_modules/.package-lock.json on every install: older than
  // package-lock.json means the lock file changed since (a pull, a checkout).
  const hidden = resolve(root, 'node_modules/.package-lock.json');
  if (!existsSync(hidden)) return 'the dependencies are not installed';
  if (statSync(hidden).mtimeMs < statSync(resolve(root, 'package-lock.json')).mtimeMs) return 'package-lock.json changed since the last install';
  for (const tool of ['tsc', 'biome', 'vitest']) if (!existsSync(bin(tool))) return `node_modules/.bin/${tool} is missing`;
  return null;
}

const stale = staleInstall();
if (stale !== null) {
  console.log(`npm test: ${stale}; installing from the lock file (npm ci)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) {
    console.log('npm test: npm ci failed (see above); check the network to the npm registry, then run npm ci yourself');
    finish(0, 1, install.status ?? 1);
  }
}

const tsc = spawnSync(bin('tsc'), ['--noEmit'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.log('npm test: the type-check failed (tsc --noEmit, above); no test was run');
  finish(0, 1, tsc.status ?? 1);
}

const biome = spawnSync(bin('biome'), ['check', '.'], { cwd: root, stdio: 'inherit' });
if (biome.status !== 0) {
  console.log('npm test: lint or format findings (npx biome check .); run npm run format to fix the formatting');
  finish(0, 1, biome.status ?? 1);
}

rmSync(report, { force: true });
const vitest = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = json.numFailedTests ?? 0;
  // A file that fails to load has no failed test of its own: count it.
  if (vitest.status !== 0 && failed === 0) failed = Math.max(1, json.numFailedTestSuites ?? 0);
  rmSync(report, { force: true });
} else {
  failed = 1;
}
finish(passed, failed, vitest.status ?? 1);
