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
// biome-ignore lint/suspicious/noControlCharactersInRegex: a setting value must not contain control characters.
const CONTROL = /[\u0000-\u001f\u007f\s]/;

/** Shows a value in an error safely: quoted, control characters escaped, cut. */
export function showValue(value: string): string {
  const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  return shown;
}

/**
 * How a setting is named in a message: the action's input name by default; the CLI
 * passes its own (`--budget` for monthly-request-budget, `CLOUDFLARE_API_TOKEN`).
 */
export type SettingNamer = (setting: SettingName) => string;
const inputName: SettingNamer = (setting) => setting;

function invalid(n: SettingNamer, setting: SettingName, value: string, accepted: string): never {
  throw new SettingsError(setting, `Invalid ${n(setting)} ${showValue(value)}: ${accepted}.`);
}

/** Comma- or newline-separated list; blanks dropped. */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `api-token (CLOUDFLARE_API_TOKEN)` for the action; the CLI's name alone when it is the variable. */
function withEnv(n: SettingNamer, setting: SettingName, env: string): string {
  const name = n(setting);
  return name === setting ? `${name} (${env})` : name;
}

function present(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

function parseSeverities(n: SettingNamer, setting: SettingName, value: string | undefined): Severity[] {
  const out: Severity[] = [];
  for (const item of splitList(value)) {
    const s = canonicalSeverity(item);
    if (!s) invalid(n, setting, item, `accepted severities are ${SEVERITIES.map((x) => x.toLowerCase()).join(', ')}`);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

function parseIssueTypes(n: SettingNamer, setting: SettingName, value: string | undefined): string[] {
  const out: string[] = [];
  for (const item of splitList(value)) {
    const t = item.toLowerCase().replace(/-/g, '_');
    if (!(ISSUE_TYPES as readonly string[]).includes(t)) {
      invalid(n, setting, item, `accepted issue types are ${ISSUE_TYPES.join(', ')}`);
    }
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** YAML 1.2 core booleans, like `core.getBooleanInput`. */
function parseBoolean(n: SettingNamer, setting: SettingName, value: string | undefined, fallback: boolean): boolean {
  const v = present(value);
  if (v === undefined) return fallback;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  invalid(n, setting, v, 'use true or false');
}

function parseInteger(n: SettingNamer, setting: SettingName, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) invalid(n, setting, value, `use a whole number from ${min} to ${max}`);
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min || number > max) invalid(n, setting, value, `use a whole number from ${min} to ${max}`);
  return number;
}

function parseEnum<T extends string>(n: SettingNamer, setting: SettingName, value: string | undefined, allowed: readonly T[], fallback: T): T {
  const v = present(value);
  if (v === undefined) return fallback;
  const found = allowed.find((a) => a === v.toLowerCase());
  if (!found) invalid(n, setting, v, `use one of ${allowed.join(', ')}`);
  return found;
}

/** A URL as it may be shown: whatever stands before an `@` of the authority (user, password) is hidden. */
function withoutCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/*)?[^/?#]*@/i, '$1***@');
}

function parseHttpsUrl(n: SettingNamer, setting: SettingName, raw: string): string {
  const value = withoutCredentials(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    invalid(n, setting, value, 'use an absolute URL such as https://api.cloudflare.com/client/v4');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    invalid(n, setting, value, 'use an https:// URL (plain http is accepted only for 127.0.0.1 and localhost, so the token never travels in clear)');
  }
  if (url.username || url.password || url.search || url.hash) {
    invalid(n, setting, value, 'use a URL without credentials, query or fragment');
  }
  return url.toString().replace(/\/+$/, '');
}

function parseSecret(n: SettingNamer, setting: SettingName, value: string): string {
  if (CONTROL.test(value)) {
    // Never echo a secret, not even a malformed one.
    throw new SettingsError(
      setting,
      `Invalid ${n(setting)}: it contains spaces or control characters; paste the value alone, without quotes or a trailing newline.`,
    );
  }
  return value;
}

function parseScope(n: SettingNamer, raw: RawSettings, required: boolean): Scope | undefined {
  const account = present(raw['account-id']);
  const zone = present(raw['zone-id']);
  if (account && zone) {
    throw new SettingsError('account-id', `Set either ${n('account-id')} or ${n('zone-id')}, not both: a run covers one account or one zone.`);
  }
  if (!account && !zone) {
    if (!required) return undefined;
    throw new SettingsError(
      'account-id',
      `Account ID is required: set ${n('account-id')} (CLOUDFLARE_ACCOUNT_ID), or ${n('zone-id')} for one zone's insights.`,
    );
  }
  const setting = account ? 'account-id' : 'zone-id';
  const id = (account ?? zone)!;
  if (!HEX32.test(id)) invalid(n, setting, id, 'it must be 32 hexadecimal characters (Cloudflare dashboard > Overview > API)');
  return { kind: account ? 'accounts' : 'zones', id: id.toLowerCase() };
}

function parseAuth(n: SettingNamer, raw: RawSettings): CloudflareAuth {
  const token = present(raw['api-token']);
  const email = present(raw['api-email']);
  const key = present(raw['api-key']);
  if (token && (email || key)) {
    throw new SettingsError(
      'api-token',
      `Set either ${n('api-token')} or the legacy ${n('api-email')} + ${n('api-key')} pair, not both; an API token is recommended.`,
    );
  }
  if (token) return { kind: 'token', token: parseSecret(n, 'api-token', token) };
  if (email && key) {
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) invalid(n, 'api-email', email, 'use the email address of the Cloudflare user');
    return { kind: 'key', email, key: parseSecret(n, 'api-key', key) };
  }
  if (email || key) {
    throw new SettingsError(
      email ? 'api-key' : 'api-email',
      `The legacy key needs both ${n('api-email')} and ${n('api-key')}; or set ${n('api-token')} instead (recommended).`,
    );
  }
  throw new SettingsError(
    'api-token',
    `An API token is required: set ${withEnv(n, 'api-token', 'CLOUDFLARE_API_TOKEN')} to a token with Account:Read and Security Center:Read.`,
  );
}

function parseGithub(n: SettingNamer, raw: RawSettings, tokenOptional: boolean): GithubSettings {
  const repository = present(raw['repository']);
  if (!repository) throw new SettingsError('repository', `A repository is required: set ${n('repository')} to owner/name.`);
  if (!REPOSITORY.test(repository) || repository.includes('..') || repository.endsWith('/.')) {
    invalid(n, 'repository', repository, 'use owner/name (letters, digits, `-` in the owner; also `.` and `_` in the name, which cannot be `.` or `..`)');
  }
  const token = present(raw['github-token']);
  if (!token && !tokenOptional)
    throw new SettingsError(
      'github-token',
      `A GitHub token is required: set ${withEnv(n, 'github-token', 'GH_TOKEN or GITHUB_TOKEN')} to a token that can write issues.`,
    );
  const [owner, repo] = repository.split('/') as [string, string];
  const labels = splitList(raw['labels']);
  for (const label of labels) {
    if (label.length > 50) invalid(n, 'labels', label, 'labels are at most 50 characters');
  }
  const assignees = splitList(raw['assignees']).map((a) => a.replace(/^@/, ''));
  for (const a of assignees) if (!LOGIN.test(a)) invalid(n, 'assignees', a, 'use GitHub logins');
  const maxWrites = present(raw['max-issue-writes']);
  return {
    token: token ? parseSecret(n, 'github-token', token) : '',
    owner,
    repo,
    apiUrl: parseHttpsUrl(n, 'github-api-url', present(raw['github-api-url']) ?? DEFAULT_GITHUB_API_URL),
    labels: labels.length > 0 ? labels : [...DEFAULT_LABELS],
    assignees,
    groupBy: parseEnum(n, 'group-by', raw['group-by'], ['insight', 'class'] as const, 'insight'),
    closeResolved: parseBoolean(n, 'close-resolved', raw['close-resolved'], true),
    maxIssueWrites: maxWrites === undefined ? DEFAULT_MAX_ISSUE_WRITES : parseInteger(n, 'max-issue-writes', maxWrites, 1, 1000),
    dryRun: parseBoolean(n, 'dry-run', raw['dry-run'], false),
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
export function parseSettings(input: RawSettings, needs: ParseNeeds, n: SettingNamer = inputName): Settings {
  const checked = rawSettingsSchema.safeParse(input);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
    throw new SettingsError(keys, `Unknown setting ${keys}: accepted settings are ${SETTING_NAMES.join(', ')}.`);
  }
  const raw = checked.data as RawSettings;

  const scope = parseScope(n, raw, needs.cloudflare);
  const cloudflare: CloudflareSettings | undefined = needs.cloudflare
    ? {
        scope: scope!,
        auth: parseAuth(n, raw),
        apiBaseUrl: parseHttpsUrl(n, 'api-base-url', present(raw['api-base-url']) ?? DEFAULT_API_BASE_URL),
      }
    : undefined;

  const filters: InsightFilters = {
    severity: parseSeverities(n, 'severity', raw['severity']),
    excludeSeverity: parseSeverities(n, 'exclude-severity', raw['exclude-severity']),
    issueType: parseIssueTypes(n, 'issue-type', raw['issue-type']),
    excludeIssueType: parseIssueTypes(n, 'exclude-issue-type', raw['exclude-issue-type']),
    includeDismissed: parseBoolean(n, 'include-dismissed', raw['include-dismissed'], false),
  };

  const cron = present(raw['cron']);
  if (cron !== undefined) {
    const check = checkCron(cron, { allowSeconds: needs.cronSeconds });
    if (!check.ok) invalid(n, 'cron', cron, `${check.reason}; for example "0 6 * * *" runs daily at 06:00 UTC`);
  }

  const plan = parseEnum(n, 'plan', raw['plan'], PLANS, 'free');
  const budgetRaw = present(raw['monthly-request-budget']);
  const budget = budgetRaw === undefined ? PLAN_BUDGET[plan] : parseInteger(n, 'monthly-request-budget', budgetRaw, 1, MAX_BUDGET);

  const failOnRaw = present(raw['fail-on-severity']) ?? 'critical';
  let failOn: Severity | 'none';
  if (failOnRaw.toLowerCase() === 'none') failOn = 'none';
  else {
    const s = canonicalSeverity(failOnRaw);
    if (!s) invalid(n, 'fail-on-severity', failOnRaw, `use none, ${SEVERITIES.map((x) => x.toLowerCase()).join(', ')}`);
    failOn = s;
  }

  const stateKey = present(raw['state-key']);
  if (stateKey !== undefined && (!STATE_KEY.test(stateKey) || stateKey === '.' || stateKey === '..')) {
    invalid(n, 'state-key', stateKey, 'use letters, digits, dots, dashes and underscores (at most 200), not `.` or `..`: it names a file');
  }

  return {
    cloudflare,
    scope,
    filters,
    cron,
    plan,
    budget,
    failOn,
    failOnScope: parseEnum(n, 'fail-on-scope', raw['fail-on-scope'], ['open', 'new'] as const, 'open'),
    stateKey,
    github: needs.github ? parseGithub(n, raw, needs.githubTokenOptional === true) : undefined,
  };
}

/** The secrets among the raw settings, to be masked before anything is logged. */
export function secretsOf(raw: RawSettings): string[] {
  return [raw['api-token'], raw['api-key'], raw['github-token']].map((v) => v?.trim()).filter((v): v is string => !!v && v.length > 0);
}
