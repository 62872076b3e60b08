import { z } from 'zod';
import { PLANS, PLAN_BUDGET, type Plan } from '../budget/plans.js';
import { SettingsError } from '../errors.js';
import { ISSUE_TYPES, SEVERITIES, type InsightFilters, type Scope, type Severity } from '../insights/types.js';
import { canonicalSeverity } from '../insights/severity.js';
import { checkCron } from './cron.js';

export const MAX_BUDGET = 100_000;
export const DEFAULT_API_BASE_URL = 'https://api.cloudflare.com/client/v4';
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_LABELS = ['cloudflare-insight'];
export const DEFAULT_MAX_ISSUE_WRITES = 50;

export type CloudflareAuth = { kind: 'token'; token: string } | { kind: 'key'; email: string; key: string };

export interface CloudflareSettings {
  scope: Scope;
  auth: CloudflareAuth;
  apiBaseUrl: string;
}

export interface GithubSettings {
  token: string;
  owner: string;
  repo: string;
  apiUrl: string;
  labels: string[];
  assignees: string[];
  groupBy: 'insight' | 'class';
  closeResolved: boolean;
  maxIssueWrites: number;
  dryRun: boolean;
}

export interface Settings {
  /** Absent when the inventory comes from a file (no request is made). */
  cloudflare?: CloudflareSettings;
  /** The scope even without credentials (from-file runs may still name one). */
  scope?: Scope;
  filters: InsightFilters;
  cron?: string;
  plan: Plan;
  budget: number;
  failOn: Severity | 'none';
  failOnScope: 'open' | 'new';
  stateKey?: string;
  /** Present only when the run syncs issues. */
  github?: GithubSettings;
}

/**
 * Raw settings by their names (docs/architecture.md, "Settings": `account-id`, `severity`, ...), as strings,
 * whatever their source: action inputs, CLI flags, environment, a config file.
 * Empty strings count as unset, as with action inputs.
 */
export type RawSettings = Partial<Record<SettingName, string | undefined>>;

export const SETTING_NAMES = [
  'account-id',
  'zone-id',
  'api-token',
  'api-email',
  'api-key',
  'cron',
  'severity',
  'exclude-severity',
  'issue-type',
  'exclude-issue-type',
  'include-dismissed',
  'plan',
  'monthly-request-budget',
  'fail-on-severity',
  'fail-on-scope',
  'api-base-url',
  'github-token',
  'repository',
  'github-api-url',
  'labels',
  'assignees',
  'group-by',
  'close-resolved',
  'max-issue-writes',
  'dry-run',
  'state-key',
] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

export interface ParseNeeds {
  /** The run talks to Cloudflare: scope and credentials are required. */
  cloudflare: boolean;
  /** The run syncs GitHub issues: repository and token are required. */
  github: boolean;
  /** Accept a six-field cron with seconds (the CLI's watch mode). */
  cronSeconds?: boolean;
  /** A dry run may plan without a GitHub token (against the saved state only). */
  githubTokenOptional?: boolean;
}

const HEX32 = /^[0-9a-f]{32}$/i;
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const STATE_KEY = /^[A-Za-z0-9._-]{1,200}$/;
const CONTROL = /[\u0000-\u001f\u007f\s]/;

/** Shows a value in an error safely: quoted, control characters escaped, cut. */
export function showValue(value: string): string {
  const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  return shown;
}

function invalid(setting: string, value: string, accepted: string): never {
  throw new SettingsError(setting, `Invalid ${setting} ${showValue(value)}: ${accepted}.`);
}

/** Comma- or newline-separated list; blanks dropped. */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function present(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

function parseSeverities(setting: string, value: string | undefined): Severity[] {
  const out: Severity[] = [];
  for (const item of splitList(value)) {
    const s = canonicalSeverity(item);
    if (!s) invalid(setting, item, `accepted severities are ${SEVERITIES.map((x) => x.toLowerCase()).join(', ')}`);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

function parseIssueTypes(setting: string, value: string | undefined): string[] {
  const out: string[] = [];
  for (const item of splitList(value)) {
    const t = item.toLowerCase().replace(/-/g, '_');
    if (!(ISSUE_TYPES as readonly string[]).includes(t)) {
      invalid(setting, item, `accepted issue types are ${ISSUE_TYPES.join(', ')}`);
    }
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** YAML 1.2 core booleans, like `core.getBooleanInput`. */
function parseBoolean(setting: string, value: string | undefined, fallback: boolean): boolean {
  const v = present(value);
  if (v === undefined) return fallback;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  invalid(setting, v, 'use true or false');
}

function parseInteger(setting: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) invalid(setting, value, `use a whole number from ${min} to ${max}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) invalid(setting, value, `use a whole number from ${min} to ${max}`);
  return n;
}

function parseEnum<T extends string>(setting: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  const v = present(value);
  if (v === undefined) return fallback;
  const found = allowed.find((a) => a === v.toLowerCase());
  if (!found) invalid(setting, v, `use one of ${allowed.join(', ')}`);
  return found;
}

/** A URL as it may be shown: whatever stands before an `@` of the authority (user, password) is hidden. */
function withoutCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/*)?[^/?#]*@/i, '$1***@');
}

function parseHttpsUrl(setting: string, raw: string): string {
  const value = withoutCredentials(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    invalid(setting, value, 'use an absolute URL such as https://api.cloudflare.com/client/v4');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    invalid(setting, value, 'use an https:// URL (plain http is accepted only for 127.0.0.1 and localhost, so the token never travels in clear)');
  }
  if (url.username || url.password || url.search || url.hash) {
    invalid(setting, value, 'use a URL without credentials, query or fragment');
  }
  return url.toString().replace(/\/+$/, '');
}

function parseSecret(setting: string, value: string): string {
  if (CONTROL.test(value)) {
    // Never echo a secret, not even a malformed one.
    throw new SettingsError(setting, `Invalid ${setting}: it contains spaces or control characters; paste the value alone, without quotes or a trailing newline.`);
  }
  return value;
}

function parseScope(raw: RawSettings, required: boolean): Scope | undefined {
  const account = present(raw['account-id']);
  const zone = present(raw['zone-id']);
  if (account && zone) {
    throw new SettingsError('account-id', 'Set either account-id or zone-id, not both: a run covers one account or one zone.');
  }
  if (!account && !zone) {
    if (!required) return undefined;
    throw new SettingsError('account-id', 'Account ID is required: set account-id (CLOUDFLARE_ACCOUNT_ID), or zone-id for one zone\'s insights.');
  }
  const setting = account ? 'account-id' : 'zone-id';
  const id = (account ?? zone)!;
  if (!HEX32.test(id)) invalid(setting, id, 'it must be 32 hexadecimal characters (Cloudflare dashboard > Overview > API)');
  return { kind: account ? 'accounts' : 'zones', id: id.toLowerCase() };
}

function parseAuth(raw: RawSettings): CloudflareAuth {
  const token = present(raw['api-token']);
  const email = present(raw['api-email']);
  const key = present(raw['api-key']);
  if (token && (email || key)) {
    throw new SettingsError('api-token', 'Set either api-token or the legacy api-email + api-key pair, not both; an API token is recommended.');
  }
  if (token) return { kind: 'token', token: parseSecret('api-token', token) };
  if (email && key) {
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) invalid('api-email', email, 'use the email address of the Cloudflare user');
    return { kind: 'key', email, key: parseSecret('api-key', key) };
  }
  if (email || key) {
    throw new SettingsError(email ? 'api-key' : 'api-email', 'The legacy key needs both api-email and api-key; or set api-token instead (recommended).');
  }
  throw new SettingsError('api-token', 'An API token is required: set api-token (CLOUDFLARE_API_TOKEN) to a token with Account:Read and Security Center:Read.');
}

function parseGithub(raw: RawSettings, tokenOptional: boolean): GithubSettings {
  const repository = present(raw['repository']);
  if (!repository) throw new SettingsError('repository', 'A repository is required: set repository to owner/name.');
  if (!REPOSITORY.test(repository) || repository.includes('..') || repository.endsWith('/.')) {
    invalid('repository', repository, 'use owner/name (letters, digits, `-` in the owner; also `.` and `_` in the name, which cannot be `.` or `..`)');
  }
  const token = present(raw['github-token']);
  if (!token && !tokenOptional) throw new SettingsError('github-token', 'A GitHub token is required: set github-token (GITHUB_TOKEN or GH_TOKEN) to a token that can write issues.');
  const [owner, repo] = repository.split('/') as [string, string];
  const labels = splitList(raw['labels']);
  for (const label of labels) {
    if (label.length > 50) invalid('labels', label, 'labels are at most 50 characters');
  }
  const assignees = splitList(raw['assignees']).map((a) => a.replace(/^@/, ''));
  for (const a of assignees) if (!LOGIN.test(a)) invalid('assignees', a, 'use GitHub logins');
  const maxWrites = present(raw['max-issue-writes']);
  return {
    token: token ? parseSecret('github-token', token) : '',
    owner,
    repo,
    apiUrl: parseHttpsUrl('github-api-url', present(raw['github-api-url']) ?? DEFAULT_GITHUB_API_URL),
    labels: labels.length > 0 ? labels : [...DEFAULT_LABELS],
    assignees,
    groupBy: parseEnum('group-by', raw['group-by'], ['insight', 'class'] as const, 'insight'),
    closeResolved: parseBoolean('close-resolved', raw['close-resolved'], true),
    maxIssueWrites: maxWrites === undefined ? DEFAULT_MAX_ISSUE_WRITES : parseInteger('max-issue-writes', maxWrites, 1, 1000),
    dryRun: parseBoolean('dry-run', raw['dry-run'], false),
  };
}

/** zod schema of the raw settings: every value a string or absent, no unknown names. */
export const rawSettingsSchema = z
  .object(Object.fromEntries(SETTING_NAMES.map((n) => [n, z.string().optional()])) as Record<SettingName, z.ZodOptional<z.ZodString>>)
  .strict();

/**
 * Parses and validates settings. Throws a SettingsError with one line naming the
 * setting, the value and what is accepted; nothing here makes a request.
 */
export function parseSettings(input: RawSettings, needs: ParseNeeds): Settings {
  const checked = rawSettingsSchema.safeParse(input);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
    throw new SettingsError(keys, `Unknown setting ${keys}: accepted settings are ${SETTING_NAMES.join(', ')}.`);
  }
  const raw = checked.data as RawSettings;

  const scope = parseScope(raw, needs.cloudflare);
  const cloudflare: CloudflareSettings | undefined = needs.cloudflare
    ? {
        scope: scope!,
        auth: parseAuth(raw),
        apiBaseUrl: parseHttpsUrl('api-base-url', present(raw['api-base-url']) ?? DEFAULT_API_BASE_URL),
      }
    : undefined;

  const filters: InsightFilters = {
    severity: parseSeverities('severity', raw['severity']),
    excludeSeverity: parseSeverities('exclude-severity', raw['exclude-severity']),
    issueType: parseIssueTypes('issue-type', raw['issue-type']),
    excludeIssueType: parseIssueTypes('exclude-issue-type', raw['exclude-issue-type']),
    includeDismissed: parseBoolean('include-dismissed', raw['include-dismissed'], false),
  };

  const cron = present(raw['cron']);
  if (cron !== undefined) {
    const check = checkCron(cron, { allowSeconds: needs.cronSeconds });
    if (!check.ok) invalid('cron', cron, `${check.reason}; for example "0 6 * * *" runs daily at 06:00 UTC`);
  }

  const plan = parseEnum('plan', raw['plan'], PLANS, 'free');
  const budgetRaw = present(raw['monthly-request-budget']);
  const budget = budgetRaw === undefined ? PLAN_BUDGET[plan] : parseInteger('monthly-request-budget', budgetRaw, 1, MAX_BUDGET);

  const failOnRaw = present(raw['fail-on-severity']) ?? 'critical';
  let failOn: Severity | 'none';
  if (failOnRaw.toLowerCase() === 'none') failOn = 'none';
  else {
    const s = canonicalSeverity(failOnRaw);
    if (!s) invalid('fail-on-severity', failOnRaw, `use none, ${SEVERITIES.map((x) => x.toLowerCase()).join(', ')}`);
    failOn = s;
  }

  const stateKey = present(raw['state-key']);
  if (stateKey !== undefined && (!STATE_KEY.test(stateKey) || stateKey === '.' || stateKey === '..')) {
    invalid('state-key', stateKey, 'use letters, digits, dots, dashes and underscores (at most 200), not `.` or `..`: it names a file');
  }

  return {
    cloudflare,
    scope,
    filters,
    cron,
    plan,
    budget,
    failOn,
    failOnScope: parseEnum('fail-on-scope', raw['fail-on-scope'], ['open', 'new'] as const, 'open'),
    stateKey,
    github: needs.github ? parseGithub(raw, needs.githubTokenOptional === true) : undefined,
  };
}

/** The secrets among the raw settings, to be masked before anything is logged. */
export function secretsOf(raw: RawSettings): string[] {
  return [raw['api-token'], raw['api-key'], raw['github-token']]
    .map((v) => v?.trim())
    .filter((v): v is string => !!v && v.length > 0);
}
