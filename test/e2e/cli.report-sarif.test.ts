/**
 * `cf-insights report --format sarif` for GitHub code scanning, in-process through
 * main(argv, io): the category written as runs[].automationDetails.id, and the cap at
 * GitHub's 25,000 results a run with a warning on stderr.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Insight } from '../../src/insights/types.js';
import { SAMPLE_INVENTORY, runCli } from '../support/cli-runner.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cf-insights-cli-sarif-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('report --format sarif', () => {
  it("--sarif-category is written as the run's automationDetails.id, so two uploads do not collide", async () => {
    const ids: string[] = [];
    for (const category of ['cloudflare/production', 'cloudflare/staging']) {
      const out = join(home, `${category.replace('/', '-')}.sarif`);
      const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, '--format', 'sarif', '--sarif-category', category, '--output', out], { home });
      expect(run.code, run.stderr).toBe(0);
      const log = JSON.parse(readFileSync(out, 'utf8')) as Sarif.Log;
      ids.push(log.runs[0]!.automationDetails!.id!);
    }
    expect(ids).toEqual(['cloudflare/production/', 'cloudflare/staging/']);
  });

  it('--sarif-category with another format, or an empty one, is a usage error (exit 2, one line, no output)', async () => {
    for (const argv of [
      ['--format', 'json', '--sarif-category', 'cloudflare'],
      ['--sarif-category', 'cloudflare'],
      ['--format', 'sarif', '--sarif-category', ' '],
    ]) {
      const run = await runCli(['report', '--from-file', SAMPLE_INVENTORY, ...argv], { home });
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(/--sarif-category/);
    }
  });

  it('--sarif-category is a flag of report only', async () => {
    const run = await runCli(['sync', '--from-file', SAMPLE_INVENTORY, '--repo', 'a/b', '--dry-run', '--sarif-category', 'x'], { home });
    expect(run.code).toBe(2);
  });

  it('more than 25,000 insights: the most severe 25,000 results, and a warning on stderr', async () => {
    const severities = ['Low', 'Moderate', 'High', 'Critical'];
    const insights: Insight[] = Array.from({ length: 25_004 }, (_, i) => ({
      id: `i${i}`,
      dismissed: false,
      issue_class: 'a_record_unproxied',
      issue_type: 'exposed_infrastructure',
      severity: i < 4 ? 'Low' : severities[(i % 3) + 1]!,
      subject: `h${i}.example.com`,
      payload: {},
    }));
    const file = join(home, 'big.json');
    writeFileSync(
      file,
      JSON.stringify({
        tool: 'cf-insights',
        version: 1,
        scope: `accounts/${'0'.repeat(32)}`,
        fetchedAt: '2026-05-04T06:00:00.000Z',
        complete: true,
        count: insights.length,
        insights,
      }),
    );
    const out = join(home, 'big.sarif');
    const run = await runCli(['report', '--from-file', file, '--format', 'sarif', '--output', out], { home });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning.*25,004 insights.*25,000 results a run.*4 least severe were left out/i);
    const results = (JSON.parse(readFileSync(out, 'utf8')) as Sarif.Log).runs[0]!.results!;
    expect(results).toHaveLength(25_000);
    expect(results.some((r) => String(r.properties?.['severity']) === 'Low')).toBe(false);
  }, 30_000);
});
