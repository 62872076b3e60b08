import { describe, expect, it } from 'vitest';
import { parseSettings, type RawSettings } from '../../src/config/settings.js';
import { SettingsError } from '../../src/errors.js';
import { checkCron } from '../../src/config/cron.js';
import { fitSchedule } from '../../src/config/schedule.js';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz0123456789';
const base: RawSettings = { 'account-id': ACCOUNT, 'api-token': TOKEN };
const gh: RawSettings = { repository: 'acme/security', 'github-token': 'ghs_secretsecretsecret' };

function error(raw: RawSettings, github = false): SettingsError {
  try {
    parseSettings(raw, { cloudflare: true, github });
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    return e as SettingsError;
  }
  throw new Error('expected a SettingsError');
}

describe('settings: valid input', () => {
  it('parses lists separated by commas or newlines, case-insensitively', () => {
    const s = parseSettings({ ...base, severity: 'HIGH,\ncritical', 'exclude-issue-type': 'Email_Security' }, { cloudflare: true, github: false });
    expect(s.filters.severity).toEqual(['High', 'Critical']);
    expect(s.filters.excludeIssueType).toEqual(['email_security']);
  });

  it('applies the documented defaults', () => {
    const s = parseSettings({ ...base, ...gh }, { cloudflare: true, github: true });
    expect(s.cloudflare?.scope).toEqual({ kind: 'accounts', id: ACCOUNT });
    expect(s.cloudflare?.apiBaseUrl).toBe('https://api.cloudflare.com/client/v4');
    expect(s.budget).toBe(100);
    expect(s.failOn).toBe('Critical');
    expect(s.failOnScope).toBe('open');
    expect(s.filters.includeDismissed).toBe(false);
    expect(s.github).toMatchObject({
      owner: 'acme',
      repo: 'security',
      labels: ['cloudflare-insight'],
      groupBy: 'insight',
      closeResolved: true,
      maxIssueWrites: 50,
      dryRun: false,
    });
  });

  it('gives enterprise 2,500 requests and honours an explicit budget', () => {
    expect(parseSettings({ ...base, plan: 'Enterprise' }, { cloudflare: true, github: false }).budget).toBe(2500);
    expect(parseSettings({ ...base, 'monthly-request-budget': '40' }, { cloudflare: true, github: false }).budget).toBe(40);
  });

  it('accepts a zone instead of an account, and the legacy key pair', () => {
    const s = parseSettings(
      { 'zone-id': ACCOUNT.toUpperCase(), 'api-email': 'me@example.com', 'api-key': 'k'.repeat(37) },
      { cloudflare: true, github: false },
    );
    expect(s.cloudflare?.scope).toEqual({ kind: 'zones', id: ACCOUNT });
    expect(s.cloudflare?.auth.kind).toBe('key');
  });

  it('accepts http only for loopback', () => {
    expect(parseSettings({ ...base, 'api-base-url': 'http://127.0.0.1:8080/client/v4/' }, { cloudflare: true, github: false }).cloudflare?.apiBaseUrl).toBe(
      'http://127.0.0.1:8080/client/v4',
    );
  });
});

describe('settings: every bad input gives one line naming the setting', () => {
  const cases: [string, RawSettings, RegExp, string, boolean?][] = [
    ['missing account id', { 'api-token': TOKEN }, /^Account ID is required/, 'account-id'],
    ['short account id', { ...base, 'account-id': 'abc' }, /Invalid account-id "abc": it must be 32 hexadecimal characters/, 'account-id'],
    ['path in the account id', { ...base, 'account-id': '../../zones/0123456789abcdef0123456' }, /Invalid account-id/, 'account-id'],
    ['encoded path in the account id', { ...base, 'account-id': '0123456789abcdef0123456789abcd%2F' }, /Invalid account-id/, 'account-id'],
    ['query in the account id', { ...base, 'account-id': `${ACCOUNT}?page=2` }, /Invalid account-id/, 'account-id'],
    ['both account and zone', { ...base, 'zone-id': ACCOUNT }, /either account-id or zone-id/, 'account-id'],
    ['bad zone id', { 'zone-id': 'example.com', 'api-token': TOKEN }, /Invalid zone-id "example.com"/, 'zone-id'],
    ['no credentials', { 'account-id': ACCOUNT }, /An API token is required/, 'api-token'],
    ['token and key pair', { ...base, 'api-email': 'a@example.com', 'api-key': 'k'.repeat(37) }, /either api-token or the legacy/, 'api-token'],
    ['email without key', { 'account-id': ACCOUNT, 'api-email': 'a@example.com' }, /needs both api-email and api-key/, 'api-key'],
    ['token with a newline', { ...base, 'api-token': `${TOKEN}\nX-Evil: 1` }, /Invalid api-token: it contains spaces or control characters/, 'api-token'],
    ['unknown severity', { ...base, severity: 'high,urgent' }, /Invalid severity "urgent": accepted severities are low, moderate, high, critical/, 'severity'],
    ['unknown excluded severity', { ...base, 'exclude-severity': 'info' }, /Invalid exclude-severity "info"/, 'exclude-severity'],
    ['unknown issue type', { ...base, 'issue-type': 'malware' }, /Invalid issue-type "malware": accepted issue types are compliance_violation/, 'issue-type'],
    ['unknown excluded type', { ...base, 'exclude-issue-type': 'x' }, /Invalid exclude-issue-type "x"/, 'exclude-issue-type'],
    ['malformed cron', { ...base, cron: 'every day' }, /Invalid cron "every day"/, 'cron'],
    ['cron with seconds', { ...base, cron: '0 0 6 * * *' }, /Invalid cron "0 0 6 \* \* \*": it has 6 fields/, 'cron'],
    ['cron out of range', { ...base, cron: '61 * * * *' }, /Invalid cron "61 \* \* \* \*"/, 'cron'],
    ['cron with an extension GitHub lacks', { ...base, cron: '0 6 L * *' }, /Invalid cron/, 'cron'],
    [
      'negative budget',
      { ...base, 'monthly-request-budget': '-5' },
      /Invalid monthly-request-budget "-5": use a whole number from 1 to 100000/,
      'monthly-request-budget',
    ],
    ['huge budget', { ...base, 'monthly-request-budget': '99999999999' }, /Invalid monthly-request-budget/, 'monthly-request-budget'],
    ['zero budget', { ...base, 'monthly-request-budget': '0' }, /Invalid monthly-request-budget "0"/, 'monthly-request-budget'],
    ['fractional budget', { ...base, 'monthly-request-budget': '2.5' }, /Invalid monthly-request-budget/, 'monthly-request-budget'],
    ['unknown plan', { ...base, plan: 'gold' }, /Invalid plan "gold": use one of free, pro, business, enterprise/, 'plan'],
    ['unknown threshold', { ...base, 'fail-on-severity': 'severe' }, /Invalid fail-on-severity "severe": use none, low/, 'fail-on-severity'],
    ['unknown threshold scope', { ...base, 'fail-on-scope': 'all' }, /Invalid fail-on-scope "all"/, 'fail-on-scope'],
    ['bad boolean', { ...base, 'include-dismissed': 'yes' }, /Invalid include-dismissed "yes": use true or false/, 'include-dismissed'],
    ['plain http to a remote API', { ...base, 'api-base-url': 'http://api.example.com/client/v4' }, /Invalid api-base-url .*https:\/\//, 'api-base-url'],
    ['API URL with credentials', { ...base, 'api-base-url': 'https://u:p@api.example.com/' }, /Invalid api-base-url/, 'api-base-url'],
    ['not a URL', { ...base, 'api-base-url': 'api.cloudflare.com' }, /Invalid api-base-url/, 'api-base-url'],
    ['bad state key', { ...base, 'state-key': 'a b' }, /Invalid state-key "a b"/, 'state-key'],
    ['missing repository', { ...base, 'github-token': 'x'.repeat(20) }, /A repository is required/, 'repository', true],
    ['bad repository', { ...base, ...gh, repository: 'acme/../../x' }, /Invalid repository/, 'repository', true],
    ['missing GitHub token', { ...base, repository: 'acme/sec' }, /A GitHub token is required/, 'github-token', true],
    ['unknown group-by', { ...base, ...gh, 'group-by': 'type' }, /Invalid group-by "type": use one of insight, class/, 'group-by', true],
    ['zero write cap', { ...base, ...gh, 'max-issue-writes': '0' }, /Invalid max-issue-writes "0"/, 'max-issue-writes', true],
    ['bad assignee', { ...base, ...gh, assignees: 'not a login' }, /Invalid assignees "not a login"/, 'assignees', true],
    ['long label', { ...base, ...gh, labels: 'x'.repeat(51) }, /Invalid labels/, 'labels', true],
  ];
  for (const [name, raw, message, setting, github] of cases) {
    it(name, () => {
      const e = error(raw, github);
      expect(e.message).toMatch(message);
      expect(e.setting).toBe(setting);
      expect(e.exitCode).toBe(2);
      expect(e.message).not.toContain('\n');
      expect(e.message).not.toContain(TOKEN);
    });
  }

  it('never echoes a secret, even a malformed one', () => {
    const e = error({ ...base, 'api-token': 'secret value with spaces' });
    expect(e.message).not.toContain('secret value');
  });
});

describe('cron in the GitHub Actions dialect', () => {
  it.each(['0 6 * * *', '*/15 * * * *', '0 0 1 jan,jul *', '30 5 * * mon-fri', '0 */8 * * *'])('accepts %s', (expr) => {
    expect(checkCron(expr)).toEqual({ ok: true });
  });
  it.each(['* * * *', '0 6 * * * *', '0 25 * * *', '0 6 ? * *', '0 6 * * MON#2', '@daily', '0 6 * * funday'])('rejects %s', (expr) => {
    expect(checkCron(expr).ok).toBe(false);
  });
  it('accepts seconds only where asked (watch mode)', () => {
    expect(checkCron('*/2 * * * * *', { allowSeconds: true })).toEqual({ ok: true });
  });
});

describe('schedule fit', () => {
  const cases: [string, number, number, boolean, string | null][] = [
    ['0 * * * *', 100, 744, false, '0 */8 * * *'],
    ['0 */8 * * *', 100, 93, true, '0 */8 * * *'],
    ['0 6 * * *', 100, 31, true, '0 */8 * * *'],
    ['0 * * * *', 2500, 744, true, '0 * * * *'],
    ['*/15 * * * *', 2500, 2976, false, '0 * * * *'],
  ];
  it.each(cases)('%s on a budget of %i: %i requests, fits=%s, densest that fits %s', (cron, budget, projected, fits, advice) => {
    const fit = fitSchedule(cron, budget, 10);
    expect(fit.projected).toBe(projected);
    expect(fit.fits).toBe(fits);
    expect(fit.densestFit?.cron ?? null).toBe(advice);
  });
  it('projects from the inventory size: 2,500 insights cost 3 requests a run', () => {
    const fit = fitSchedule('0 6 * * *', 100, 2500);
    expect(fit.requestsPerRun).toBe(3);
    expect(fit.projected).toBe(93);
  });
});
