/**
 * Benchmark of the dedupe state: a 100k-insight state saved to and restored from the
 * Actions cache fake (protocol v2, as on hosted runners) through the real @actions/cache
 * (archive size as stored, time),
 * and diff() of a 100k inventory against that state (CPU).
 * Goals: the 100k state under 5 MB compressed; the diff under 0.5 s of CPU.
 *   npx tsx bench/state.ts [size]
 *
 * The fake runs in this process, so the save/restore CPU figures include it; the wall
 * time includes tar and zstd, which the library runs as child processes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { fingerprint } from '../src/insights/fingerprint.js';
import type { Insight } from '../src/insights/types.js';
import { silentLogger } from '../src/log.js';
import { cacheStateStore } from '../src/state/cache-store.js';
import { diff } from '../src/state/diff.js';
import { emptyState, serializeState } from '../src/state/document.js';
import type { StateDocument } from '../src/state/types.js';
import { setEnv, startCacheServiceFake } from '../test/fakes/cache-service.js';
import { makeInsights } from '../test/fakes/cloudflare.js';

export interface Row {
  step: string;
  insights: number;
  wallMs: number;
  /** User + system CPU of this process during the step. */
  cpuMs: number;
  /** Bytes: the JSON document for save, the compressed archive the cache stored for restore. */
  bytes: number | null;
  goal: string;
  met: boolean | null;
}

const SCOPE = 'accounts/0123456789abcdef0123456789abcdef';
const MB = 1024 * 1024;

/** The state a run over `inventory` leaves: every insight filed, most open. */
export function stateFor(inventory: Insight[], now: Date): StateDocument {
  const doc = emptyState({ scope: SCOPE, filters: 'severity=;exclude-severity=;issue-type=;exclude-issue-type=;include-dismissed=false', now });
  inventory.forEach((insight, n) => {
    doc.insights[insight.id] = {
      fingerprint: fingerprint(insight),
      severity: insight.severity,
      issueType: insight.issue_type,
      issueClass: insight.issue_class,
      subject: insight.subject,
      issue: n + 1,
      state: n % 20 === 0 ? 'triaged' : 'open',
      firstSeen: insight.since ?? now.toISOString(),
      lastSeen: now.toISOString(),
    };
  });
  doc.lastCompleteAt = now.toISOString();
  doc.lastInventorySize = inventory.length;
  return doc;
}

/** The next scan: 1% changed, 1% gone, 1% new, every timestamp moved. */
export function nextInventory(inventory: Insight[]): Insight[] {
  const fresh = makeInsights(Math.ceil(inventory.length / 100), 99).map((i) => ({ ...i, id: `new-${i.id}` }));
  const next = inventory
    .filter((_, n) => n % 100 !== 1)
    .map((insight, n) => ({
      ...insight,
      timestamp: '2025-11-02T06:00:00.000Z',
      ...(n % 100 === 0 ? { severity: insight.severity === 'Critical' ? 'High' : 'Critical' } : {}),
    }));
  return [...next, ...fresh];
}

async function timed<T>(step: () => Promise<T> | T): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await step();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, wallMs: Math.round(wallMs), cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

export async function benchState(size = 100_000): Promise<Row[]> {
  const now = new Date('2025-11-01T06:00:00.000Z');
  const inventory = makeInsights(size, 7);
  const state = stateFor(inventory, now);
  const next = nextInventory(inventory);
  const rows: Row[] = [];

  // First, so that its CPU figure does not include collecting the garbage of save and restore.
  const d = await timed(() => diff(next, state));
  const counts = `${d.value.new.length} new, ${d.value.changed.length} changed, ${d.value.unchanged.length} unchanged, ${d.value.gone.length} gone`;
  rows.push({ step: `diff (${counts})`, insights: size, wallMs: d.wallMs, cpuMs: d.cpuMs, bytes: null, goal: 'CPU < 500 ms', met: d.cpuMs < 500 });
  // For reading the figure above: how much of it is V8 warming up (a run diffs once, cold).
  const warm = await timed(() => diff(next, state));
  rows.push({ step: 'diff again (warm JIT, for comparison)', insights: size, wallMs: warm.wallMs, cpuMs: warm.cpuMs, bytes: null, goal: '', met: null });

  const fake = await startCacheServiceFake({ protocol: 'v2' });
  const runnerTemp = await mkdtemp(join(tmpdir(), 'cf-insights-bench-state-'));
  const restoreEnv = setEnv({ ...fake.env, RUNNER_TEMP: runnerTemp, RUNNER_DEBUG: undefined });
  try {
    const saver = cacheStateStore({ env: process.env, stdout: process.stdout, stateKey: 'cf-insights-bench', runId: '1', runAttempt: '1', log: silentLogger });
    const save = await timed(() => saver.save(state));
    if (!save.value.saved) throw new Error(`save failed: ${save.value.reason}`);
    const archive = fake.entries.find((e) => e.committed)?.size ?? 0;
    rows.push({
      step: 'save to the cache (JSON bytes)',
      insights: size,
      wallMs: save.wallMs,
      cpuMs: save.cpuMs,
      bytes: Buffer.byteLength(serializeState(state)),
      goal: '',
      met: null,
    });

    await rm(saver.path, { force: true });
    const loader = cacheStateStore({ env: process.env, stdout: process.stdout, stateKey: 'cf-insights-bench', runId: '2', runAttempt: '1', log: silentLogger });
    const load = await timed(() => loader.load({ scope: SCOPE }));
    if (!load.value.state) throw new Error(`restore failed: ${load.value.warning ?? load.value.notice}`);
    if (Object.keys(load.value.state.insights).length !== size) throw new Error('restore lost records');
    rows.push({
      step: 'restore + validate (archive bytes)',
      insights: size,
      wallMs: load.wallMs,
      cpuMs: load.cpuMs,
      bytes: archive,
      goal: 'archive < 5 MB',
      met: archive < 5 * MB,
    });
  } finally {
    restoreEnv();
    await fake.close();
    await rm(runnerTemp, { recursive: true, force: true });
  }

  return [...rows.slice(2), ...rows.slice(0, 2)];
}

export function formatRows(rows: Row[]): string {
  const head = ['step', 'insights', 'wall ms', 'CPU ms', 'bytes', 'goal', 'met'];
  const body = rows.map((r) => [
    r.step,
    String(r.insights),
    String(r.wallMs),
    String(r.cpuMs),
    r.bytes === null ? '' : `${r.bytes} (${(r.bytes / MB).toFixed(2)} MB)`,
    r.goal,
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const size = Number(process.argv[2] ?? 100_000);
  const rows = await benchState(Number.isInteger(size) && size > 0 ? size : 100_000);
  console.log('State: save/restore through the Actions cache fake (real @actions/cache), and diff\n');
  console.log(formatRows(rows));
  if (rows.some((r) => r.met === false)) process.exitCode = 1;
}
