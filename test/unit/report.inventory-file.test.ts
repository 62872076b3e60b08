import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SettingsError } from '../../src/errors.js';
import { parseInventoryFile, renderJson, toInventoryFile } from '../../src/report/inventory-file.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const sampleText = readFileSync(join(root, 'samples', 'inventory.json'), 'utf8');
const ACCOUNT = '8f3c2a91d47b4e0a9c6b15e2f0d83a7c';

const raw = (over: Record<string, unknown> = {}) => ({
  id: 'f2a1c3d4-0000-4000-8000-000000000001',
  dismissed: false,
  issue_class: 'dmarc_record_missing',
  issue_type: 'email_security',
  payload: { zone_tag: 'b7e2a9c45f1d4038ae6c92f10d5b8e47' },
  resolve_link: `https://dash.cloudflare.com/${ACCOUNT}/example.net/email/dmarc-management`,
  resolve_text: 'Publish a DMARC record.',
  severity: 'Moderate',
  since: '2026-01-12T07:00:45.838Z',
  subject: 'example.net',
  timestamp: '2026-05-04T05:58:12.940Z',
  ...over,
});

function failure(text: string, source = 'inv.json'): SettingsError {
  try {
    parseInventoryFile(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return error as SettingsError;
  }
  throw new Error('expected parseInventoryFile to throw');
}

describe('parseInventoryFile', () => {
  it('reads the json report format: scope, fetch time, completeness, insights', () => {
    const inv = parseInventoryFile(sampleText, 'samples/inventory.json');
    expect(inv.shape).toBe('inventory');
    expect(inv.scope).toEqual({ kind: 'accounts', id: ACCOUNT });
    expect(inv.fetchedAt).toBe('2026-05-04T06:00:00.000Z');
    expect(inv.complete).toBe(true);
    expect(inv.count).toBe(inv.insights.length);
    expect(inv.insights.length).toBeGreaterThanOrEqual(20);
  });

  it('reads a raw Cloudflare API response; a page short of count is incomplete', () => {
    const page = { success: true, errors: [], messages: [], result: { count: 1, issues: [raw()], page: 1, per_page: 1000 } };
    const inv = parseInventoryFile(JSON.stringify(page), 'page.json');
    expect(inv).toMatchObject({ shape: 'api-response', complete: true, count: 1 });
    expect(inv.scope).toBeUndefined();
    expect(inv.insights[0]!.subject).toBe('example.net');
    const partial = parseInventoryFile(JSON.stringify({ ...page, result: { ...page.result, count: 2500 } }), 'page.json');
    expect(partial.complete).toBe(false);
  });

  it('reads a plain array of insights', () => {
    const inv = parseInventoryFile(JSON.stringify([raw(), raw({ id: 'other' })]), 'list.json');
    expect(inv).toMatchObject({ shape: 'array', complete: true, count: 2 });
  });

  it('keeps unknown fields and fills defaults for absent known ones', () => {
    const inv = parseInventoryFile(
      JSON.stringify([{ id: 'min', status: 'active', user_classification: 'false_positive', has_extended_context: true, brand_new: { x: 1 } }]),
      'x.json',
    );
    expect(inv.insights[0]).toMatchObject({
      id: 'min',
      dismissed: false,
      severity: '',
      subject: '',
      status: 'active',
      user_classification: 'false_positive',
      has_extended_context: true,
      brand_new: { x: 1 },
    });
  });

  it('accepts severities and types it does not know', () => {
    const inv = parseInventoryFile(JSON.stringify([raw({ severity: 'Informational', issue_type: 'future_type' })]), 'x.json');
    expect(inv.insights[0]!.severity).toBe('Informational');
  });

  it('tolerates a byte order mark', () => {
    expect(parseInventoryFile(`\uFEFF${JSON.stringify([raw()])}`, 'bom.json').count).toBe(1);
  });

  it.each([
    [
      'a bad field names the file, the index and the field',
      JSON.stringify({ tool: 'cf-insights', version: 1, insights: [raw(), raw({ id: 'b', severity: 5 })] }),
      /^Cannot read inventory file inv\.json: insights\[1\]\.severity: .*expected string/,
    ],
    ['a missing id', JSON.stringify([raw(), raw({ id: undefined })]), /inv\.json: \[1\]\.id: /],
    ['an empty id', JSON.stringify([raw({ id: '' })]), /\[0\]\.id: must be a non-empty string/],
    ['a non-object insight', JSON.stringify({ result: { issues: ['nope'] } }), /result\.issues\[0\]: /],
    ['a repeated id', JSON.stringify([raw(), raw()]), /\[1\]\.id: ".*" repeats \[0\]\.id/],
    ['dismissed not a boolean', JSON.stringify([raw({ dismissed: 'yes' })]), /\[0\]\.dismissed: .*expected boolean/],
    ['not JSON', '{"tool": "cf-insights",', /inv\.json: not valid JSON \(/],
    ['a scalar', '42', /expected a JSON object or array, found number/],
    ['an unknown shape', JSON.stringify({ hello: 'world' }), /no "insights" array, no API "result" and not an array/],
    [
      'a bad scope',
      JSON.stringify({ tool: 'cf-insights', scope: 'accounts/../../x', insights: [] }),
      /^Cannot read inventory file inv\.json: \.scope: must be accounts\/<32 hex>/,
    ],
    ['a bad fetchedAt', JSON.stringify({ tool: 'cf-insights', fetchedAt: 'yesterday', insights: [] }), /\.fetchedAt: must be an ISO 8601 date/],
    ['insights not an array', JSON.stringify({ tool: 'cf-insights', insights: {} }), /\.insights: /],
    ['a newer file version', JSON.stringify({ tool: 'cf-insights', version: 2, insights: [] }), /version 2 was written by a newer cf-insights/],
    [
      'a failed API response',
      JSON.stringify({ success: false, errors: [{ code: 10000, message: 'Authentication error' }], result: null }),
      /failed API response \(success: false: 10000 Authentication error\)/,
    ],
    ['a response without issues', JSON.stringify({ success: true, result: { count: 0 } }), /\.result\.issues: /],
    ['a failed API response without errors', JSON.stringify({ success: false }), /failed API response \(success: false\)/],
  ])('rejects %s with one line', (_name, text, pattern) => {
    const error = failure(text);
    expect(error.setting).toBe('from-file');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(pattern);
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('inv.json');
  });

  it('a hostile value in the file cannot put a line break or escape in the message', () => {
    const error = failure(
      JSON.stringify([raw(), raw({ id: 'f2a1c3d4-0000-4000-8000-000000000001' })]).replace(/f2a1c3d4-0000-4000-8000-000000000001/g, 'a\\n\\u001b[2Jb'),
    );
    expect(error.message).not.toMatch(/[\n\u001b]/);
  });
});

describe('the json format', () => {
  it('is the inventory file: tool, version, scope, fetchedAt, complete, count, sorted insights', () => {
    const doc = toInventoryFile([raw({ id: 'b', severity: 'Low' }), raw({ id: 'a', severity: 'Critical' })] as never, {
      scope: { kind: 'zones', id: 'a'.repeat(32) },
      fetchedAt: '2026-05-04T06:00:00.000Z',
      complete: false,
    });
    expect(doc).toMatchObject({
      tool: 'cf-insights',
      version: 1,
      scope: `zones/${'a'.repeat(32)}`,
      fetchedAt: '2026-05-04T06:00:00.000Z',
      complete: false,
      count: 2,
    });
    expect(doc.insights.map((i) => i.id)).toEqual(['a', 'b']);
    expect(toInventoryFile([], {})).toMatchObject({ scope: null, fetchedAt: null, complete: true, count: 0, insights: [] });
  });

  it('round-trips through parseInventoryFile, unknown fields included', () => {
    const insights = parseInventoryFile(JSON.stringify([raw({ status: 'active', extra: [1, 2] })]), 'x').insights;
    const text = renderJson(insights, { scope: { kind: 'accounts', id: ACCOUNT }, fetchedAt: '2026-05-04T06:00:00.000Z', complete: false });
    expect(text.endsWith('}\n')).toBe(true);
    const back = parseInventoryFile(text, 'out.json');
    expect(back).toMatchObject({ shape: 'inventory', complete: false, scope: { kind: 'accounts', id: ACCOUNT } });
    expect(back.insights).toEqual(insights);
  });
});
