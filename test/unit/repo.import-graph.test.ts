/**
 * The import graph of src/, read from the sources: the action and the CLI are two faces of
 * one engine, and what both show of a result lives in src/views/, so neither face imports
 * the other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(fileURLToPath(import.meta.url), '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

// Static imports and re-exports (`from '...'`, type-only ones included) and dynamic `import('...')`.
const SPECIFIER = /\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

/** Every import between files of src/: [importer, imported], paths relative to src/. */
function importEdges(): [string, string][] {
  const edges: [string, string][] = [];
  for (const file of sourceFiles(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      edges.push([relative(SRC, file), relative(SRC, target)]);
    }
  }
  return edges;
}

const inFolder = (path: string, folder: string) => path.startsWith(`${folder}/`);

describe('action and cli', () => {
  const edges = importEdges();

  it('the graph is read: both faces import the views of a result', () => {
    expect(edges).toContainEqual(['action/main.ts', 'views/result-json.ts']);
    expect(edges).toContainEqual(['cli/commands/sync.ts', 'views/result-json.ts']);
  });

  it('src/action/ imports nothing from src/cli/, and src/cli/ nothing from src/action/', () => {
    const crossing = edges.filter(([from, to]) => (inFolder(from, 'action') && inFolder(to, 'cli')) || (inFolder(from, 'cli') && inFolder(to, 'action')));
    expect(crossing).toEqual([]);
  });
});
