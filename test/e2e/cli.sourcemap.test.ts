import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('dist/cli.js.map', () => {
  it('maps a position in dist/cli.js (after its shebang line) to the source line that wrote it', () => {
    const code = readFileSync(resolve(root, 'dist/cli.js'), 'utf8');
    const map = new SourceMap(JSON.parse(readFileSync(resolve(root, 'dist/cli.js.map'), 'utf8')));
    expect(code.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const needle = 'No command given: use one of ';
    const offset = code.indexOf(needle);
    expect(offset).toBeGreaterThan(0);
    const before = code.slice(0, offset).split('\n');
    const line = before.length - 1; // 0-based, as SourceMap takes it
    const column = before.at(-1)!.length;
    const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    expect(entry.originalSource).toMatch(/src\/cli\/main\.ts$/);
    const sourceLines = readFileSync(resolve(root, 'src/cli/main.ts'), 'utf8').split('\n');
    expect(sourceLines[entry.originalLine!]).toContain(needle);
  });
});
