/**
 * The import graph of src/ by folder, and the layering rules docs/architecture.md states.
 * Imports are read with a regular expression (static `import`/`export ... from`, bare
 * `import '...'`, dynamic `import('...')`); only relative specifiers are edges.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';

/** The files at the top of src/ (errors, log, redact, version) form this pseudo-folder. */
export const KERNEL = '(src)';

/** Lowest first. A folder may import its own layer's folders and any layer below, never above. */
export const LAYERS: readonly (readonly string[])[] = [
  [KERNEL],
  ['insights', 'budget'],
  ['config'],
  ['state', 'cloudflare', 'github'],
  ['sync'],
  ['report', 'views'],
  ['action', 'cli'],
];

/** Folders of one layer that must not import each other: the two faces share only what lies below them. */
export const APART: readonly (readonly [string, string])[] = [['action', 'cli']];

export interface Edge {
  /** Paths relative to src/, with `/`. */
  from: string;
  to: string;
}

const STATIC = /(?:^|[;\s}])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a TypeScript source imports or re-exports, in order of appearance per kind. */
export function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const re of [STATIC, DYNAMIC]) for (const m of source.matchAll(re)) found.push(m[1]!);
  return found;
}

/** The folder of a path relative to src/: its first segment, or KERNEL for a file at the top. */
export function folderOf(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? KERNEL : path.slice(0, slash);
}

/** The edges between the .ts files under `srcDir` (relative imports only; `.js` names the `.ts` file). */
export function importEdges(srcDir: string): Edge[] {
  const edges: Edge[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const from = relative(srcDir, path).split(sep).join('/');
        for (const spec of specifiers(readFileSync(path, 'utf8'))) {
          if (!spec.startsWith('.')) continue;
          const to = posix.normalize(posix.join(posix.dirname(from), spec)).replace(/\.js$/, '.ts');
          edges.push({ from, to });
        }
      }
    }
  };
  walk(srcDir);
  return edges;
}

/** Every broken rule, one line each: unknown folders, arrows up, the faces importing each other, cycles between folders. */
export function layerViolations(edges: readonly Edge[], layers = LAYERS, apart = APART): string[] {
  const rank = new Map<string, number>();
  for (const [i, folders] of layers.entries()) for (const f of folders) rank.set(f, i);
  const problems: string[] = [];
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = folderOf(from);
    const b = folderOf(to);
    for (const folder of [a, b]) {
      if (!rank.has(folder)) problems.push(`${folder}/ is in no layer (${from} -> ${to}): add it to LAYERS and docs/architecture.md`);
    }
    if (a === b || !rank.has(a) || !rank.has(b)) continue;
    if (rank.get(b)! > rank.get(a)!) problems.push(`up: ${from} -> ${to} (${a} is below ${b})`);
    if (apart.some(([x, y]) => (a === x && b === y) || (a === y && b === x)))
      problems.push(`apart: ${from} -> ${to} (${a}/ and ${b}/ never import each other)`);
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  }
  for (const group of folderCycles(graph)) problems.push(`cycle between ${group.map((f) => `${f}/`).join(', ')}`);
  return [...new Set(problems)];
}

/** The folders that import each other, directly or around a loop: strongly connected groups of two or more (Tarjan). */
function folderCycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        group.unshift(w);
      } while (w !== v);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

export const SRC_DIR = join(dirname(dirname(import.meta.dirname)), 'src');
