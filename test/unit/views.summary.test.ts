import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderJobSummary } from '../../src/views/summary.js';
import { NOW, settings, syncResult } from '../support/triage.js';

describe('the job summary', () => {
  beforeEach(() => vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com'));
  afterEach(() => vi.unstubAllEnvs());

  it('names breaching insights in words with their issue links, not class ids', () => {
    const text = renderJobSummary(syncResult(), settings(), undefined, new Date(NOW));
    expect(text).toContain('- [#12](https://github.com/acme/security/issues/12) MySQL port exposed: 198.51.100.17 (Critical, first detected 45 days ago)');
    expect(text).toContain('- [#13](https://github.com/acme/security/issues/13) Dangling DNS record: dev.example.com (High, first detected 7 days ago)');
    expect(text).not.toMatch(/mysql_port_exposed|dangling_dns_record/);
  });

  it('shows each severity once per row', () => {
    const text = renderJobSummary(syncResult(), settings(), undefined, new Date(NOW));
    expect(text).toContain('| Critical | MySQL port exposed: 198.51.100.17 | created | [#12](https://github.com/acme/security/issues/12) |');
    expect(text).not.toMatch(/\\\[(Critical|High|Moderate|Low)\\\]/);
  });

  it("a resolved row after a lost cache shows the issue's title", () => {
    const text = renderJobSummary(syncResult(), settings(), undefined, new Date(NOW));
    expect(text).toContain('| Low | Always use HTTPS disabled: old.example.com | resolved | [#5](https://github.com/acme/security/issues/5) |');
  });
});
