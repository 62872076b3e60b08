// What dist/manifest.json records: a hash of every input of the build (the sources, the
// lock file that pins the bundled libraries, the build script, the compiler settings)
// and a hash of every file the build wrote. The dist test recomputes both in
// milliseconds; a full rebuild compares the bytes (CF_INSIGHTS_DIST_REBUILD=1).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const INPUTS = ['src', 'scripts/build.mjs', 'scripts/build-manifest.mjs', 'package-lock.json', 'tsconfig.json'];

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** One hash over the path and the content of every input file, in a fixed order. */
export function buildInputsHash(root) {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesUnder(join(root, input)))) {
    const name = relative(root, file).split(sep).join('/');
    hash.update(`${name}\0${sha256(readFileSync(file))}\n`);
  }
  return hash.digest('hex');
}

/** The hash of every file in a built dist folder but the manifest itself. */
export function outputHashes(dir) {
  const hashes = {};
  for (const name of readdirSync(dir).sort()) {
    if (name === 'manifest.json') continue;
    hashes[name] = sha256(readFileSync(join(dir, name)));
  }
  return hashes;
}
