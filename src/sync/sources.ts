import { createCloudflareClient, type CloudflareClientOptions } from '../cloudflare/client.js';
import type { Settings } from '../config/settings.js';
import type { Logger } from '../log.js';
import type { InventorySource } from './engine.js';

type CloudflareSource = Extract<InventorySource, { kind: 'cloudflare' }>;

/**
 * The inventory from Cloudflare: one client per run (one keep-alive pool), closed
 * when the fetch ends. `overrides` lets tests shorten retries and timeouts.
 */
export function cloudflareSource(
  settings: Settings,
  log: Logger,
  overrides: Partial<Omit<CloudflareClientOptions, 'budget' | 'auth' | 'baseUrl'>> = {},
): CloudflareSource {
  const cf = settings.cloudflare!;
  return {
    kind: 'cloudflare',
    async fetch(budget, onPage) {
      const client = createCloudflareClient({ baseUrl: cf.apiBaseUrl, auth: cf.auth, budget, log, ...overrides });
      try {
        return await client.fetchInventory(cf.scope, settings.filters, onPage ? { onPage } : {});
      } finally {
        await client.close();
      }
    },
  };
}
