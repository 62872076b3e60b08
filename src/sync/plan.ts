import type { IssueContent, TrackedIssue } from '../github/types.js';
import { DISMISSED_LABEL, issueLabels, mergeLabels } from '../github/labels.js';
import { classInWords } from '../insights/class-words.js';
import { dismissedComment, groupBody, groupTitle, issueBody, issueTitle, resolvedComment, severityChangeComment } from '../github/render.js';
import { reopenComment, severityRoseComment } from './comments.js';
import { matchesFilters } from '../insights/filter.js';
import { isActive } from '../insights/status.js';
import { contentHash, fingerprint } from '../insights/fingerprint.js';
import { canonicalSeverity, compareSeverityDesc, maxSeverity, severityRank } from '../insights/severity.js';
import { scopeKey, type Insight, type InsightFilters, type Scope } from '../insights/types.js';
import { idMap, insightRecord, own } from '../state/records.js';
import type { GroupRecord, InsightRecord, RecordState, StateDocument } from '../state/types.js';
import { IssueIndex, type IssueView } from './issue-view.js';
import { stepsOf, unitWrites, type PendingUnit, type Plan, type PlanNoop, type PlanUnit, type Render, type SyncAction } from './types.js';

export interface PlanSettings {
  scope: Scope;
  filters: InsightFilters;
  labels: string[];
  assignees: string[];
  groupBy: 'insight' | 'class';
  closeResolved: boolean;
  maxIssueWrites: number;
}

export interface PlanInput {
  /** The in-scope insights of this run (already filtered). */
  insights: readonly Insight[];
  /** False after a failed page, an exhausted budget or a count that did not add up. */
  complete: boolean;
  incompleteReason?: string;
  state: StateDocument | null;
  /** Issues read from GitHub this run: all of ours, or those updated since the last run. */
  issues: readonly TrackedIssue[];
  settings: PlanSettings;
  /** ISO time of this run. */
  now: string;
}

interface Decision {
  actions: SyncAction[];
  outcome?: PlanUnit['outcome'];
  reason: string;
  /** The record state once the actions are done, and before (if they never run). */
  after: RecordState;
  before: RecordState;
}

/** Would the current filters let this record's insight in? */
function recordInScope(severity: string | null, issueType: string | null, filters: InsightFilters): boolean | null {
  if (!severity || !issueType) return null;
  return matchesFilters({ id: '', dismissed: false, issue_class: '', issue_type: issueType, severity, subject: '', payload: null }, filters);
}

/**
 * Labels a person added stay; our own severity, type and dismissed labels follow the
 * insight (../github/labels.ts). When the run did not read the issue's labels, the writer
 * merges them (IssueContent.mergeCurrentLabels).
 */
function keepPeoplesLabels(view: IssueView | null, desired: string[]): Pick<IssueContent, 'labels' | 'mergeCurrentLabels'> {
  if (view?.labels) return { labels: mergeLabels(view.labels, desired) };
  return view ? { labels: desired, mergeCurrentLabels: true } : { labels: desired };
}

/**
 * An action's issue content, rendered when the executor first asks for it, not when
 * planned: units over the write cap are never rendered, so a first run of 100k insights
 * renders only the issues it writes (rendering them all cost 3 s of CPU and over 100 MB).
 * Kept once rendered: the executor reads the labels before it writes.
 */
function once(render: () => IssueContent): Render {
  let content: IssueContent | undefined;
  return () => (content ??= render());
}

/** What a unit does once it runs: built only for the units within the write cap. */
type UnitWork = Pick<PlanUnit, 'actions' | 'records' | 'group'>;

/**
 * A unit as planned: what it is, and how to build its work. The units over the write cap
 * stay a PendingUnit (a first run over 100k insights holds ~100k of them), so a present
 * insight's candidate keeps no closure either: its work is decided again from the
 * insight (`at`, its index in the inventory) if it runs.
 */
type Candidate = { pending: PendingUnit } & ({ build: () => UnitWork } | { at: number });

function rose(now: string, before: string | null): boolean {
  return before !== null && severityRank(now) > severityRank(before);
}

/** Closed by cf-insights because the insight was dismissed: the state says so, or the issue's label. */
function closedAsDismissed(view: IssueView, prevState: RecordState | undefined): boolean {
  return prevState === 'dismissed' || (view.labels?.some((l) => l.toLowerCase() === DISMISSED_LABEL) ?? false);
}

/** The rules of docs/architecture.md, "Sync rules", for one present insight (or class group). */
function decidePresent(args: {
  view: IssueView | null;
  prevState: RecordState | undefined;
  dismissed: boolean;
  fp: string;
  severity: string;
  content: () => IssueContent;
  createAssignees: string[];
  subject: string;
}): Decision {
  const { view, dismissed, fp, severity } = args;
  if (dismissed) {
    if (view?.state === 'open') {
      return {
        // The label tells this close from a person's "not planned", should the state be lost
        // before the dismissal is undone; the body then shows the insight as dismissed.
        actions: [
          {
            kind: 'close',
            issue: view.number,
            reason: 'not_planned',
            comment: dismissedComment({ subject: args.subject }),
            render: once(() => {
              const content = args.content();
              return { ...content, labels: [...content.labels, DISMISSED_LABEL] };
            }),
          },
        ],
        outcome: 'dismissed',
        reason: 'dismissed in Cloudflare',
        after: 'dismissed',
        before: 'open',
      };
    }
    // Already closed as not planned by a person: a triage, which a dismissal does not undo.
    const triaged = view?.state === 'closed' && (view.reason === 'not_planned' || view.reason === 'duplicate') && !closedAsDismissed(view, args.prevState);
    const state: RecordState = triaged ? 'triaged' : 'dismissed';
    return { actions: [], reason: 'dismissed in Cloudflare', after: state, before: state };
  }
  if (!view) {
    return {
      actions: [{ kind: 'create', assignees: args.createAssignees, render: once(args.content) }],
      outcome: 'created',
      reason: 'new insight',
      after: 'open',
      before: 'pending',
    };
  }
  const changed = view.fp !== fp;
  if (view.state === 'open') {
    if (!changed) return { actions: [], reason: 'unchanged', after: 'open', before: 'open' };
    const actions: SyncAction[] = [];
    const severityChanged = view.severity !== null && canonicalSeverity(view.severity) !== canonicalSeverity(severity);
    const reason = severityChanged ? `severity ${view.severity} -> ${severity}` : 'content changed';
    actions.push({ kind: 'update', issue: view.number, reason, render: once(args.content) });
    if (severityChanged) actions.push({ kind: 'comment', issue: view.number, body: severityChangeComment(view.severity!, severity) });
    return { actions, outcome: 'updated', reason, after: 'open', before: 'open' };
  }
  // Closed.
  if (view.reason === 'not_planned' || view.reason === 'duplicate') {
    const weDismissed = closedAsDismissed(view, args.prevState);
    if (weDismissed || rose(severity, view.severity)) {
      const comment = weDismissed ? reopenComment('undismissed') : severityRoseComment(view.severity ?? '?', severity);
      return {
        actions: [{ kind: 'reopen', issue: view.number, comment, render: once(args.content) }],
        outcome: 'reopened',
        reason: weDismissed ? 'no longer dismissed' : `severity rose ${view.severity} -> ${severity}`,
        after: 'open',
        before: weDismissed ? 'dismissed' : 'triaged',
      };
    }
    return { actions: [], reason: 'closed as not planned (triaged)', after: 'triaged', before: 'triaged' };
  }
  // Closed as completed, by us when it went away or by a person while still reported.
  const returned = args.prevState === 'resolved';
  const why = returned ? 'reported again by Cloudflare' : 'closed as completed but still reported by Cloudflare';
  return {
    actions: [{ kind: 'reopen', issue: view.number, comment: reopenComment(returned ? 'returned' : 'still-reported'), render: once(args.content) }],
    outcome: 'reopened',
    reason: why,
    after: 'open',
    before: 'resolved',
  };
}

/** The rules for a key no longer in the inventory. */
function decideGone(args: {
  view: IssueView | null;
  prevState: RecordState | undefined;
  complete: boolean;
  inScope: boolean | null;
  closeResolved: boolean;
  comment: () => string;
  closeContent?: () => IssueContent;
}): Decision | 'drop' {
  const { view, prevState } = args;
  const keep = prevState ?? (view ? (view.state === 'open' ? 'open' : view.reason === 'completed' ? 'resolved' : 'triaged') : 'pending');
  if (!args.complete) return { actions: [], reason: 'not in an incomplete inventory: nothing closed', after: keep, before: keep };
  if (args.inScope === false) return { actions: [], reason: 'excluded by the current filters', after: 'out-of-scope', before: 'out-of-scope' };
  if (!view) return 'drop';
  if (view.state === 'closed') {
    const closed: RecordState = closedAsDismissed(view, prevState) ? 'dismissed' : view.reason === 'completed' ? 'resolved' : 'triaged';
    return { actions: [], reason: 'gone; issue already closed', after: closed, before: closed };
  }
  if (args.inScope === null) return { actions: [], reason: 'gone, but its scope is unknown: left open', after: keep, before: keep };
  if (!args.closeResolved) return { actions: [], reason: 'gone; close-resolved is off', after: 'resolved', before: 'resolved' };
  const close: SyncAction = { kind: 'close', issue: view.number, reason: 'completed', comment: args.comment() };
  return {
    actions: [args.closeContent ? { ...close, render: once(args.closeContent) } : close],
    outcome: 'resolved',
    reason: 'gone from a complete inventory',
    after: 'resolved',
    before: 'open',
  };
}

/**
 * The pure heart of the sync: from the inventory, the saved state and what GitHub
 * shows, the list of things to do. Nothing here reads a clock or the network.
 */
export function plan(input: PlanInput): Plan {
  const planning = new Planning(input);
  return input.settings.groupBy === 'class' ? planByClass(input, planning) : planByInsight(input, planning);
}

/** What a unit is, for ordering, counting and showing it. */
type UnitFacts = Pick<PendingUnit, 'insightIds' | 'severity' | 'subject' | 'title'>;

/** The record state until the unit runs (what the issue shows), or the decided one when nothing is to be done. */
function untilRun(d: Decision): RecordState {
  return d.actions.length ? d.before : d.after;
}

/** What both planners share: the issue index, the decided keys (left alone, or units to run within the cap), and the cap. */
class Planning {
  readonly index: IssueIndex;
  private readonly candidates: Candidate[] = [];
  private readonly noops: PlanNoop[] = [];

  constructor(private readonly input: PlanInput) {
    this.index = new IssueIndex(input.issues, scopeKey(input.settings.scope));
  }

  /**
   * A decided key: left alone when it has no action, else a unit whose work is built
   * only if it runs (`work`: its builder, or the index of its insight to decide again).
   */
  add(key: string, view: IssueView | null, d: Decision, unit: UnitFacts, work: (() => UnitWork) | number): void {
    if (d.actions.length === 0) {
      this.noops.push({ key, issue: view?.number ?? null, why: d.reason });
      return;
    }
    const pending: PendingUnit = {
      key,
      insightIds: unit.insightIds,
      severity: unit.severity,
      subject: unit.subject,
      title: unit.title,
      issue: view?.number ?? null,
      outcome: d.outcome!,
      reason: d.reason,
      steps: stepsOf(d.actions),
    };
    this.candidates.push(typeof work === 'number' ? { pending, at: work } : { pending, build: work });
  }

  /** The plan: the units within `max-issue-writes`, the rest deferred. `rebuild` decides again the work of the insight at an index. */
  finish(baseRecords: Record<string, InsightRecord>, baseGroups: Record<string, GroupRecord>, rebuild?: (at: number) => UnitWork): Plan {
    const build = (candidate: Candidate): UnitWork => {
      if ('build' in candidate) return candidate.build();
      if (!rebuild) throw new Error('plan: a candidate without its work');
      return rebuild(candidate.at);
    };
    return { ...capUnits(this.candidates, build, this.noops, baseRecords, baseGroups, this.input), copies: this.index.copies() };
  }
}

function planByInsight(input: PlanInput, planning: Planning): Plan {
  const { settings, now } = input;
  const prevRecords = input.state?.insights ?? {};
  const index = planning.index;
  const baseRecords = idMap<InsightRecord>();
  const present = new Set<string>();

  // Pure for a given insight (the index gives a key the same issue every time), so it runs
  // again for the units that are carried out: nothing of a unit over the write cap is kept.
  const assess = (insight: Insight) => {
    const id = String(insight.id);
    const prev = own(prevRecords, id);
    const fp = fingerprint(insight);
    const title = issueTitle(insight);
    const view = index.view(id, prev, title);
    const severity = canonicalSeverity(String(insight.severity)) ?? String(insight.severity);
    const d = decidePresent({
      view,
      prevState: prev?.state,
      dismissed: insight.dismissed === true,
      fp,
      severity,
      subject: String(insight.subject),
      createAssignees: settings.assignees,
      content: () => ({
        title,
        body: issueBody(insight, { fingerprint: fp, scope: settings.scope, now }),
        ...keepPeoplesLabels(view, issueLabels(insight, settings.labels)),
      }),
    });
    const work = (): UnitWork => ({
      actions: d.actions,
      records: { [id]: insightRecord(insight, fp, view?.number ?? null, d.after, prev, now) },
    });
    return { prev, fp, title, view, severity, d, work };
  };

  for (let at = 0; at < input.insights.length; at++) {
    const insight = input.insights[at]!;
    const id = String(insight.id);
    // Resolved in Cloudflare: handled below like an insight that is gone.
    if (present.has(id) || !isActive(insight)) continue;
    present.add(id);
    const { prev, fp, title, view, severity, d } = assess(insight);
    // Until a unit runs, the record keeps what the issue shows, so a deferred change is seen again.
    // An issue without a marker (a person edited it away) records none, so it is rewritten when its turn comes.
    const shown = insightRecord(insight, view ? (view.fp ?? '') : fp, view?.number ?? null, untilRun(d), prev, now);
    if (view?.severity && (d.actions.length > 0 || d.after === 'triaged')) shown.severity = canonicalSeverity(view.severity) ?? view.severity;
    baseRecords[id] = shown;
    planning.add(id, view, d, { insightIds: [id], severity, subject: String(insight.subject), title }, at);
  }

  // Keys we know of that the inventory no longer has.
  const goneKeys = new Set<string>([...Object.keys(prevRecords), ...index.keys()]);
  for (const id of [...goneKeys].sort()) {
    if (present.has(id) || id.startsWith('class:')) continue;
    const prev = own(prevRecords, id);
    const view = index.view(id, prev);
    const severity = prev?.severity ?? view?.severity ?? null;
    const issueType = prev?.issueType ?? view?.issueType ?? null;
    let inScope = recordInScope(severity, issueType, settings.filters);
    // An issue we hold no record of must name our scope before we close it (another account may share the labels):
    // a v2 marker does; a v1 body must name the scope id.
    if (!prev && view && !view.scoped && view.scopeIds != null && !view.scopeIds.includes(settings.scope.id.toLowerCase())) inScope = null;
    const d = decideGone({
      view,
      prevState: prev?.state,
      complete: input.complete,
      inScope,
      closeResolved: settings.closeResolved,
      comment: () => resolvedComment(prev?.subject ? { subject: prev.subject } : null),
    });
    if (d === 'drop') continue;
    const record: InsightRecord = prev
      ? { ...prev, issue: view?.number ?? prev.issue, fingerprint: view ? (view.fp ?? '') : prev.fingerprint, state: d.before }
      : {
          fingerprint: view?.fp ?? '',
          severity: severity ?? '',
          issueType: issueType ?? '',
          issueClass: '',
          subject: '',
          issue: view?.number ?? null,
          state: d.before,
          firstSeen: now,
          lastSeen: now,
        };
    baseRecords[id] = d.actions.length ? record : { ...record, state: d.after };
    planning.add(
      id,
      view,
      d,
      {
        insightIds: [id],
        severity: severity ?? '',
        subject: prev?.subject ?? id,
        title: prev ? `[${prev.severity}] ${classInWords(prev.issueClass)}: ${prev.subject}` : view?.title || `Insight ${id}`,
      },
      () => ({ actions: d.actions, records: { [id]: { ...record, state: d.after } } }),
    );
  }

  return planning.finish(baseRecords, idMap(input.state?.groups), (at) => assess(input.insights[at]!).work());
}

interface GroupMember {
  id: string;
  subject: string;
  severity: string;
  issueType: string;
  resolved: boolean;
  insight?: Insight;
  recordFp?: string;
}

/** The members of each class: this run's insights, and the records of those it no longer lists (in scope). */
function classMembers(input: PlanInput, baseRecords: Record<string, InsightRecord>): Map<string, GroupMember[]> {
  const members = new Map<string, GroupMember[]>();
  const seen = new Set<string>();
  const add = (cls: string, m: GroupMember) => {
    const list = members.get(cls) ?? [];
    list.push(m);
    members.set(cls, list);
  };
  for (const insight of input.insights) {
    const id = String(insight.id);
    if (seen.has(id)) continue;
    seen.add(id);
    const severity = canonicalSeverity(String(insight.severity)) ?? String(insight.severity);
    add(String(insight.issue_class), {
      id,
      subject: String(insight.subject),
      severity,
      issueType: String(insight.issue_type),
      resolved: insight.dismissed === true || !isActive(insight),
      insight,
    });
  }
  for (const [id, rec] of Object.entries(input.state?.insights ?? {})) {
    if (seen.has(id) || !rec.issueClass) continue;
    const inScope = recordInScope(rec.severity, rec.issueType, input.settings.filters);
    if (inScope === false) {
      baseRecords[id] = { ...rec, state: 'out-of-scope' };
      continue;
    }
    // Listed as resolved only when a complete inventory says it is gone (or it already was).
    const resolved = input.complete || rec.state === 'resolved' || rec.state === 'dismissed';
    add(rec.issueClass, { id, subject: rec.subject, severity: rec.severity, issueType: rec.issueType, resolved, recordFp: rec.fingerprint });
  }
  return members;
}

function planByClass(input: PlanInput, planning: Planning): Plan {
  const { settings, now } = input;
  const prevRecords = input.state?.insights ?? {};
  const prevGroups = input.state?.groups ?? {};
  const index = planning.index;
  const baseRecords = idMap(prevRecords);
  const baseGroups = idMap(prevGroups);

  const members = classMembers(input, baseRecords);
  const classes = new Set<string>([...members.keys(), ...Object.keys(prevGroups)]);
  for (const key of index.keys()) if (key.startsWith('class:')) classes.add(key.slice('class:'.length));

  for (const cls of [...classes].sort()) {
    const key = `class:${cls}`;
    const list = (members.get(cls) ?? []).sort((a, b) => a.subject.localeCompare(b.subject) || a.id.localeCompare(b.id));
    const active = list.filter((m) => !m.resolved);
    const prevGroup = own(prevGroups, cls);
    const view = index.view(key, prevGroup);
    const severity = maxSeverity(active.map((m) => m.severity)) ?? prevGroup?.severity ?? view?.severity ?? 'Low';
    // The fingerprint of a class issue: its members, their fingerprints and whether resolved.
    const fp = contentHash({ cls, severity, members: list.map((m) => [m.id, m.insight ? fingerprint(m.insight) : (m.recordFp ?? ''), m.resolved]) });
    const typeOf = active[0]?.issueType ?? list[0]?.issueType ?? view?.issueType ?? 'unknown';
    const content = () => ({
      title: groupTitle(cls, severity),
      body: groupBody(
        cls,
        list.map((m) => ({ id: m.id, subject: m.subject, resolved: m.resolved, insight: m.insight })),
        {
          fingerprint: fp,
          scope: settings.scope,
        },
      ),
      ...keepPeoplesLabels(view, issueLabels({ severity, issue_type: typeOf } as Insight, settings.labels)),
    });
    const d =
      active.length > 0
        ? decidePresent({ view, prevState: prevGroup?.state, dismissed: false, fp, severity, subject: cls, createAssignees: settings.assignees, content })
        : decideGone({
            view,
            prevState: prevGroup?.state,
            complete: input.complete,
            inScope: list.length > 0 ? true : view && !prevGroup ? recordInScope(view.severity, view.issueType, settings.filters) : prevGroup ? true : null,
            closeResolved: settings.closeResolved,
            comment: () => resolvedComment(null),
            closeContent: list.length > 0 ? content : undefined,
          });
    if (d === 'drop') {
      delete baseGroups[cls];
      continue;
    }
    const groupRecord = (state: RecordState, synced: boolean): GroupRecord => ({
      issue: view?.number ?? null,
      fingerprint: synced ? fp : view ? (view.fp ?? '') : (prevGroup?.fingerprint ?? fp),
      state,
      severity: synced ? severity : (prevGroup?.severity ?? view?.severity ?? severity),
    });
    const memberRecords = (state: RecordState, synced: boolean): Record<string, InsightRecord> => {
      const out = idMap<InsightRecord>();
      for (const m of list) {
        const prev = own(prevRecords, m.id);
        const memberState: RecordState = m.resolved ? (m.insight?.dismissed ? 'dismissed' : 'resolved') : state;
        if (m.insight)
          out[m.id] = insightRecord(
            m.insight,
            synced ? fingerprint(m.insight) : (prev?.fingerprint ?? fingerprint(m.insight)),
            view?.number ?? null,
            memberState,
            prev,
            now,
          );
        else if (prev) out[m.id] = { ...prev, issue: view?.number ?? prev.issue, state: memberState };
      }
      return out;
    };
    // A group left closed as triaged keeps what its issue shows: a later rise is measured from there.
    baseGroups[cls] = groupRecord(untilRun(d), d.actions.length === 0 && d.after !== 'triaged');
    Object.assign(baseRecords, memberRecords(untilRun(d), false));
    planning.add(key, view, d, { insightIds: list.map((m) => m.id), severity, subject: cls, title: groupTitle(cls, severity) }, () => ({
      actions: d.actions,
      records: memberRecords(d.after, true),
      group: { issueClass: cls, record: groupRecord(d.after, true) },
    }));
  }
  return planning.finish(baseRecords, baseGroups);
}

/** Applies `max-issue-writes`: most severe first; what does not fit waits for the next run. */
function capUnits(
  candidates: Candidate[],
  build: (candidate: Candidate) => UnitWork,
  noops: PlanNoop[],
  baseRecords: Record<string, InsightRecord>,
  baseGroups: Record<string, GroupRecord>,
  input: PlanInput,
): Plan {
  // Code-unit order, not localeCompare: the same order on every machine, and fast at 100k.
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const ordered = [...candidates].sort(
    ({ pending: a }, { pending: b }) => compareSeverityDesc(a.severity, b.severity) || text(a.subject, b.subject) || text(a.key, b.key),
  );
  const take: PlanUnit[] = [];
  const deferred: PendingUnit[] = [];
  let writes = 0;
  for (const candidate of ordered) {
    const cost = unitWrites(candidate.pending);
    if (deferred.length === 0 && writes + cost <= input.settings.maxIssueWrites) {
      const { actions, records, group } = build(candidate);
      take.push({ ...candidate.pending, actions, records, ...(group ? { group } : {}) });
      writes += cost;
    } else {
      deferred.push(candidate.pending);
    }
  }
  return {
    units: take,
    deferred,
    noops,
    baseRecords,
    baseGroups,
    writes,
    pendingWrites: deferred.reduce((n, u) => n + unitWrites(u), 0),
    ...(input.complete ? {} : { closesWithheld: input.incompleteReason ?? 'the inventory was incomplete' }),
  };
}
