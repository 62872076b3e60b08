/**
 * Benchmark of the Cloudflare client: N insights served by the fake API, fetched and
 * filtered by the real client. Reports the requests used (goal: max(1, ceil(N/1000))),
 * wall and CPU time of fetch + filter (goal: 10k under 1 s of CPU), and peak RSS.
 *
 * The fake runs in a child process so that the CPU figures are the client's alone.
 *   npx tsx bench/cloudflare.ts [sizes...]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCloudflareClient } from '../src/cloudflare/client.js';
import { RequestBudget } from '../src/budget/ledger.js';
import type { InsightFilters } from '../src/insights/types.js';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, makeInsights, startCloudflareFake } from '../test/fakes/cloudflare.js';

export interface Row {
  /** Insights the fake serves. */
  insights: number;
  /** Insights left after the client-side filters. */
  matching: number;
  requests: number;
  expectedRequests: number;
  wallMs: number;
  /** User + system CPU of this process during fetch + filter. */
  cpuMs: number;
  /** Peak resident set size of this process so far (it only grows). */
  peakRssMb: number;
}

/** The server ignores the filters, so that all N insights travel and the client filters them. */
const FILTERS: InsightFilters = {
  severity: [],
  excludeSeverity: ['Low'],
  issueType: [],
  excludeIssueType: ['configuration_suggestion'],
  includeDismissed: false,
};

type ToChild = { size: number };
type FromChild = { url: string } | { ready: number };

/** Child side: serves the fake and swaps the inventory on request. */
async function serve(): Promise<void> {
  const cf = await startCloudflareFake({ ignoreFilters: true });
  process.on('message', (msg: ToChild) => {
    cf.setInsights(makeInsights(msg.size, 42));
    cf.reset();
    process.send!({ ready: msg.size } satisfies FromChild);
  });
  process.on('disconnect', () => {
    void cf.close().then(() => process.exit(0));
  });
  process.send!({ url: cf.url } satisfies FromChild);
}

function nextMessage(child: ChildProcess): Promise<FromChild> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the fake exited early (code ${code})`));
    child.once('exit', onExit);
    child.once('message', (m: FromChild) => {
      child.off('exit', onExit);
      resolve(m);
    });
  });
}

export async function benchCloudflare(sizes: number[] = [1000, 10_000, 100_000]): Promise<Row[]> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const hello = await nextMessage(child);
    if (!('url' in hello)) throw new Error('the fake did not report its URL');
    const rows: Row[] = [];
    for (const size of sizes) {
      child.send({ size } satisfies ToChild);
      await nextMessage(child);
      const budget = new RequestBudget(null, 1_000_000);
      const client = createCloudflareClient({ baseUrl: hello.url, auth: { kind: 'token', token: FAKE_TOKEN }, budget });
      try {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const inventory = await client.fetchInventory({ kind: 'accounts', id: FAKE_ACCOUNT_ID }, FILTERS);
        const wallMs = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        if (!inventory.complete) throw new Error(`incomplete inventory at ${size}: ${inventory.incompleteReason}`);
        rows.push({
          insights: size,
          matching: inventory.insights.length,
          requests: inventory.requests,
          expectedRequests: Math.max(1, Math.ceil(size / 1000)),
          wallMs: Math.round(wallMs),
          cpuMs: Math.round((cpu.user + cpu.system) / 1000),
          peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        });
      } finally {
        await client.close();
      }
    }
    return rows;
  } finally {
    child.disconnect();
  }
}

export function formatRows(rows: Row[]): string {
  const head = ['insights', 'matching', 'requests', 'expected', 'wall ms', 'CPU ms', 'peak RSS MB'];
  const body = rows.map((r) => [r.insights, r.matching, r.requests, r.expectedRequests, r.wallMs, r.cpuMs, r.peakRssMb].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === '--serve') {
  void serve();
} else if (isMain) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0);
  const rows = await benchCloudflare(sizes.length ? sizes : undefined);
  console.log('Cloudflare client: fetch + filter of N insights served by the fake (in a child process)\n');
  console.log(formatRows(rows));
  const bad = rows.filter((r) => r.requests !== r.expectedRequests);
  const tenK = rows.find((r) => r.insights === 10_000);
  console.log(`\nrequests = max(1, ceil(N/1000)): ${bad.length === 0 ? 'yes' : `NO for ${bad.map((r) => r.insights).join(', ')}`}`);
  if (tenK) console.log(`10k insights in ${tenK.cpuMs} ms of CPU (goal < 1000): ${tenK.cpuMs < 1000 ? 'yes' : 'NO'}`);
  if (bad.length > 0 || (tenK && tenK.cpuMs >= 1000)) process.exitCode = 1;
}
