/**
 * Floor program (bench/coldstart.ts, benchColdStartFloor): no library, one GET of the
 * insights endpoint with node:http: the least any program can do before its first request.
 */
import { get } from 'node:http';

const url = `${process.env['CLOUDFLARE_API_BASE_URL']}/accounts/${process.env['INPUT_ACCOUNT-ID']}/security-center/insights?page=1`;
get(url, { agent: false, headers: { authorization: `Bearer ${process.env['INPUT_API-TOKEN']}` } }, (res) => res.resume());
