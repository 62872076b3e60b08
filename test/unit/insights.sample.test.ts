/** The bundled sample inventory (`npm run demo`, the golden files) stays realistic and safe to publish. */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ISSUE_TYPES, PUBLISHED_SEVERITIES } from '../../src/insights/types.js';
import { parseInventoryFile } from '../../src/report/inventory-file.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const text = readFileSync(join(root, 'samples', 'inventory.json'), 'utf8');
const sample = parseInventoryFile(text, 'samples/inventory.json');
const raw = JSON.parse(text) as { count: number; insights: Record<string, unknown>[] };

// RFC 5737 and RFC 3849 documentation ranges, RFC 2606 example domains.
const DOC_IPV4 = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/;
const DOC_IPV6 = /^2001:db8:/i;
const EXAMPLE_HOST = /(^|\.)example\.(com|net|org)$/;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

describe('samples/inventory.json', () => {
  it('is a complete account inventory in the json report format, with a plausible account id', () => {
    expect(sample.shape).toBe('inventory');
    expect(sample.scope?.kind).toBe('accounts');
    expect(sample.scope?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(sample.complete).toBe(true);
    expect(raw.count).toBe(sample.insights.length);
    expect(sample.insights.length).toBeGreaterThanOrEqual(20);
    expect(sample.insights.length).toBeLessThanOrEqual(40);
  });

  it('has every published severity and every issue type, and nothing else', () => {
    expect(new Set(sample.insights.map((i) => i.severity))).toEqual(new Set(PUBLISHED_SEVERITIES));
    expect(new Set(sample.insights.map((i) => i.issue_type))).toEqual(new Set(ISSUE_TYPES));
  });

  it('covers the classes the README and demo talk about', () => {
    const classes = new Set(sample.insights.map((i) => i.issue_class));
    for (const c of [
      'cname_record_dangling',
      'a_record_dangling',
      'a_record_unproxied',
      'aaaa_record_unproxied',
      'rdp_port_exposed',
      'ssh_port_exposed',
      'mysql_port_exposed',
      'postgresql_port_exposed',
      'redis_port_exposed',
      'mongodb_port_exposed',
      'dmarc_record_missing',
      'dmarc_policy_none',
      'spf_record_missing',
      'dkim_record_missing',
      'users_without_mfa',
      'super_admin_without_mfa',
      'hsts_not_enabled',
      'always_use_https_not_enabled',
      'min_tls_version_1_0',
      'tls_1_3_not_enabled',
      'waf_managed_rules_not_enabled',
      'bot_fight_mode_not_enabled',
      'dnssec_not_enabled',
      'caa_record_missing',
      'ssl_mode_flexible',
    ]) {
      expect(classes, c).toContain(c);
    }
    expect(sample.insights.some((i) => i.issue_type === 'compliance_violation')).toBe(true);
  });

  it('has dismissed insights and the newer fields the API adds', () => {
    expect(sample.insights.filter((i) => i.dismissed).length).toBeGreaterThanOrEqual(1);
    expect(sample.insights.filter((i) => !i.dismissed).length).toBeGreaterThan(sample.insights.length / 2);
    for (const field of ['status', 'user_classification', 'has_extended_context']) {
      expect(
        sample.insights.some((i) => field in i),
        field,
      ).toBe(true);
    }
  });

  it('ids are unique and uuid-like', () => {
    const ids = sample.insights.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('dates are ISO 8601 in 2026, first seen before last scanned, last scan not after the fetch', () => {
    const fetched = Date.parse(sample.fetchedAt!);
    for (const i of sample.insights) {
      for (const d of [i.since, i.timestamp]) expect(d).toMatch(/^2026-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(i.since!)).toBeLessThan(Date.parse(i.timestamp!));
      expect(Date.parse(i.timestamp!)).toBeLessThanOrEqual(fetched);
    }
  });

  it('resolve links go to the account in the Cloudflare dashboard', () => {
    for (const i of sample.insights) {
      expect(i.resolve_link).toMatch(new RegExp(`^https://dash\\.cloudflare\\.com/${sample.scope!.id}/`));
      expect(i.resolve_text).toBeTruthy();
    }
  });

  it('uses only documentation addresses and example domains', () => {
    for (const value of strings(raw.insights)) {
      for (const token of value.split(/[\s,;"'()<>=]+/)) {
        const clean = token.replace(/[.:]+$/, '');
        if (isIP(clean) === 4) expect(clean, value).toMatch(DOC_IPV4);
        if (isIP(clean) === 6) expect(clean, value).toMatch(DOC_IPV6);
        const host = /^(?:https?:\/\/)?(?:[^@/]+@)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/:]|$)/i.exec(clean)?.[1];
        if (host && !/cloudflare\.com$/.test(host) && !/^_/.test(host)) expect(host, value).toMatch(EXAMPLE_HOST);
      }
    }
  });
});
