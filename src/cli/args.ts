import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SettingsError } from '../errors.js';
import { REPORT_FORMATS } from '../report/types.js';
import { nearest } from './suggest.js';
import type { RawSettings, SettingName } from '../config/settings.js';

export const COMMANDS = ['report', 'sync', 'quota', 'validate'] as const;
export type Command = (typeof COMMANDS)[number];

/** Flags that carry a setting, by flag name -> setting name (the README's settings table). */
export const SETTING_FLAGS: Readonly<Record<string, SettingName>> = {
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
  // GH_TOKEN first, as in gh: a shell often has a GITHUB_TOKEN of its own (CI, a devcontainer).
  ['github-token', ['GH_TOKEN', 'GITHUB_TOKEN']],
  ['github-api-url', ['GITHUB_API_URL']],
];

const LIST_FLAGS = new Set(['severity', 'exclude-severity', 'issue-type', 'exclude-issue-type', 'labels', 'assignees']);

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  // -v is the version too, as for node and npm (see normalise); --verbose has no short form.
  version: { type: 'boolean', short: 'V' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean' },
  json: { type: 'boolean' },
  color: { type: 'string' },
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
  check: { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

type Flag = keyof typeof OPTIONS;

const GENERAL: Flag[] = ['help', 'version', 'quiet', 'verbose', 'color', 'config'];
const SCOPE_AND_FILTERS: Flag[] = [
  'account-id',
  'zone-id',
  'severity',
  'exclude-severity',
  'issue-type',
  'exclude-issue-type',
  'include-dismissed',
  'plan',
  'budget',
];
const GITHUB: Flag[] = ['repo', 'labels', 'assignees', 'group-by', 'no-close-resolved', 'max-issue-writes', 'dry-run', 'fail-on', 'fail-on-scope'];

/** The flags each command takes; any other is a usage error rather than silently ignored. */
const COMMAND_FLAGS: Record<Command, ReadonlySet<Flag>> = {
  report: new Set([...GENERAL, ...SCOPE_AND_FILTERS, 'format', 'sarif-category', 'output', 'from-file', 'new-only', 'state', 'no-save', 'fail-on']),
  sync: new Set([...GENERAL, ...SCOPE_AND_FILTERS, ...GITHUB, 'json', 'from-file', 'state', 'no-save', 'watch', 'cron']),
  quota: new Set([...GENERAL, 'account-id', 'zone-id', 'plan', 'budget', 'cron', 'state', 'json', 'check']),
  validate: new Set([...GENERAL, ...SCOPE_AND_FILTERS, ...GITHUB, 'cron', 'json']),
};

export const COLOR_MODES = ['always', 'never', 'auto'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export interface CliArgs {
  command: Command | null;
  help: boolean;
  version: boolean;
  quiet: boolean;
  verbose: boolean;
  json: boolean;
  /** --color: always, never, or auto (the default: NO_COLOR, FORCE_COLOR, then the TTY). */
  color: ColorMode;
  format?: string;
  /** report --format sarif: the code scanning category. */
  sarifCategory?: string;
  output?: string;
  fromFile?: string;
  newOnly: boolean;
  statePath?: string;
  noSave: boolean;
  watch: boolean;
  /** quota: exit 1 when the --cron schedule does not fit the budget. */
  check: boolean;
  config?: string;
  /** Settings given on the command line, by setting name. */
  flags: RawSettings;
}

/** What a flag's value is, for the message when it is missing. */
const VALUE_HINTS: Partial<Record<Flag, string>> = {
  format: `one of ${REPORT_FORMATS.join(', ')}`,
  output: 'a file path, or - for stdout',
  'fail-on': 'none, low, moderate, high or critical',
  plan: 'free, pro, business or enterprise',
  'group-by': 'insight or class',
  'fail-on-scope': 'open or new',
  color: 'always, never or auto',
  cron: 'a cron expression such as "0 6 * * *"',
};

function needsValue(flag: string): string {
  const hint = VALUE_HINTS[flag as Flag];
  return `--${flag} needs a value${hint ? `: ${hint}` : ''}`;
}

const FLAG_NAMES = Object.keys(OPTIONS) as Flag[];
const SHORT_FLAGS = new Map(Object.entries(OPTIONS).flatMap(([name, o]) => ('short' in o ? [[o.short, name] as const] : [])));

// A secret given as a flag lands in shell history and the process list.
const SECRET_FLAG = /token|api-?key|secret|password|^key$/i;
const SECRET_FLAG_TEXT =
  'tokens are read only from the environment (CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY; GH_TOKEN or GITHUB_TOKEN), so they never land in shell history or the process list';

/** `-v` is the version, as for node and npm; `-V` too, as for git and commander-based CLIs. */
function normalise(argv: string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((a, i) => (a === '-v' && (end === -1 || i < end) ? '-V' : a));
}

/** The flags a typo is compared with: the command's own, or all of them. */
function knownFlags(argv: string[]): readonly string[] {
  const command = argv.find((a) => (COMMANDS as readonly string[]).includes(a)) as Command | undefined;
  return command ? [...COMMAND_FLAGS[command]] : FLAG_NAMES;
}

function unknownFlag(rawName: string, argv: string[]): SettingsError {
  const bare = rawName.replace(/^-+/, '');
  if (SECRET_FLAG.test(bare)) return new SettingsError('usage', `${rawName} is not accepted: ${SECRET_FLAG_TEXT}.`);
  const guess = rawName.startsWith('--') ? nearest(bare, knownFlags(argv)) : null;
  const hint = guess ? `did you mean --${guess}?` : 'run cf-insights --help for the commands and flags';
  return new SettingsError('usage', `Unknown flag ${rawName}: ${hint}`);
}

/**
 * The mistakes a person makes, found before the strict parse so each gets our message
 * (never Node's parser text, never a secret's value): an unknown flag with the nearest
 * one, a token given as a flag, a flag without its value.
 */
function checkTokens(argv: string[]): void {
  const { tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const name = token.name.length === 1 ? (SHORT_FLAGS.get(token.name) ?? token.name) : token.name;
    if (!Object.hasOwn(OPTIONS, name)) throw unknownFlag(token.rawName, argv);
    if (OPTIONS[name as Flag].type === 'string' && token.value === undefined) throw new SettingsError(name, `${needsValue(name)}.`);
  }
}

function parseErrorText(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  const ambiguous = /^Option '(?:-[a-zA-Z], )?(--[a-z-]+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${needsValue(ambiguous[1]!.slice(2))} (one that starts with a dash is written ${ambiguous[1]}=VALUE)`;
  const boolean = /^Option '(?:-[a-zA-Z], )?(--[a-z-]+)' does not take an argument/.exec(message);
  if (boolean) return `${boolean[1]} takes no value`;
  return message.split('\n')[0]!.replace(/\.$/, '');
}

function parseStrict(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new SettingsError('usage', `${parseErrorText(error)}: run cf-insights --help for the commands and flags.`);
  }
}

/** Parses argv (without node and the script). Unknown flags are usage errors (exit 2). */
export function parseCliArgs(argv: string[]): CliArgs {
  argv = normalise(argv);
  checkTokens(argv);
  const parsed = parseStrict(argv);
  const { values } = parsed;
  let { positionals } = parsed;
  // `help <command>` is `<command> --help`, as in git and gh.
  const helpCommand = positionals[0] === 'help';
  if (helpCommand) positionals = positionals.slice(1);
  const [first, ...rest] = positionals;
  if (rest.length > 0) throw new SettingsError('usage', `Unexpected argument ${JSON.stringify(rest[0])}. Run cf-insights --help.`);
  let command: Command | null = null;
  if (first !== undefined) {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      const guess = nearest(first, COMMANDS);
      throw new SettingsError(
        'usage',
        `Unknown command ${JSON.stringify(first)}: use one of ${COMMANDS.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}.`,
      );
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
  const color = (values.color ?? 'auto').toLowerCase();
  if (!(COLOR_MODES as readonly string[]).includes(color)) {
    throw new SettingsError('color', `Invalid --color ${JSON.stringify(values.color)}: use always, never or auto.`);
  }
  return {
    command,
    help: values.help === true || helpCommand,
    version: values.version === true,
    quiet: values.quiet === true,
    verbose: values.verbose === true,
    json: values.json === true,
    color: color as ColorMode,
    format: values.format,
    sarifCategory: values['sarif-category'],
    // `-o -` is stdout, as for curl and tar.
    output: values.output === '-' ? undefined : values.output,
    fromFile: values['from-file'],
    newOnly: values['new-only'] === true,
    statePath: values.state,
    noSave: values['no-save'] === true,
    watch: values.watch === true,
    check: values.check === true,
    config: values.config,
    flags,
  };
}

const FLAG_OF_SETTING = new Map(Object.entries(SETTING_FLAGS).map(([flag, setting]) => [setting, `--${flag}`]));
const ENV_OF_SETTING = new Map<SettingName, string>(
  SETTING_ENV.map(([setting, names]) => [setting, names.length > 1 ? `${names[0]} (or ${names.slice(1).join(', ')})` : names[0]!]),
);

/** A setting as the CLI user gives it, for messages: its flag, else its environment variable. */
export function cliSettingName(setting: SettingName): string {
  return FLAG_OF_SETTING.get(setting) ?? ENV_OF_SETTING.get(setting) ?? setting;
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
