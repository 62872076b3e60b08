import { describe, expect, it } from 'vitest';
import { folderOf, importEdges, KERNEL, layerViolations, LAYERS, specifiers, SRC_DIR, type Edge } from '../support/import-graph.js';

const edge = (from: string, to: string): Edge => ({ from, to });

describe('the import graph of src/', () => {
  const edges = importEdges(SRC_DIR);

  it('is read whole: static, type-only, re-exported and dynamic imports are all edges', () => {
    const has = (from: string, to: string) => edges.some((e) => e.from === from && e.to === to);
    expect(has('sync/engine.ts', 'budget/ledger.ts')).toBe(true);
    expect(has('state/types.ts', 'budget/ledger.ts')).toBe(true); // import type
    expect(has('action/lazy.ts', 'sync/sources.ts')).toBe(true); // import('...')
    expect(has('action/index.ts', 'action/main.ts')).toBe(true);
    expect(edges.length).toBeGreaterThan(200);
  });

  it('runs only down the layers, with no cycle between folders, and action/ and cli/ apart', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('gives every folder of src/ a layer', () => {
    const folders = new Set(edges.flatMap((e) => [folderOf(e.from), folderOf(e.to)]));
    expect([...folders].filter((f) => !LAYERS.flat().includes(f))).toEqual([]);
  });
});

describe('specifiers', () => {
  it.each([
    ["import { a, b } from './x.js';", ['./x.js']],
    ["import type { A } from '../y/z.js';", ['../y/z.js']],
    ['import {\n  a,\n  type B,\n} from "./multi.js";', ['./multi.js']],
    ["import * as ns from './ns.js';\nimport def from 'pkg';", ['./ns.js', 'pkg']],
    ["export { a } from './re.js';\nexport * from './all.js';", ['./re.js', './all.js']],
    ["import './side-effect.js';", ['./side-effect.js']],
    ["const m = await import('../lazy.js');\nconst n = import(\n  './wrapped.js'\n);", ['../lazy.js', './wrapped.js']],
    ["export const from = 'not an import';\nconst s = 'import x from \"y\"';", []],
  ])('%j', (source, expected) => {
    expect(specifiers(source)).toEqual(expected);
  });
});

describe('layerViolations', () => {
  it.each<[string, Edge[], string[]]>([
    ['an arrow down', [edge('sync/engine.ts', 'state/store.ts'), edge('state/store.ts', 'errors.ts')], []],
    ['an arrow within a folder', [edge('cli/main.ts', 'cli/args.ts'), edge('cli/args.ts', 'cli/main.ts')], []],
    ['an arrow across a layer', [edge('cloudflare/client.ts', 'github/labels.ts')], []],
    ['an arrow up', [edge('budget/ledger.ts', 'state/types.ts')], ['up: budget/ledger.ts -> state/types.ts (budget is below state)']],
    ['the kernel importing a folder', [edge('errors.ts', 'insights/types.ts')], [`up: errors.ts -> insights/types.ts (${KERNEL} is below insights)`]],
    [
      'the action importing the CLI',
      [edge('action/main.ts', 'cli/render-result.ts')],
      ['apart: action/main.ts -> cli/render-result.ts (action/ and cli/ never import each other)'],
    ],
    [
      'the CLI importing the action',
      [edge('cli/main.ts', 'action/inputs.ts')],
      ['apart: cli/main.ts -> action/inputs.ts (cli/ and action/ never import each other)'],
    ],
    [
      'two folders of one layer importing each other',
      [edge('state/document.ts', 'cloudflare/quota.ts'), edge('cloudflare/quota.ts', 'state/types.ts')],
      ['cycle between cloudflare/, state/'],
    ],
    [
      'a loop through three folders',
      [edge('state/a.ts', 'github/b.ts'), edge('github/b.ts', 'cloudflare/c.ts'), edge('cloudflare/c.ts', 'state/d.ts')],
      ['cycle between cloudflare/, github/, state/'],
    ],
    [
      'a folder in no layer',
      [edge('widgets/w.ts', 'insights/types.ts')],
      ['widgets/ is in no layer (widgets/w.ts -> insights/types.ts): add it to LAYERS and docs/architecture.md'],
    ],
  ])('%s', (_, given, expected) => {
    expect(layerViolations(given)).toEqual(expected);
  });
});
