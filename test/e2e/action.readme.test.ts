/**
 * README documents every input and output of action.yml, and nothing else: the rows of
 * its "### Inputs" and "### Outputs" tables (`| \`name\` | default | description |`)
 * against the keys of action.yml, read with the `yaml` package.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, readActionManifest } from '../support/action-runner.js';

interface Row {
  name: string;
  default: string;
  description: string;
}

/** The table rows under a `### <heading>`, up to the next heading. */
function readmeTable(markdown: string, heading: string): Row[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === `### ${heading}`);
  if (start < 0) return [];
  const rows: Row[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6} /.test(line)) break;
    const m = /^\|\s*`([^`]+)`\s*\|([^|]*)\|(.*)\|\s*$/.exec(line);
    if (m) rows.push({ name: m[1]!, default: m[2]!.trim(), description: m[3]!.trim() });
  }
  return rows;
}

const manifest = readActionManifest();
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

describe('README documents action.yml', () => {
  it('has an Inputs and an Outputs table', () => {
    expect(readmeTable(readme, 'Inputs').length).toBeGreaterThan(0);
    expect(readmeTable(readme, 'Outputs').length).toBeGreaterThan(0);
  });

  it('the Inputs table lists exactly the inputs of action.yml, once each', () => {
    const rows = readmeTable(readme, 'Inputs').map((r) => r.name);
    expect(new Set(rows).size).toBe(rows.length);
    expect([...rows].sort()).toEqual(manifest.inputs.map((i) => i.name).sort());
  });

  it('the Outputs table lists exactly the outputs of action.yml, once each', () => {
    const rows = readmeTable(readme, 'Outputs').map((r) => r.name);
    expect(new Set(rows).size).toBe(rows.length);
    expect([...rows].sort()).toEqual(manifest.outputs.map((o) => o.name).sort());
  });

  it('a default in action.yml is the default the README shows', () => {
    const rows = new Map(readmeTable(readme, 'Inputs').map((r) => [r.name, r]));
    for (const input of manifest.inputs) {
      if (input.default === undefined) continue;
      expect({ input: input.name, shown: rows.get(input.name)?.default }).toEqual({ input: input.name, shown: `\`${input.default}\`` });
    }
  });

  it('every row and every action.yml entry has a description', () => {
    for (const row of [...readmeTable(readme, 'Inputs'), ...readmeTable(readme, 'Outputs')]) expect(row.description, row.name).not.toBe('');
    for (const entry of [...manifest.inputs, ...manifest.outputs]) expect(entry.description.trim(), entry.name).not.toBe('');
  });
});

describe('the README table reader', () => {
  it('reads rows under the heading only, up to the next heading', () => {
    const md = [
      '### Inputs',
      '',
      '| Input | Default | Description |',
      '|---|---|---|',
      '| `a` | `1` | first |',
      '| `b` | | second |',
      '### Outputs',
      '| `c` | | third |',
    ].join('\n');
    expect(readmeTable(md, 'Inputs')).toEqual([
      { name: 'a', default: '`1`', description: 'first' },
      { name: 'b', default: '', description: 'second' },
    ]);
    expect(readmeTable(md, 'Outputs').map((r) => r.name)).toEqual(['c']);
    expect(readmeTable(md, 'Missing')).toEqual([]);
  });
});
