/**
 * Floor program (bench/coldstart.ts, benchColdStartFloor): @actions/core and @actions/cache,
 * the secret masked, then the state lookup the action makes first (same path and key shape
 * as src/state/cache-store.ts). Its first request is the cache lookup.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as core from '@actions/core';
import { restoreCache } from '@actions/cache';

core.setSecret(process.env['INPUT_API-TOKEN'] ?? '');
const account = process.env['INPUT_ACCOUNT-ID'] ?? '';
const stateKey = `cf-insights-accounts-${account}-${createHash('sha256').update('floor').digest('hex').slice(0, 12)}`;
const path = join(process.env['RUNNER_TEMP'] ?? '/tmp', 'cf-insights-state', stateKey, 'state.json');
await restoreCache([path], `${stateKey}-`, [`${stateKey}-`]);
