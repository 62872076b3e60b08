/**
 * Floor program (bench/coldstart.ts, benchColdStartFloor): @actions/core and undici, the
 * secret masked, then one GET of the insights endpoint through a Pool, as
 * src/cloudflare/client.ts sends it.
 */
import * as core from '@actions/core';
import { Pool } from 'undici';

const token = process.env['INPUT_API-TOKEN'] ?? '';
core.setSecret(token);
const base = new URL(process.env['CLOUDFLARE_API_BASE_URL'] ?? '');
const pool = new Pool(base.origin, { connections: 1, pipelining: 1 });
const path = `${base.pathname.replace(/\/+$/, '')}/accounts/${process.env['INPUT_ACCOUNT-ID']}/security-center/insights?dismissed=false&page=1&per_page=1000`;
const res = await pool.request({ path, method: 'GET', headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
await res.body.text();
await pool.close();
