import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Insight } from '../../src/insights/types.js';
import { parseInventoryFile } from '../../src/report/inventory-file.js';
import { renderSarif, SARIF_FINGERPRINT_KEY, SARIF_MAX_RESULTS, sarifAutomationId, sarifCapWarning, toSarif } from '../../src/report/sarif.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const sample = parseInventoryFile(readFileSync(join(root, 'samples', 'inventory.json'), 'utf8'), 'sample');
const ctx = { scope: sample.scope!, fetchedAt: sample.fetchedAt!, toolVersion: '1.2.3' };

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

let validate: ValidateFunction;
beforeAll(() => {
  // The published SARIF 2.1.0 schema, kept byte for byte: OASIS errata 01
  // (https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json,
  // as in github.com/oasis-tcs/sarif-spec sarif-2.1/schema/). It is written for draft-04 (`id`, `$schema`); its keywords are draft-07 compatible,
  // and its patterns are not valid under the `u` flag Ajv 8 uses by default.
  const {
    $schema: _draft,
    id,
    ...schema
  } = JSON.parse(readFileSync(join(root, 'test', 'contract', 'sarif-2.1.0.schema.json'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  validate = ajv.compile({ $id: String(id), ...schema });
});

function expectValid(log: unknown): void {
  const ok = validate(log);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
  expect(ok).toBe(true);
}

const insight = (over: Partial<Insight>): Insight => ({
  id: 'x',
  dismissed: false,
  issue_class: 'rdp_port_exposed',
  issue_type: 'exposed_infrastructure',
  severity: 'High',
  subject: '203.0.113.5',
  payload: {},
  ...over,
});

describe('SARIF 2.1.0', () => {
  it('the validator rejects what it should (so a pass means something)', () => {
    const log = toSarif(sample.insights, ctx);
    const broken = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    delete broken.runs[0]!.results[0]!['message'];
    expect(validate(broken)).toBe(false);
    const badLevel = structuredClone(log);
    badLevel.runs[0]!.results![0]!.level = 'fatal' as Sarif.Result.level;
    expect(validate(badLevel)).toBe(false);
  });

  it('the sample report is valid against the SARIF 2.1.0 schema', () => {
    expectValid(JSON.parse(renderSarif(sample.insights, ctx)));
  });

  it('an empty inventory is valid too', () => {
    const log = JSON.parse(renderSarif([], ctx)) as Sarif.Log;
    expectValid(log);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toEqual([]);
  });

  it('hostile and odd values stay valid', () => {
    const odd = [
      insight({ id: 'a', subject: 'Example Corp / ops team \u001b[31m', issue_class: 'weird class|name', severity: 'Informational' }),
      insight({ id: 'b', subject: '', issue_type: '../../etc', issue_class: '', resolve_text: null, resolve_link: 'javascript:alert(1)' }),
      insight({ id: 'c', subject: 'x'.repeat(5000), since: 'not a date' }),
    ];
    expectValid(toSarif(odd, ctx));
    expectValid(toSarif(odd, {}));
  });

  describe('what GitHub code scanning needs', () => {
    const log = toSarif(sample.insights, ctx);
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules!;
    const results = run.results!;

    it('one run, the tool named and versioned', () => {
      expect(log.version).toBe('2.1.0');
      expect(log.$schema).toMatch(/sarif-2\.1\.0/);
      expect(log.runs).toHaveLength(1);
      expect(run.tool.driver.name).toBe('cf-insights');
      expect(run.tool.driver.version).toBe('1.2.3');
      expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
    });

    it('one rule per issue class, sorted, with a security-severity from the most severe insight', () => {
      const classes = [...new Set(sample.insights.map((i) => i.issue_class))].sort();
      expect(rules.map((r) => r.id)).toEqual(classes);
      const byClass = (c: string) => sample.insights.filter((i) => i.issue_class === c).map((i) => i.severity);
      const score: Record<string, string> = { Critical: '9.5', High: '7.5', Moderate: '5.0', Low: '2.0' };
      const levelOf: Record<string, string> = { Critical: 'error', High: 'error', Moderate: 'warning', Low: 'note' };
      for (const rule of rules) {
        const severities = byClass(rule.id);
        const top = ['Critical', 'High', 'Moderate', 'Low'].find((s) => severities.includes(s))!;
        expect(rule.properties?.['security-severity']).toBe(score[top]);
        expect(rule.defaultConfiguration?.level).toBe(levelOf[top]);
        expect(rule.properties?.tags).toContain('security');
        expect(rule.properties?.tags).toContain(sample.insights.find((i) => i.issue_class === rule.id)!.issue_type);
        expect(rule.name).toMatch(/^[A-Z]/);
        expect(rule.shortDescription?.text).toBeTruthy();
        expect(rule.fullDescription?.text).toBeTruthy();
        expect(rule.help?.text).toBeTruthy();
      }
      expect(rules.find((r) => r.id === 'rdp_port_exposed')!.name).toBe('RDP port exposed');
      expect(rules.find((r) => r.id === 'min_tls_version_1_0')!.name).toBe('Min TLS version 1.0');
    });

    it('one result per insight, each pointing at its rule, with a location and a stable fingerprint', () => {
      expect(results).toHaveLength(sample.insights.length);
      const ids = new Set<string>();
      for (const result of results) {
        const rule = rules[result.ruleIndex!]!;
        expect(rule.id).toBe(result.ruleId);
        expect(result.message.text).toBeTruthy();
        const location = result.locations![0]!.physicalLocation!;
        expect(location.artifactLocation!.uri).toMatch(/^cloudflare\/accounts\/8f3c2a91d47b4e0a9c6b15e2f0d83a7c\/[a-z_]+\/\S+$/);
        expect(location.region!.startLine).toBe(1);
        const id = result.partialFingerprints![SARIF_FINGERPRINT_KEY]!;
        ids.add(id);
        const source = sample.insights.find((i) => i.id === id)!;
        expect(result.properties).toMatchObject({ subject: source.subject, severity: source.severity, issue_type: source.issue_type, since: source.since });
        expect(result.suppressions !== undefined).toBe(source.dismissed);
      }
      expect([...ids].sort()).toEqual(sample.insights.map((i) => i.id).sort());
    });

    it('the fingerprint follows the insight id, not its content or position', () => {
      const one = sample.insights[0]!;
      const changed = { ...one, severity: 'Low', timestamp: '2026-06-01T00:00:00Z', subject: 'renamed.example.com' };
      const before = toSarif([one], ctx).runs[0]!.results![0]!.partialFingerprints;
      const after = toSarif([changed, ...sample.insights.slice(1)], ctx).runs[0]!.results!.find(
        (r) => r.partialFingerprints![SARIF_FINGERPRINT_KEY] === one.id,
      )!.partialFingerprints;
      expect(after).toEqual(before);
      expect(before).toEqual({ [SARIF_FINGERPRINT_KEY]: one.id });
    });
  });

  it('levels follow the severity of each insight', () => {
    const log = toSarif([insight({ id: '1', severity: 'Critical' }), insight({ id: '2', severity: 'Moderate' }), insight({ id: '3', severity: 'Low' })], ctx);
    expect(log.runs[0]!.results!.map((r) => r.level)).toEqual(['error', 'warning', 'note']);
  });

  it('no control character or bidi override reaches the output', () => {
    const text = renderSarif([insight({ subject: 'a\u001b]0;x\u0007b\u009b2J\u202Ec', resolve_text: 'line\u2028two' })], ctx);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2028]/);
  });

  describe('GitHub code scanning limits and categories', () => {
    const many = (n: number): Insight[] =>
      Array.from({ length: n }, (_, i) =>
        insight({
          id: `i${i}`,
          subject: `host-${i}.example.com`,
          severity: ['Low', 'Moderate', 'High', 'Critical'][i % 4]!,
          issue_class: `class_${i % 7}`,
          dismissed: i % 10 === 0,
        }),
      );

    it('caps a run at 25,000 results, as GitHub rejects more', () => {
      expect(SARIF_MAX_RESULTS).toBe(25_000);
      const log = toSarif(many(25_003), ctx);
      expect(log.runs).toHaveLength(1);
      expect(log.runs[0]!.results).toHaveLength(25_000);
      expect(log.runs[0]!.properties?.['omittedResults']).toBe(3);
      expect(sarifCapWarning(25_003)).toMatch(/25,003 insights.*25,000.*3 .*left out/);
      expect(sarifCapWarning(25_000)).toBeNull();
    });

    it('keeps the open alerts first and, among them, the most severe; the run says what it left out', () => {
      const insights = many(40);
      const log = toSarif(insights, ctx, { maxResults: 12 });
      const run = log.runs[0]!;
      expectValid(log);
      const kept = run.results!.map((r) => insights.find((i) => i.id === r.partialFingerprints![SARIF_FINGERPRINT_KEY])!);
      expect(kept).toHaveLength(12);
      // 40 insights: ids 0..39, severity by i % 4 (Critical at 3, 7, ...), dismissed at 0, 10, 20, 30.
      expect(kept.every((i) => i.dismissed === false)).toBe(true);
      expect(kept.filter((i) => i.severity === 'Critical')).toHaveLength(10);
      expect(kept.filter((i) => i.severity === 'High')).toHaveLength(2);
      // Every kept result still points at its rule; rules of classes left out are gone too.
      for (const result of run.results!) expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
      expect(new Set(run.tool.driver.rules!.map((r) => r.id))).toEqual(new Set(run.results!.map((r) => r.ruleId)));
      expect(run.properties?.['omittedResults']).toBe(28);
      const notes = run.invocations![0]!.toolExecutionNotifications!;
      expect(notes[0]!.level).toBe('warning');
      expect(notes[0]!.message.text).toMatch(/40 insights.*12.*28 .*left out/);
      // Below the cap nothing is said.
      const small = toSarif(insights, ctx, { maxResults: 40 }).runs[0]!;
      expect(small.invocations).toBeUndefined();
      expect(small.properties?.['omittedResults']).toBeUndefined();
    });

    it.each([
      ['cloudflare', 'cloudflare/'],
      ['cloudflare/prod', 'cloudflare/prod/'],
      ['cloudflare/prod/', 'cloudflare/prod/'],
      ['  security/cloudflare  ', 'security/cloudflare/'],
    ])('--sarif-category %j is written as automationDetails.id %j (a category, no run id)', (category, id) => {
      expect(sarifAutomationId(category)).toBe(id);
      const log = toSarif(sample.insights, { ...ctx, sarifCategory: category });
      expect(log.runs[0]!.automationDetails).toEqual({ id });
      expectValid(log);
    });

    it('no category, no automationDetails (GitHub then tells runs apart by workflow and job)', () => {
      expect(toSarif(sample.insights, ctx).runs[0]!.automationDetails).toBeUndefined();
    });

    it.each(['', '   ', '/', 'a\nb', 'x\u0007'])('an unusable category %j is refused', (category) => {
      expect(() => sarifAutomationId(category)).toThrow(/--sarif-category/);
    });
  });
});
