// `npm test`: type-check, run vitest (its usual output plus a JSON report), then end with
// the plain line `N passed, N failed` read from that JSON report, so CI shows the count.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const report = resolve(root, '.vitest-results.json');
const bin = (name) => resolve(root, 'node_modules/.bin', name);

const tsc = spawnSync(bin('tsc'), ['--noEmit'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(tsc.status ?? 1);
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
console.log(`${passed} passed, ${failed} failed`);
process.exit(vitest.status ?? 1);
