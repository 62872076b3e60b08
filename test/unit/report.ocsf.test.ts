import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Insight } from '../../src/insights/types.js';
import { parseInventoryFile } from '../../src/report/inventory-file.js';
import { OCSF_CLASS_UID, renderOcsf, resourceOf, toOcsf } from '../../src/report/ocsf.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
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

// The OCSF 1.3.0 Detection Finding schema, transcribed from ocsf/ocsf-schema at tag 1.3.0 (see its $comment).
const schema = JSON.parse(readFileSync(join(root, 'test', 'contract', 'ocsf-1.3.0-detection-finding.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

function problems(record: unknown): string[] {
  return validate(record)
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` ${String(e.params['additionalProperty'])}` : ''}`,
      );
}

describe('OCSF Detection Finding', () => {
  const lines = renderOcsf(sample.insights, ctx).split('\n');

  it('one JSON record per line, one per insight, newline-terminated', () => {
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(sample.insights.length);
    const ids = lines.map((l) => (JSON.parse(l) as { finding_info: { uid: string } }).finding_info.uid).sort();
    expect(ids).toEqual(sample.insights.map((i) => i.id).sort());
  });

  it('the schema rejects what the OCSF validator reports (so a pass means something)', () => {
    const record = toOcsf(insight({}), ctx) as Record<string, unknown>;
    expect(problems(record)).toEqual([]);
    expect(problems({ ...record, time: '2026-05-04' })).not.toEqual([]);
    expect(problems({ ...record, severity_id: 7 })).not.toEqual([]);
    expect(problems({ ...record, finding_info: { title: 't' } })).not.toEqual([]);
    expect(problems({ ...record, surprise: 1 })).toEqual(['/ must NOT have additional properties surprise']);
    const { metadata: _m, ...noMetadata } = record;
    expect(problems(noMetadata)).not.toEqual([]);
    // `cloud` belongs to the Cloud profile: without the profile declared it is an unknown attribute.
    const metadata = record['metadata'] as Record<string, unknown>;
    const { profiles: _p, ...undeclared } = metadata;
    expect(problems({ ...record, metadata: undeclared })).not.toEqual([]);
    expect(problems({ ...record, metadata: { ...metadata, product: { name: 'x' } } })).not.toEqual([]);
  });

  it('every sample record is a valid OCSF 1.3.0 Detection Finding, class 2004, with the Cloud profile declared', () => {
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(problems(record)).toEqual([]);
      expect(record['class_uid']).toBe(OCSF_CLASS_UID);
      expect(record['type_uid']).toBe(2004 * 100 + (record['activity_id'] as number));
      expect(record['metadata']).toMatchObject({
        version: '1.3.0',
        profiles: ['cloud'],
        product: { name: 'Cloudflare Security Center', vendor_name: 'Cloudflare' },
        loggers: [{ name: 'cf-insights', version: '1.2.3', product: { name: 'cf-insights', version: '1.2.3' } }],
        tenant_uid: sample.scope!.id,
      });
      expect(record['cloud']).toEqual({ provider: 'Cloudflare', account: { uid: sample.scope!.id } });
    }
  });

  it('odd and hostile insights still make valid records', () => {
    const odd = [
      insight({ subject: '', severity: 'Informational-ish', issue_class: '', resolve_text: null, resolve_link: 'javascript:alert(1)' }),
      insight({ status: 'resolved', dismissed: true, since: 'garbage', timestamp: null, payload: null }),
      insight({ id: 'odd-3', subject: 'x'.repeat(5000), issue_type: '', severity: '' }),
    ];
    for (const record of odd) {
      expect(problems(toOcsf(record, ctx))).toEqual([]);
      expect(problems(toOcsf(record, {}))).toEqual([]);
    }
  });

  it.each([
    [
      'a DNS record (record id/type in the payload)',
      { subject: 'origin.example.com', payload: { record_id: 'r1', record_type: 'A', zone_tag: 'z1' } },
      { type: 'DNS record', uid: 'r1' },
    ],
    ['a zone (a zone setting or a missing record)', { subject: 'example.com', payload: { zone_tag: 'z1', setting: 'ssl' } }, { type: 'Zone', uid: 'z1' }],
    ['an IP address (an exposed port)', { subject: '198.51.100.17', payload: { ip: '198.51.100.17', port: 3306 } }, { type: 'IP address' }],
    ['an IPv6 address by its subject alone', { subject: '2001:db8::1', payload: {} }, { type: 'IP address' }],
    ['a user (an e-mail address)', { subject: 'ops-admin@example.com', payload: { user_email: 'ops-admin@example.com' } }, { type: 'User' }],
    ['the account (its members)', { subject: 'Example Corp', payload: { users: ['a@example.com'], count: 1 } }, { type: 'Account' }],
    ['a hostname by its subject alone', { subject: 'shop.example.com', payload: null }, { type: 'Hostname' }],
    ['not an address, though it has a colon', { subject: 'ab:cd', payload: {} }, {}],
    ['nothing recognisable: no type', { subject: 'something', payload: 'text' }, {}],
  ])('resources[].type: %s', (_what, over, expected) => {
    expect(resourceOf(insight(over as Partial<Insight>))).toEqual(expected);
    const record = toOcsf(insight(over as Partial<Insight>), ctx);
    expect(record['resources']).toEqual([{ name: (over as { subject: string }).subject, ...expected }]);
    expect(problems(record)).toEqual([]);
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
    expect(record['resources']).toEqual([{ name: '203.0.113.5', type: 'IP address' }]);
    expect(record.finding_info['types']).toEqual(['exposed_infrastructure']);
  });

  it('zone scope has no cloud account, and is still valid', () => {
    const record = toOcsf(insight({}), { scope: { kind: 'zones', id: 'a'.repeat(32) } });
    expect(record['cloud']).toEqual({ provider: 'Cloudflare' });
    expect(problems(record)).toEqual([]);
  });

  it('no raw control character or bidi override in the output, and the data survives', () => {
    const subject = 'x\u001b[2J\u009b31m\u202Ey';
    const line = renderOcsf([insight({ subject })], ctx).trimEnd();
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect((JSON.parse(line) as { resources: { name: string }[] }).resources[0]!.name).toBe(subject);
  });
});
