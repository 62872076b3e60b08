/**
 * Every bad input fails before any request, as a runner runs the action (see
 * action.run.test.ts): exit code 1, one `::error::` line naming the setting, no output,
 * and none of the three fakes sees a request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ACCOUNT_ID, FAKE_EMAIL, FAKE_KEY, FAKE_TOKEN } from '../fakes/cloudflare.js';
import { SAMPLE, startActionWorld, type ActionWorld } from '../support/action-runner.js';

const RUN_TIMEOUT = 90_000;
const { critical } = SAMPLE;

interface BadInput {
  name: string;
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  setting: string;
}

const LONG_LABEL = 'x'.repeat(51);
const BAD_INPUTS: BadInput[] = [
  { name: 'account id that is not 32 hex characters', inputs: { 'account-id': 'not-an-account' }, setting: 'account-id' },
  { name: 'account id with a path trick', inputs: { 'account-id': `../../zones/${FAKE_ACCOUNT_ID}` }, setting: 'account-id' },
  { name: 'account id with a trailing path', inputs: { 'account-id': `${FAKE_ACCOUNT_ID}/../../user` }, setting: 'account-id' },
  { name: 'account id with a query', inputs: { 'account-id': `${FAKE_ACCOUNT_ID}?per_page=1` }, setting: 'account-id' },
  { name: 'zone id that is not hex', inputs: { 'account-id': '', 'zone-id': 'example.com' }, setting: 'zone-id' },
  { name: 'both account and zone', inputs: { 'zone-id': 'fedcba9876543210fedcba9876543210' }, setting: 'zone-id' },
  { name: 'neither account nor zone', inputs: { 'account-id': '' }, setting: 'account-id' },
  { name: 'token with a space', inputs: { 'api-token': 'abc def' }, setting: 'api-token' },
  { name: 'token with a newline', inputs: { 'api-token': 'abc\ndef' }, setting: 'api-token' },
  { name: 'both token and key pair', inputs: { 'api-email': FAKE_EMAIL, 'api-key': FAKE_KEY }, setting: 'api-token' },
  { name: 'neither token nor key', inputs: { 'api-token': '' }, setting: 'api-token' },
  { name: 'email without key', inputs: { 'api-token': '', 'api-email': FAKE_EMAIL }, setting: 'api-key' },
  { name: 'key without email', inputs: { 'api-token': '', 'api-key': FAKE_KEY }, setting: 'api-email' },
  { name: 'malformed email', inputs: { 'api-token': '', 'api-email': 'secops', 'api-key': FAKE_KEY }, setting: 'api-email' },
  { name: 'unknown severity', inputs: { severity: 'high,urgent' }, setting: 'severity' },
  { name: 'unknown excluded severity', inputs: { 'exclude-severity': 'info' }, setting: 'exclude-severity' },
  { name: 'unknown issue type', inputs: { 'issue-type': 'phishing' }, setting: 'issue-type' },
  { name: 'unknown excluded issue type', inputs: { 'exclude-issue-type': 'malware' }, setting: 'exclude-issue-type' },
  { name: 'include-dismissed not a boolean', inputs: { 'include-dismissed': 'yes' }, setting: 'include-dismissed' },
  { name: 'unknown plan', inputs: { plan: 'gold' }, setting: 'plan' },
  { name: 'negative budget', inputs: { 'monthly-request-budget': '-5' }, setting: 'monthly-request-budget' },
  { name: 'zero budget', inputs: { 'monthly-request-budget': '0' }, setting: 'monthly-request-budget' },
  { name: 'huge budget', inputs: { 'monthly-request-budget': '99999999999' }, setting: 'monthly-request-budget' },
  { name: 'budget in exponent form', inputs: { 'monthly-request-budget': '1e3' }, setting: 'monthly-request-budget' },
  { name: 'unknown threshold', inputs: { 'fail-on-severity': 'severe' }, setting: 'fail-on-severity' },
  { name: 'unknown threshold scope', inputs: { 'fail-on-scope': 'all' }, setting: 'fail-on-scope' },
  { name: 'cron with a minute out of range', inputs: { cron: '61 * * * *' }, setting: 'cron' },
  { name: 'cron with four fields', inputs: { cron: '0 6 * *' }, setting: 'cron' },
  { name: 'cron nickname GitHub does not run', inputs: { cron: '@daily' }, setting: 'cron' },
  { name: 'plain http API base URL', inputs: { 'api-base-url': 'http://api.example.com/client/v4' }, setting: 'api-base-url' },
  { name: 'API base URL with credentials', inputs: { 'api-base-url': 'https://user:pass@api.example.com/client/v4' }, setting: 'api-base-url' },
  { name: 'API base URL that is not a URL', inputs: { 'api-base-url': 'api.cloudflare.com' }, setting: 'api-base-url' },
  { name: 'CLOUDFLARE_API_BASE_URL over plain http', env: { CLOUDFLARE_API_BASE_URL: 'http://proxy.example.com/client/v4' }, setting: 'api-base-url' },
  { name: 'repository without owner', inputs: { repository: 'security' }, setting: 'repository' },
  { name: 'repository with a path trick', inputs: { repository: 'acme/../other' }, setting: 'repository' },
  { name: 'repository with three parts', inputs: { repository: 'acme/security/issues' }, setting: 'repository' },
  { name: 'no GitHub token', inputs: { 'github-token': '' }, setting: 'github-token' },
  { name: 'label over 50 characters', inputs: { labels: `security,${LONG_LABEL}` }, setting: 'labels' },
  { name: 'assignee that is not a login', inputs: { assignees: 'octocat,not a login' }, setting: 'assignees' },
  { name: 'unknown grouping', inputs: { 'group-by': 'repository' }, setting: 'group-by' },
  { name: 'close-resolved not a boolean', inputs: { 'close-resolved': 'maybe' }, setting: 'close-resolved' },
  { name: 'zero write cap', inputs: { 'max-issue-writes': '0' }, setting: 'max-issue-writes' },
  { name: 'negative write cap', inputs: { 'max-issue-writes': '-1' }, setting: 'max-issue-writes' },
  { name: 'dry-run not a boolean', inputs: { 'dry-run': 'perhaps' }, setting: 'dry-run' },
  { name: 'state key with a slash', inputs: { 'state-key': 'cf/insights' }, setting: 'state-key' },
];

describe('bad inputs fail before any request', () => {
  let world: ActionWorld;
  beforeAll(async () => {
    world = await startActionWorld({ insights: [critical] });
  });
  afterAll(async () => {
    await world?.close();
  });

  it.concurrent.each(BAD_INPUTS)(
    '$name',
    async ({ inputs, env, setting }) => {
      const run = await world.run({ ...(inputs ? { inputs } : {}), ...(env ? { env } : {}), freshTemp: false, timeoutMs: 30_000 });
      expect(run.code).toBe(1);
      const problems = run.commands.filter((c) => c.command === 'error' || c.command === 'warning');
      expect(problems.map((p) => p.line)).toHaveLength(1);
      const [failure] = problems;
      expect(failure!.command).toBe('error');
      expect(failure!.properties).toEqual({});
      expect(failure!.message).not.toContain('\n');
      expect(failure!.message).toContain(setting);
      expect(run.stderr).toBe('');
      expect(run.outputs).toEqual({});
      for (const secret of [FAKE_TOKEN, FAKE_KEY, world.gh.token, 'abc def', 'abc\ndef']) {
        expect(failure!.message.includes(secret)).toBe(false);
      }
      // No fake has seen a request from any of these runs.
      expect(world.cf.requests).toEqual([]);
      expect(world.gh.requests).toEqual([]);
      expect(world.cache.requests).toEqual([]);
    },
    60_000,
  );

  it(
    'control: the same world with valid inputs does reach the services',
    async () => {
      // After the table (concurrent tests finish before the next one starts): the only run here that may make requests.
      const run = await world.run({ inputs: { 'dry-run': 'true' } });
      expect(run.commands.filter((c) => c.command === 'error' && !('title' in c.properties))).toHaveLength(1);
      expect(world.cf.requests).toHaveLength(1);
      expect(world.gh.requests.length).toBeGreaterThan(0);
      expect(world.cache.requests.length).toBeGreaterThan(0);
    },
    RUN_TIMEOUT,
  );
});
