import fc from 'fast-check';
import { ACCOUNT, bodyFor, insight } from '../support/insights.js';
import { describe, expect, it } from 'vitest';
import { classMarkerId, mayBelongTo, parseMarker, renderMarker, scopeIdsIn, scopeKeysIn } from '../../src/github/marker.js';

/** Lone surrogates cannot be encoded: they come back as U+FFFD. */
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

describe('the v2 marker names its scope', () => {
  const A = 'accounts/0123456789abcdef0123456789abcdef';
  it('writes and reads `scope=`', () => {
    const line = renderMarker({ scope: A, id: 'a1', fp: 'f' });
    expect(line).toBe(`<!-- cf-insights:v2 scope=${A} id=a1 fp=f -->`);
    expect(parseMarker(`body\n\n${line}`)).toEqual({ scope: A, id: 'a1', fp: 'f' });
    expect(parseMarker(renderMarker({ scope: 'zones/z z', id: 'a', fp: 'f' }))).toEqual({ scope: 'zones/z z', id: 'a', fp: 'f' });
    expect(parseMarker('<!-- cf-insights:v2 scope=users/x id=a fp=f -->')).toBeNull();
    expect(parseMarker('<!-- cf-insights:v2 id=a fp=f -->')).toBeNull();
    expect(() => renderMarker({ scope: 'accounts/', id: 'a', fp: 'f' })).toThrow();
  });

  it('an issue belongs to a scope by its v2 marker, or (v1, no marker) unless its body names only other ids', () => {
    const B = 'accounts/ffffffffffffffffffffffffffffffff';
    const id = A.slice('accounts/'.length);
    expect(mayBelongTo({ marker: { scope: A.toUpperCase().replace('ACCOUNTS', 'accounts'), id: 'a', fp: 'f' }, scopeIds: [] }, A)).toBe(true);
    expect(mayBelongTo({ marker: { scope: B, id: 'a', fp: 'f' }, scopeIds: [id] }, A)).toBe(false);
    expect(mayBelongTo({ marker: { id: 'a', fp: 'f' }, scopeIds: [id, 'f'.repeat(32)] }, A)).toBe(true);
    expect(mayBelongTo({ marker: { id: 'a', fp: 'f' }, scopeIds: ['f'.repeat(32)] }, A)).toBe(false);
    expect(mayBelongTo({ marker: null, scopeIds: [] }, A)).toBe(true);
    // A v1 body of an account names a zone id in its payload: the zone's run does not take it.
    const Z = `zones/${'c'.repeat(32)}`;
    const v1 = `| Scope | \`${A}\` |\n\`\`\`json\n{"zone_id": "${'c'.repeat(32)}", "path": "/zones/${'c'.repeat(32)}/dns"}\n\`\`\``;
    const issue = { marker: { id: 'a', fp: 'f' }, scopeIds: scopeIdsIn(v1), scopeKeys: scopeKeysIn(v1) };
    expect(issue.scopeKeys).toEqual([A]);
    expect(scopeKeysIn(bodyFor(insight('x', { payload: { zone: 'c'.repeat(32) } })))).toEqual([`accounts/${ACCOUNT}`]);
    expect(mayBelongTo(issue, Z)).toBe(false);
    expect(mayBelongTo(issue, A)).toBe(true);
  });
});

describe('renderMarker', () => {
  it('writes the documented format', () => {
    expect(renderMarker({ id: 'a1b2c3', fp: 'deadbeef' })).toBe('<!-- cf-insights:v1 id=a1b2c3 fp=deadbeef -->');
  });

  it('keeps a class id readable', () => {
    expect(renderMarker({ id: classMarkerId('dangling_dns_record'), fp: 'f0' })).toBe('<!-- cf-insights:v1 id=class:dangling_dns_record fp=f0 -->');
  });

  it('encodes anything that could end the comment or add a field', () => {
    const line = renderMarker({ id: 'x --> <b> fp=evil\nnext', fp: 'y z' });
    expect(line).not.toMatch(/\n/);
    expect(line.indexOf('-->')).toBe(line.length - 3);
    expect(line.match(/ fp=/g)).toHaveLength(1);
    expect(parseMarker(line)).toEqual({ id: 'x --> <b> fp=evil\nnext', fp: 'y z' });
  });

  it('refuses empty values', () => {
    expect(() => renderMarker({ id: '', fp: 'x' })).toThrow();
    expect(() => renderMarker({ id: 'x', fp: '' })).toThrow();
  });
});

describe('parseMarker', () => {
  const marker = renderMarker({ id: 'abc', fp: '123' });

  it('reads the marker on the last line', () => {
    expect(parseMarker(`Some body\n\n${marker}`)).toEqual({ id: 'abc', fp: '123' });
  });

  it('ignores trailing blank lines, trailing spaces and CRLF (as the web editor saves)', () => {
    expect(parseMarker(`Body\r\n\r\n${marker}  \r\n\r\n  \n`)).toEqual({ id: 'abc', fp: '123' });
  });

  it('ignores a marker that is not the last non-empty line', () => {
    expect(parseMarker(`${marker}\nA person added a note below.`)).toBeNull();
    expect(parseMarker(`<!-- cf-insights:v1 id=fake fp=fake -->\nreal text\n${marker}`)).toEqual({ id: 'abc', fp: '123' });
  });

  it('accepts only the exact format', () => {
    for (const line of [
      '<!-- cf-insights:v2 id=a fp=b -->',
      '<!-- cf-insights:v1 id=a -->',
      '<!--cf-insights:v1 id=a fp=b -->',
      '<!-- cf-insights:v1 id=a fp=b  -->',
      '<!-- cf-insights:v1 id=a fp=b --> trailing',
      'text <!-- cf-insights:v1 id=a fp=b -->',
      '    <!-- cf-insights:v1 id=a fp=b -->',
      '<!-- cf-insights:v1 id=a b fp=c -->',
      '<!-- cf-insights:v1 id= fp=c -->',
      '<!-- cf-insights:v1 id=a fp=b c -->',
      '<!-- CF-INSIGHTS:v1 id=a fp=b -->',
      '<!-- cf-insights:v1 id=a&b fp=c -->',
      '`<!-- cf-insights:v1 id=a fp=b -->`',
      '<!-- cf-insights\u200b:v1 id=a fp=b -->',
    ]) {
      expect(parseMarker(`body\n${line}`), line).toBeNull();
    }
  });

  it('rejects broken or non-canonical percent-encoding', () => {
    expect(parseMarker('<!-- cf-insights:v1 id=%E0%A4 fp=b -->')).toBeNull();
    expect(parseMarker('<!-- cf-insights:v1 id=%61 fp=b -->')).toBeNull(); // "a" must be written as a
    expect(parseMarker('<!-- cf-insights:v1 id=%2 fp=b -->')).toBeNull();
  });

  it('returns null for empty or missing bodies', () => {
    expect(parseMarker('')).toBeNull();
    expect(parseMarker(null)).toBeNull();
    expect(parseMarker(undefined)).toBeNull();
    expect(parseMarker('\n \n')).toBeNull();
  });

  it('round-trips any id and fingerprint, and the line stays one safe line', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), fc.string({ minLength: 1, unit: 'binary' }), (id, fp) => {
        const line = renderMarker({ id, fp });
        expect(line).toMatch(/^<!-- cf-insights:v1 id=[A-Za-z0-9._:~%-]+ fp=[A-Za-z0-9._:~%-]+ -->$/);
        expect(parseMarker(`anything\n${line}\n`)).toEqual({ id: wellFormed(id), fp: wellFormed(fp) });
      }),
      { numRuns: 300 },
    );
  });
});

describe('scopeIdsIn', () => {
  const account = '0123456789abcdef0123456789abcdef';
  const zone = 'fedcba9876543210fedcba9876543210';

  it('finds each account and zone id a body names once, in lower case', () => {
    const body = `| Scope | \`accounts/${account}\` |\n[Open](https://dash.cloudflare.com/${account.toUpperCase()}/security-center) zone ${zone}.`;
    expect(scopeIdsIn(body)).toEqual([account, zone]);
  });

  it('takes no id out of a longer hex run (a 64-digit fingerprint) and reads nothing from an empty body', () => {
    expect(scopeIdsIn(`<!-- cf-insights:v1 id=a fp=${account}${zone} -->`)).toEqual([]);
    expect(scopeIdsIn(`x${account}1`)).toEqual([]);
    expect(scopeIdsIn('')).toEqual([]);
    expect(scopeIdsIn(null)).toEqual([]);
  });
});
