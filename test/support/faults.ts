/**
 * Helpers for the fault-injection suite (test/e2e/sync.faults.test.ts): what a run's outcome
 * says to the user (exit code, one line), and the invariants every run must keep
 * whatever failed: no duplicate issue, no wrongful close, a state that is the previous
 * one or a correct new one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readState } from '../../src/state/document.js';
import type { StateDocument } from '../../src/state/types.js';
import type { Insight } from '../../src/insights/types.js';
import type { FakeIssue, GithubFake } from '../fakes/github.js';
import { duplicates, type RunOutcome } from './harness.js';

const MARKER = /^<!-- cf-insights:v[12] (?:scope=\S+ )?id=(\S+) fp=(\S+) -->$/;

/** Our marker of an issue body as the fake sees it (last non-empty line), decoded. */
export function markerOf(body: string | null): { id: string; fp: string } | null {
  if (!body) return null;
  const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '');
  const m = MARKER.exec(lines[lines.length - 1]?.trimEnd() ?? '');
  return m ? { id: decodeURIComponent(m[1]!), fp: decodeURIComponent(m[2]!) } : null;
}

/** The exit code the CLI would return for this outcome: a thrown error, a failure the run recorded, or 0. */
export function exitOf(outcome: RunOutcome): number {
  if (outcome.error) return outcome.error.exitCode ?? -1;
  if (outcome.result?.failure) return outcome.result.failure.exitCode;
  return 0;
}

/** The one line a person reads: the error's message, else the run's failure. */
export function failureLine(outcome: RunOutcome): string | null {
  return outcome.error?.message ?? outcome.result?.failure?.message ?? null;
}

/** Every line the run printed at info level or above. */
export function visibleLines(outcome: RunOutcome): string[] {
  return outcome.log.lines.filter((l) => l.level !== 'debug').map((l) => l.message);
}

/** The state document of a file store, parsed and validated; null when the file is missing or unusable. */
export function readStateFile(path: string, scope: string): { doc: StateDocument | null; raw: unknown; warning?: string } {
  if (!existsSync(path)) return { doc: null, raw: null, warning: 'missing' };
  const text = readFileSync(path, 'utf8');
  const raw = JSON.parse(text) as unknown; // never corrupt: this must parse
  const read = readState(raw, { scope });
  return { doc: read.state, raw, ...(read.warning ? { warning: read.warning } : {}) };
}

/** Issues (not pull requests) carrying our marker, by marker id; duplicates are checked elsewhere. */
export function issuesById(gh: GithubFake): Map<string, FakeIssue> {
  const out = new Map<string, FakeIssue>();
  for (const issue of gh.issues) {
    if (issue.pullRequest) continue;
    const marker = markerOf(issue.body);
    if (marker && !out.has(marker.id)) out.set(marker.id, issue);
  }
  return out;
}

/**
 * Problems with a state document against what GitHub holds; empty when it is correct:
 * - it holds every record `previous` held (never loses what it had);
 * - a record that names an issue names one that exists and carries that record's marker
 *   (a state never claims an issue that does not exist), unless it is the previous record
 *   unchanged;
 * - the record's state agrees with the issue (open/closed), and its fingerprint with the
 *   issue's marker: the next run then sees exactly what GitHub shows.
 */
export function stateProblems(doc: StateDocument, gh: GithubFake, previous: StateDocument | null): string[] {
  const problems: string[] = [];
  for (const id of Object.keys(previous?.insights ?? {})) {
    if (!(id in doc.insights)) problems.push(`record ${id} was lost`);
  }
  for (const [id, record] of Object.entries(doc.insights)) {
    if (record.issue === null) continue;
    // The record this run found, unchanged: the previous state for it (a unit that failed
    // part-way). The next run lists every issue written since, so it sees past it.
    const prev = previous?.insights[id];
    if (prev && JSON.stringify({ ...prev, lastSeen: '' }) === JSON.stringify({ ...record, lastSeen: '' })) continue;
    const issue = gh.issue(record.issue);
    if (!issue || gh.deleted.has(record.issue)) {
      problems.push(`record ${id} claims issue #${record.issue}, which does not exist`);
      continue;
    }
    const marker = markerOf(issue.body);
    if (marker && marker.id !== id) problems.push(`record ${id} claims issue #${record.issue}, which is ${marker.id}'s`);
    if (!marker) continue;
    const closedStates = ['resolved', 'dismissed', 'triaged'];
    if (record.state === 'open' && issue.state !== 'open') problems.push(`record ${id} says open, #${issue.number} is closed`);
    if (closedStates.includes(record.state) && issue.state !== 'closed') problems.push(`record ${id} says ${record.state}, #${issue.number} is open`);
    if (record.fingerprint !== marker.fp) problems.push(`record ${id} has fp ${record.fingerprint}, #${issue.number} shows ${marker.fp}`);
  }
  return problems;
}

/**
 * The promises about GitHub after any run: no duplicate, and no issue of an insight that
 * is still reported (and not dismissed) closed. `mayClose` are ids whose issue may be
 * closed (gone from a complete inventory).
 */
export function githubProblems(gh: GithubFake, present: readonly Insight[], openBefore: ReadonlySet<number>): string[] {
  const problems = duplicates(gh).map((id) => `duplicate issues for ${id}`);
  const byId = issuesById(gh);
  for (const insight of present) {
    if (insight.dismissed) continue;
    const issue = byId.get(String(insight.id));
    if (issue && issue.state === 'closed' && openBefore.has(issue.number)) {
      problems.push(`#${issue.number} of ${insight.id}, still reported, was closed`);
    }
  }
  return problems;
}

/** After a clean run: exactly one open issue per reported insight, and nothing else of ours open. */
export function convergenceProblems(gh: GithubFake, present: readonly Insight[]): string[] {
  const problems: string[] = [];
  const wanted = new Set(present.filter((i) => !i.dismissed).map((i) => String(i.id)));
  const open = new Set<string>();
  for (const issue of gh.ours()) {
    if (issue.state !== 'open') continue;
    const id = markerOf(issue.body)!.id;
    open.add(id);
    if (!wanted.has(id)) problems.push(`#${issue.number} (${id}) is open but its insight is gone`);
  }
  for (const id of wanted) if (!open.has(id)) problems.push(`${id} has no open issue`);
  return problems;
}
