import { readFileSync } from 'node:fs';
import { SETTING_NAMES, type RawSettings, type SettingName } from '../config/settings.js';

/** Settings that the action reads from the environment rather than from inputs. */
const FROM_ENV: Partial<Record<SettingName, string>> = {
  'github-api-url': 'GITHUB_API_URL',
};

/** Inputs whose value falls back to an environment variable when the input is empty. */
const ENV_FALLBACK: Partial<Record<SettingName, string>> = {
  'api-base-url': 'CLOUDFLARE_API_BASE_URL',
  repository: 'GITHUB_REPOSITORY',
};

/**
 * Reads the action's inputs the way the runner passes them (`INPUT_<NAME>`, upper
 * case, spaces to underscores, dashes kept), without @actions/core so that this stays
 * a pure mapping from an environment to raw settings.
 */
export function readActionInputs(env: NodeJS.ProcessEnv): RawSettings {
  const raw: RawSettings = {};
  for (const name of SETTING_NAMES) {
    const envName = FROM_ENV[name];
    let value = envName ? env[envName] : env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
    if ((value === undefined || value.trim() === '') && ENV_FALLBACK[name]) value = env[ENV_FALLBACK[name]!];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  return raw;
}

/** The cron that triggered this run (`github.event.schedule`), if it was a schedule. */
export function scheduleOfEvent(env: NodeJS.ProcessEnv): string | undefined {
  if (env['GITHUB_EVENT_NAME'] && env['GITHUB_EVENT_NAME'] !== 'schedule') return undefined;
  const path = env['GITHUB_EVENT_PATH'];
  if (!path) return undefined;
  try {
    const event = JSON.parse(readFileSync(path, 'utf8')) as { schedule?: unknown };
    return typeof event.schedule === 'string' && event.schedule.trim() ? event.schedule.trim() : undefined;
  } catch {
    return undefined;
  }
}
