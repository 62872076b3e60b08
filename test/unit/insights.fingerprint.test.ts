import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint, FINGERPRINT_FIELDS } from '../../src/insights/fingerprint.js';
import type { Insight } from '../../src/insights/types.js';

const base: Insight = {
  id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  dismissed: false,
  issue_class: 'always_use_https_not_enabled',
  issue_type: 'insecure_configuration',
  severity: 'Moderate',
  subject: 'www.example.com',
  payload: {
    detection_method: 'zone settings',
    zone_tag: 'abc',
    records: [
      { name: 'a', ttl: 300 },
      { name: 'b', ttl: 60 },
    ],
  },
  resolve_link: 'https://dash.cloudflare.com/example/ssl-tls/edge-certificates',
  resolve_text: 'Turn on Always Use HTTPS.',
  since: '2024-05-01T10:00:00Z',
  timestamp: '2025-06-01T06:00:00Z',
  status: 'active',
  user_classification: null,
};

/** The same object with every key order reversed, recursively. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  }
  return value;
}

describe('fingerprint', () => {
  it('is 16 hex characters', () => {
    expect(fingerprint(base)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is sha256 of the canonical JSON of the cared-for fields (missing ones as null), cut to 16', () => {
    const picked = Object.fromEntries(FINGERPRINT_FIELDS.map((f) => [f, base[f] ?? null]));
    const expected = createHash('sha256').update(canonicalJson(picked)).digest('hex').slice(0, 16);
    expect(fingerprint(base)).toBe(expected);
    // Pinned: the fingerprint is written into every issue marker, so it must not drift between releases.
    expect(fingerprint(base)).toBe('79e15d30771d4d24');
  });

  const reference = (insight: Insight) => {
    const picked = Object.fromEntries(FINGERPRINT_FIELDS.map((f) => [f, insight[f] ?? null]));
    return createHash('sha256').update(canonicalJson(picked)).digest('hex').slice(0, 16);
  };

  it.each([
    ['sorted keys', { a: 1, b: { c: [1, { d: 2, e: 3 }] } }],
    ['unsorted nested keys', { b: 1, a: { z: [{ y: 1, x: 2 }] } }],
    ['integer-like keys (Object.keys puts them first, numerically)', { 10: 'a', 2: 'b', x: 'c' }],
    ['an array of objects', [{ b: 1, a: 2 }, { a: 1 }]],
    ['a __proto__ key (from JSON.parse, an own member)', JSON.parse('{"z":1,"__proto__":{"b":1,"a":2}}')],
    ['a string', 'text'],
    ['null', null],
  ])('agrees with the reference definition for a payload with %s', (_name, payload) => {
    expect(fingerprint({ ...base, payload })).toBe(reference({ ...base, payload }));
  });

  it('property: agrees with the reference definition for any payload', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (payload) => fingerprint({ ...base, payload }) === reference({ ...base, payload })),
      { numRuns: 300 },
    );
  });

  it('does not depend on key order, top level or nested', () => {
    const other = reversed(base) as Insight;
    expect(Object.keys(other)[0]).toBe('user_classification');
    expect(fingerprint(other)).toBe(fingerprint(base));
  });

  it('does not depend on timestamp, since, id or fields a reader does not see', () => {
    expect(fingerprint({ ...base, timestamp: '2025-07-01T06:00:00Z' })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, timestamp: undefined })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, since: '2020-01-01T00:00:00Z' })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, id: 'another' })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, has_extended_context: true })).toBe(fingerprint(base));
  });

  it('treats a missing optional field like a null one', () => {
    const { resolve_link: _link, status: _status, ...rest } = base;
    expect(fingerprint(rest as Insight)).toBe(fingerprint({ ...base, resolve_link: null, status: null }));
  });

  const changes: [string, Partial<Insight>][] = [
    ['severity', { severity: 'Critical' }],
    ['dismissed', { dismissed: true }],
    ['issue_class', { issue_class: 'dnssec_disabled' }],
    ['issue_type', { issue_type: 'exposed_infrastructure' }],
    ['subject', { subject: 'api.example.com' }],
    ['payload', { payload: { ...(base.payload as object), zone_tag: 'abd' } }],
    ['resolve_text', { resolve_text: 'Turn on Always Use HTTPS now.' }],
    ['resolve_link', { resolve_link: 'https://dash.cloudflare.com/other' }],
    ['status', { status: 'resolved' }],
    ['user_classification', { user_classification: 'false_positive' }],
  ];

  it.each(changes)('changes when %s changes', (_field, change) => {
    expect(fingerprint({ ...base, ...change })).not.toBe(fingerprint(base));
  });

  it('covers every cared-for field in the table above', () => {
    expect(changes.map(([f]) => f).sort()).toEqual([...FINGERPRINT_FIELDS].sort());
  });

  it('is sensitive to nested payload values and array order', () => {
    const payload = base.payload as { records: { name: string; ttl: number }[] };
    expect(fingerprint({ ...base, payload: { ...payload, records: [...payload.records].reverse() } })).not.toBe(fingerprint(base));
    expect(fingerprint({ ...base, payload: { ...payload, records: [{ name: 'a', ttl: 301 }, payload.records[1]] } })).not.toBe(fingerprint(base));
  });

  it('does not confuse a string with the same-looking number', () => {
    expect(fingerprint({ ...base, payload: { port: 22 } })).not.toBe(fingerprint({ ...base, payload: { port: '22' } }));
  });

  it('property: any payload, any key order, any timestamp gives the same fingerprint', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (payload, timestamp) => {
        const a = { ...base, payload };
        const b = reversed({ ...base, payload, timestamp }) as Insight;
        return fingerprint(a) === fingerprint(b);
      }),
      { numRuns: 200 },
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys recursively, keeps array order, drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('writes null for undefined in arrays and for non-finite numbers, like JSON', () => {
    expect(canonicalJson([undefined, Number.NaN, 'x'])).toBe('[null,null,"x"]');
  });

  it('agrees with JSON.parse: the canonical text parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });
});
