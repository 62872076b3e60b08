import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Insight } from '../src/insights/types.js';
import { parseInventoryFile } from '../src/report/inventory-file.js';
import { OCSF_CLASS_UID, OCSF_REQUIRED_FIELDS, renderOcsf, toOcsf } from '../src/report/ocsf.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sample = parseInventoryFile(readFileSync(join(root, 'samples', 'inventory.json'), 'utf8'), 'sample');
const ctx = { scope: sample.scope!, fetchedAt: '2026-05-04T06:00:00.000Z', toolVersion: '1.2.3' };

const insight = (over: Partial<Insight>): Insight => ({
  id: 'id-1',
  dismissed: false,
  issue_class: 'rdp_port_exposed',
  issue_type: 'exposed_infrastructure',
  severity: 'High',
  subject: '203.0.113.5',
  payload: { port: 3389 },
  ...over,
});

function at(record: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), record);
}

function typeOk(value: unknown, type: 'integer' | 'string' | 'object'): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'string') return typeof value === 'string' && value !== '';
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function requiredProblems(record: unknown): string[] {
  return OCSF_REQUIRED_FIELDS.filter((f) => !typeOk(at(record, f.path), f.type)).map((f) => f.path);
}

describe('OCSF Detection Finding', () => {
  const lines = renderOcsf(sample.insights, ctx).split('\n');

  it('one JSON record per line, one per insight, newline-terminated', () => {
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(sample.insights.length);
    const ids = lines.map((l) => (JSON.parse(l) as { finding_info: { uid: string } }).finding_info.uid).sort();
    expect(ids).toEqual(sample.insights.map((i) => i.id).sort());
  });

  it('lists the fields OCSF 1.3.0 requires of the class', () => {
    expect(OCSF_REQUIRED_FIELDS.map((f) => f.path)).toEqual(
      expect.arrayContaining(['activity_id', 'category_uid', 'class_uid', 'finding_info.uid', 'finding_info.title', 'metadata.product', 'metadata.version', 'severity_id', 'time', 'type_uid']),
    );
  });

  it('the check catches a missing or mistyped field (so a pass means something)', () => {
    const record = toOcsf(insight({}), ctx) as Record<string, unknown>;
    expect(requiredProblems({ ...record, time: '2026-05-04' })).toEqual(['time']);
    expect(requiredProblems({ ...record, finding_info: { title: 't' } })).toEqual(['finding_info.uid']);
    const { metadata: _m, ...noMetadata } = record;
    expect(requiredProblems(noMetadata)).toEqual(['metadata', 'metadata.version', 'metadata.product', 'metadata.product.vendor_name']);
  });

  it('every sample record has the required fields with the right types and class 2004', () => {
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(requiredProblems(record)).toEqual([]);
      expect(record['class_uid']).toBe(OCSF_CLASS_UID);
      expect(record['category_uid']).toBe(2);
      expect(record['type_uid']).toBe(2004 * 100 + (record['activity_id'] as number));
      expect(at(record, 'metadata.version')).toBe('1.3.0');
      expect(at(record, 'metadata.product.name')).toBe('cf-insights');
      expect(at(record, 'cloud.provider')).toBe('Cloudflare');
      expect(at(record, 'cloud.account.uid')).toBe(sample.scope!.id);
    }
  });

  it.each([
    ['Low', 2, 'Low'],
    ['Moderate', 3, 'Medium'],
    ['High', 4, 'High'],
    ['Critical', 5, 'Critical'],
    ['critical', 5, 'Critical'],
    ['Informational-ish', 99, 'Informational-ish'],
    ['', 0, 'Unknown'],
  ])('severity %j maps to severity_id %i (%s)', (severity, id, name) => {
    const record = toOcsf(insight({ severity }), ctx);
    expect(record.severity_id).toBe(id);
    expect(record['severity']).toBe(name);
  });

  it('status: new, suppressed when dismissed, resolved (a Close activity) when Cloudflare says so', () => {
    const active = toOcsf(insight({}), ctx);
    expect([active.activity_id, active.type_uid, active['status_id'], active['status']]).toEqual([1, 200401, 1, 'New']);
    const dismissed = toOcsf(insight({ dismissed: true }), ctx);
    expect([dismissed.activity_id, dismissed['status_id'], dismissed['status']]).toEqual([1, 3, 'Suppressed']);
    const resolved = toOcsf(insight({ status: 'resolved' }), ctx);
    expect([resolved.activity_id, resolved.type_uid, resolved['status_id'], resolved['status']]).toEqual([3, 200403, 4, 'Resolved']);
  });

  it('times are epoch milliseconds: last scan, else fetch time; first seen from since', () => {
    const record = toOcsf(insight({ since: '2026-02-11T08:14:22.481Z', timestamp: '2026-05-04T05:58:11.000Z' }), ctx);
    expect(record.time).toBe(Date.parse('2026-05-04T05:58:11.000Z'));
    expect(record.finding_info['first_seen_time']).toBe(Date.parse('2026-02-11T08:14:22.481Z'));
    expect(record.finding_info['last_seen_time']).toBe(Date.parse('2026-05-04T05:58:11.000Z'));
    const noTimestamp = toOcsf(insight({ timestamp: null, since: 'garbage' }), ctx);
    expect(noTimestamp.time).toBe(Date.parse(ctx.fetchedAt));
    expect(noTimestamp.finding_info['first_seen_time']).toBeUndefined();
    expect(Number.isInteger(toOcsf(insight({}), {}).time)).toBe(true);
  });

  it('keeps what has no OCSF field in unmapped: payload, class, dismissed and unknown fields', () => {
    const record = toOcsf(insight({ user_classification: 'false_positive', has_extended_context: true }), ctx);
    expect(record['unmapped']).toEqual({
      dismissed: false,
      issue_class: 'rdp_port_exposed',
      payload: { port: 3389 },
      user_classification: 'false_positive',
      has_extended_context: true,
      scope: `accounts/${sample.scope!.id}`,
    });
    expect(record['resources']).toEqual([{ name: '203.0.113.5', type: 'exposed_infrastructure' }]);
    expect(record.finding_info['types']).toEqual(['exposed_infrastructure']);
  });

  it('zone scope has no cloud account', () => {
    const record = toOcsf(insight({}), { scope: { kind: 'zones', id: 'a'.repeat(32) } });
    expect(record['cloud']).toEqual({ provider: 'Cloudflare' });
    expect(requiredProblems(record)).toEqual([]);
  });

  it('no raw control character or bidi override in the output, and the data survives', () => {
    const subject = 'x\u001b[2J\u009b31m\u202Ey';
    const line = renderOcsf([insight({ subject })], ctx).trimEnd();
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect((JSON.parse(line) as { resources: { name: string }[] }).resources[0]!.name).toBe(subject);
  });
});
