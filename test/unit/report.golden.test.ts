/**
 * Every format against a golden file made from the bundled sample inventory.
 * Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/unit/report.golden.test.ts
 * (then read the diff before committing it).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkGolden } from '../support/golden.js';
import { describe, expect, it } from 'vitest';
import { parseInventoryFile } from '../../src/report/inventory-file.js';
import { renderReport } from '../../src/report/index.js';
import { REPORT_FORMATS, type ReportContext, type ReportFormat } from '../../src/report/types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const samplePath = join(root, 'samples', 'inventory.json');

const EXTENSION: Record<ReportFormat, string> = {
  table: 'table.txt',
  json: 'json',
  ndjson: 'ndjson',
  csv: 'csv',
  markdown: 'md',
  sarif: 'sarif',
  ocsf: 'ocsf.ndjson',
};

const sample = parseInventoryFile(readFileSync(samplePath, 'utf8'), 'samples/inventory.json');
const ctx: ReportContext = {
  ...(sample.scope ? { scope: sample.scope } : {}),
  ...(sample.fetchedAt ? { fetchedAt: sample.fetchedAt } : {}),
  complete: sample.complete,
  toolVersion: '0.0.0-golden',
  color: false,
};

describe('golden files from samples/inventory.json', () => {
  it('covers every report format', () => {
    expect(Object.keys(EXTENSION).sort()).toEqual([...REPORT_FORMATS].sort());
  });

  for (const format of REPORT_FORMATS) {
    it(`${format} matches test/golden/sample.${EXTENSION[format]}`, () => {
      checkGolden(`sample.${EXTENSION[format]}`, renderReport(format, sample.insights, ctx));
    });

    it(`${format} does not depend on the order the API returned the insights in`, () => {
      const reversed = [...sample.insights].reverse();
      expect(renderReport(format, reversed, ctx)).toBe(renderReport(format, sample.insights, ctx));
    });
  }

  it('table in colour matches test/golden/sample.table.color.txt', () => {
    checkGolden('sample.table.color.txt', renderReport('table', sample.insights, { ...ctx, color: true }));
  });

  it('json output reads back to the same inventory', () => {
    const again = parseInventoryFile(renderReport('json', sample.insights, ctx), 'round-trip.json');
    expect(again.scope).toEqual(sample.scope);
    expect(again.fetchedAt).toBe(sample.fetchedAt);
    expect(again.complete).toBe(true);
    expect(new Map(again.insights.map((i) => [i.id, i]))).toEqual(new Map(sample.insights.map((i) => [i.id, i])));
  });
});
