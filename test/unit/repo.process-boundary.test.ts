import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');
/** The two faces read the process (environment, pid, streams) and pass down what the rest needs. */
const FACES = ['action', 'cli'];
/** `process.` followed by a name (not the word in a sentence), or the process imported as a module. */
const READS_PROCESS = /\bprocess\.[A-Za-z_$]|from ['"](?:node:)?process['"]|globalThis\.process\b/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the process is read only by the action and the CLI', () => {
  it('no module below src/action/ and src/cli/ reads process.*', () => {
    const below = sources(SRC).filter((file) => !FACES.includes(relative(SRC, file).split(/[\\/]/)[0]!));
    expect(below.length).toBeGreaterThan(20);
    const found = below.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(SRC, file)}:${i + 1}` }))
        .filter(({ line }) => READS_PROCESS.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
