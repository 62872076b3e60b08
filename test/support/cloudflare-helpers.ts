/** Shared set-up for the Cloudflare client tests: a client on the fake with recorded sleeps. */
import { createCloudflareClient, type CloudflareClient, type CloudflareClientOptions } from '../../src/cloudflare/client.js';
import { RequestBudget } from '../../src/budget/ledger.js';
import type { CloudflareAuth } from '../../src/config/settings.js';
import { memoryLogger } from '../../src/log.js';
import { FAKE_TOKEN, type CloudflareFake } from '../fakes/cloudflare.js';

export const NOW = new Date('2026-11-15T12:00:00Z');

export interface Harness {
  client: CloudflareClient;
  budget: RequestBudget;
  delays: number[];
  log: ReturnType<typeof memoryLogger>;
}

export function harness(
  cf: CloudflareFake,
  over: Partial<CloudflareClientOptions> & { budgetSize?: number; used?: number; auth?: CloudflareAuth } = {},
): Harness {
  const { budgetSize = 10_000, used = 0, ...rest } = over;
  const budget = new RequestBudget({ month: '2026-11', used }, budgetSize, () => NOW);
  const delays: number[] = [];
  const log = memoryLogger();
  const client = createCloudflareClient({
    baseUrl: cf.url,
    auth: { kind: 'token', token: FAKE_TOKEN },
    budget,
    log,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    now: () => NOW,
    timeoutMs: 5_000,
    ...rest,
  });
  return { client, budget, delays, log };
}

/** The rejection of a promise, or a failure if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error & { exitCode?: number; details?: string[] }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { exitCode?: number; details?: string[] };
  }
  throw new Error('expected a rejection, got a result');
}
