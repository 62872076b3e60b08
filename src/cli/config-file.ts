import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { SettingsError } from '../errors.js';
import { SETTING_NAMES, type RawSettings, type SettingName } from '../config/settings.js';
import { SETTING_FLAGS } from './args.js';
import { nearest } from './suggest.js';

/** Settings that a config file may not hold: secrets belong in the environment. */
const SECRET_SETTINGS: SettingName[] = ['api-token', 'api-key', 'github-token'];

/** The setting a config key names: an action input name, or a CLI flag name (`repo`, `budget`, `fail-on`). */
function settingOf(key: string): SettingName | undefined {
  if ((SETTING_NAMES as readonly string[]).includes(key)) return key as SettingName;
  return Object.hasOwn(SETTING_FLAGS, key) ? SETTING_FLAGS[key] : undefined;
}

/**
 * Reads a JSON or YAML file with the setting names of docs/architecture.md (`account-id`,
 * `severity`, ...) or the CLI's flag names for them, one spelling per setting. Lists
 * may be arrays. Secrets are refused: they belong in the environment, not in a file
 * that may be committed.
 */
export function readConfigFile(path: string): RawSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SettingsError('config', `Cannot read the config file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new SettingsError(
      'config',
      `The config file ${path} is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}.`,
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SettingsError('config', `The config file ${path} must hold a mapping of setting names to values.`);
  }
  const raw: RawSettings = {};
  const keyOf = new Map<SettingName, string>();
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const setting = settingOf(key);
    if (setting === undefined) {
      const accepted = SETTING_NAMES.filter((n) => !SECRET_SETTINGS.includes(n));
      const guess = nearest(key, [...accepted, ...Object.keys(SETTING_FLAGS)]);
      throw new SettingsError(
        'config',
        `Unknown setting ${JSON.stringify(key)} in ${path}: ${guess ? `did you mean ${guess}? ` : ''}accepted settings are ${accepted.join(', ')} (or their flag names: ${Object.keys(
          SETTING_FLAGS,
        )
          .filter((f) => SETTING_FLAGS[f] !== f)
          .join(', ')}).`,
      );
    }
    if (SECRET_SETTINGS.includes(setting)) {
      throw new SettingsError(
        setting,
        `${key} may not be set in a config file (${path}): pass secrets in the environment (CLOUDFLARE_API_TOKEN, GITHUB_TOKEN).`,
      );
    }
    const earlier = keyOf.get(setting);
    if (earlier !== undefined) throw new SettingsError(setting, `${path} sets ${setting} twice (${earlier} and ${key}): keep one.`);
    keyOf.set(setting, key);
    if (value === null || value === undefined) continue;
    const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    if (!(scalar(value) || (Array.isArray(value) && value.every(scalar)))) {
      throw new SettingsError(setting, `${key} in ${path} must be a string, a number, true/false or a list of them.`);
    }
    raw[setting] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return raw;
}
