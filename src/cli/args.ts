import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SettingsError } from '../errors.js';
import type { RawSettings, SettingName } from '../config/settings.js';

export const COMMANDS = ['report', 'sync', 'quota', 'validate'] as const;
export type Command = (typeof COMMANDS)[number];

/** Flags that carry a setting, by flag name -> setting name (the README's settings table). */
const SETTING_FLAGS: Record<string, SettingName> = {
  'account-id': 'account-id',
  'zone-id': 'zone-id',
  cron: 'cron',
  severity: 'severity',
  'exclude-severity': 'exclude-severity',
  'issue-type': 'issue-type',
  'exclude-issue-type': 'exclude-issue-type',
  plan: 'plan',
  budget: 'monthly-request-budget',
  'fail-on': 'fail-on-severity',
  'fail-on-scope': 'fail-on-scope',
  repo: 'repository',
  labels: 'labels',
  assignees: 'assignees',
  'group-by': 'group-by',
  'max-issue-writes': 'max-issue-writes',
};

/** Environment variables that carry a setting (wrangler's names for Cloudflare). */
const SETTING_ENV: [SettingName, string[]][] = [
  ['account-id', ['CLOUDFLARE_ACCOUNT_ID']],
  ['zone-id', ['CLOUDFLARE_ZONE_ID']],
  ['api-token', ['CLOUDFLARE_API_TOKEN']],
  ['api-email', ['CLOUDFLARE_EMAIL']],
  ['api-key', ['CLOUDFLARE_API_KEY']],
  ['api-base-url', ['CLOUDFLARE_API_BASE_URL']],
  ['github-token', ['GITHUB_TOKEN', 'GH_TOKEN']],
  ['github-api-url', ['GITHUB_API_URL']],
];

const LIST_FLAGS = new Set(['severity', 'exclude-severity', 'issue-type', 'exclude-issue-type', 'labels', 'assignees']);

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
  config: { type: 'string' },
  'account-id': { type: 'string' },
  'zone-id': { type: 'string' },
  cron: { type: 'string' },
  severity: { type: 'string', multiple: true },
  'exclude-severity': { type: 'string', multiple: true },
  'issue-type': { type: 'string', multiple: true },
  'exclude-issue-type': { type: 'string', multiple: true },
  'include-dismissed': { type: 'boolean' },
  plan: { type: 'string' },
  budget: { type: 'string' },
  'fail-on': { type: 'string' },
  'fail-on-scope': { type: 'string' },
  format: { type: 'string', short: 'f' },
  'sarif-category': { type: 'string' },
  output: { type: 'string', short: 'o' },
  'from-file': { type: 'string' },
  'new-only': { type: 'boolean' },
  state: { type: 'string' },
  'no-save': { type: 'boolean' },
  repo: { type: 'string' },
  labels: { type: 'string', multiple: true },
  assignees: { type: 'string', multiple: true },
  'group-by': { type: 'string' },
  'no-close-resolved': { type: 'boolean' },
  'max-issue-writes': { type: 'string' },
  'dry-run': { type: 'boolean' },
  watch: { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

type Flag = keyof typeof OPTIONS;

const GENERAL: Flag[] = ['help', 'version', 'quiet', 'verbose', 'config'];
const SCOPE_AND_FILTERS: Flag[] = ['account-id', 'zone-id', 'severity', 'exclude-severity', 'issue-type', 'exclude-issue-type', 'include-dismissed', 'plan', 'budget'];
const GITHUB: Flag[] = ['repo', 'labels', 'assignees', 'group-by', 'no-close-resolved', 'max-issue-writes', 'dry-run', 'fail-on', 'fail-on-scope'];

/** The flags each command takes; any other is a usage error rather than silently ignored. */
const COMMAND_FLAGS: Record<Command, ReadonlySet<Flag>> = {
  report: new Set([...GENERAL, ...SCOPE_AND_FILTERS, 'format', 'sarif-category', 'output', 'from-file', 'new-only', 'state', 'no-save', 'fail-on']),
  sync: new Set([...GENERAL, ...SCOPE_AND_FILTERS, ...GITHUB, 'json', 'from-file', 'state', 'no-save', 'watch', 'cron']),
  quota: new Set([...GENERAL, 'account-id', 'zone-id', 'plan', 'budget', 'cron', 'state', 'json']),
  validate: new Set([...GENERAL, ...SCOPE_AND_FILTERS, ...GITHUB, 'cron', 'json']),
};

export interface CliArgs {
  command: Command | null;
  help: boolean;
  version: boolean;
  quiet: boolean;
  verbose: boolean;
  json: boolean;
  format?: string;
  /** report --format sarif: the code scanning category. */
  sarifCategory?: string;
  output?: string;
  fromFile?: string;
  newOnly: boolean;
  statePath?: string;
  noSave: boolean;
  watch: boolean;
  config?: string;
  /** Settings given on the command line, by setting name. */
  flags: RawSettings;
}

function parseErrorText(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `Unknown flag ${unknown[1]}`;
  const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value (one that starts with a dash is written ${ambiguous[1]}=VALUE)`;
  const missing = /^Option '(--[a-z-]+)(?: <value>)?' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  return message.split('\n')[0]!.replace(/\.$/, '');
}

/** Parses argv (without node and the script). Unknown flags are usage errors (exit 2). */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new SettingsError('usage', `${parseErrorText(error)}: run cf-insights --help for the commands and flags.`);
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  if (rest.length > 0) throw new SettingsError('usage', `Unexpected argument ${JSON.stringify(rest[0])}. Run cf-insights --help.`);
  let command: Command | null = null;
  if (first !== undefined) {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      throw new SettingsError('usage', `Unknown command ${JSON.stringify(first)}: use one of ${COMMANDS.join(', ')}.`);
    }
    command = first as Command;
    for (const flag of Object.keys(values)) {
      if (!COMMAND_FLAGS[command].has(flag as Flag)) {
        throw new SettingsError('usage', `--${flag} is not a flag of cf-insights ${command}: run cf-insights ${command} --help for its flags.`);
      }
    }
  }
  const flags: RawSettings = {};
  for (const [flag, setting] of Object.entries(SETTING_FLAGS)) {
    const value = (values as Record<string, string | string[] | boolean | undefined>)[flag];
    if (value === undefined) continue;
    flags[setting] = Array.isArray(value) ? value.join(LIST_FLAGS.has(flag) ? ',' : ' ') : String(value);
  }
  if (values['include-dismissed']) flags['include-dismissed'] = 'true';
  if (values['no-close-resolved']) flags['close-resolved'] = 'false';
  if (values['dry-run']) flags['dry-run'] = 'true';
  return {
    command,
    help: values.help === true,
    version: values.version === true,
    quiet: values.quiet === true,
    verbose: values.verbose === true,
    json: values.json === true,
    format: values.format,
    sarifCategory: values['sarif-category'],
    output: values.output,
    fromFile: values['from-file'],
    newOnly: values['new-only'] === true,
    statePath: values.state,
    noSave: values['no-save'] === true,
    watch: values.watch === true,
    config: values.config,
    flags,
  };
}

/** Settings from the environment, by setting name. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): RawSettings {
  const raw: RawSettings = {};
  for (const [setting, names] of SETTING_ENV) {
    for (const name of names) {
      const value = env[name];
      if (value !== undefined && value.trim() !== '') {
        raw[setting] = value;
        break;
      }
    }
  }
  return raw;
}

/** Flags over environment over config file. */
export function mergeSettings(...layers: RawSettings[]): RawSettings {
  const out: RawSettings = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k as SettingName] = v;
  }
  return out;
}
