/**
 * Floor program (bench/coldstart.ts, benchColdStartFloor): @actions/core alone, the secret
 * masked, then one GET of the insights endpoint with node:http.
 */
import * as core from '@actions/core';
import { get } from 'node:http';

const token = process.env['INPUT_API-TOKEN'] ?? '';
core.setSecret(token);
const url = `${process.env['CLOUDFLARE_API_BASE_URL']}/accounts/${process.env['INPUT_ACCOUNT-ID']}/security-center/insights?page=1`;
get(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => res.resume());
