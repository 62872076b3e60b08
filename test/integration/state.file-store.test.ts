import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyState, serializeState } from '../../src/state/document.js';
import { defaultStatePath, fileStateStore } from '../../src/state/file-store.js';
import type { StateDocument } from '../../src/state/types.js';
import { thisProcess } from '../../src/cli/this-process.js';

const scope = 'accounts/0123456789abcdef0123456789abcdef';
const fileStoreModule = fileURLToPath(new URL('../../src/state/file-store.ts', import.meta.url));
const thisProcessModule = fileURLToPath(new URL('../../src/cli/this-process.ts', import.meta.url));

function doc(marker: string, insights = 1): StateDocument {
  const base = emptyState({ scope, filters: 'f', now: new Date('2025-06-01T00:00:00Z') });
  for (let n = 0; n < insights; n++) {
    base.insights[`${marker}-${n}`] = {
      fingerprint: '0123456789abcdef',
      severity: 'High',
      issueType: 'exposed_infrastructure',
      issueClass: 'exposed_origin_ip',
      subject: `${marker}-${n}.example.com`,
      issue: n + 1,
      state: 'open',
      firstSeen: '2025-05-01T00:00:00Z',
      lastSeen: '2025-06-01T00:00:00Z',
    };
  }
  return base;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-insights-file-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('defaultStatePath', () => {
  it('uses $XDG_STATE_HOME/cf-insights/<scope>.json', () => {
    expect(defaultStatePath(scope, { XDG_STATE_HOME: '/x/state', HOME: '/home/u' })).toBe(
      '/x/state/cf-insights/accounts-0123456789abcdef0123456789abcdef.json',
    );
  });
  it('falls back to ~/.local/state, also when XDG_STATE_HOME is relative (invalid per the spec)', () => {
    const expected = '/home/u/.local/state/cf-insights/zones-abc.json';
    expect(defaultStatePath('zones/abc', { HOME: '/home/u' })).toBe(expected);
    expect(defaultStatePath('zones/abc', { HOME: '/home/u', XDG_STATE_HOME: 'relative/state' })).toBe(expected);
  });
  it('is what the store uses without a path', () => {
    const store = fileStateStore({ proc: thisProcess, scope, env: { XDG_STATE_HOME: dir } });
    expect(store.path).toBe(join(dir, 'cf-insights', 'accounts-0123456789abcdef0123456789abcdef.json'));
  });
});

describe('the default state file of a sync names its repository', () => {
  it('reads the earlier default (<scope>.json) once when its own file is missing, and saves under its own name', async () => {
    const env = { XDG_STATE_HOME: dir };
    const legacy = defaultStatePath(scope, env);
    await (await import('node:fs/promises')).mkdir(join(dir, 'cf-insights'), { recursive: true });
    await writeFile(legacy, serializeState({ ...doc('old'), quota: { month: '2025-06', used: 42 } }));
    const store = fileStateStore({ proc: thisProcess, scope, env, repository: 'acme/security' });
    expect(store.path).toBe(join(dir, 'cf-insights', 'accounts-0123456789abcdef0123456789abcdef.acme.security.json'));
    const loaded = await store.load({ scope });
    expect(loaded.state?.quota.used).toBe(42);
    expect(loaded.notice).toMatch(/earlier default/);
    await store.save({ ...loaded.state!, quota: { month: '2025-06', used: 43 } });
    expect(JSON.parse(await readFile(store.path, 'utf8')).quota.used).toBe(43);
    expect(JSON.parse(await readFile(legacy, 'utf8')).quota.used).toBe(42);
    expect((await store.load({ scope })).state?.quota.used).toBe(43);
  });
});

describe('fileStateStore', () => {
  it('a missing file is a first run, and loading creates nothing', async () => {
    const store = fileStateStore({ proc: thisProcess, scope, path: join(dir, 'sub', 'state.json') });
    const loaded = await store.load({ scope });
    expect(loaded).toEqual({ state: null, source: store.path, notice: `No saved state at ${store.path} yet: this run starts as a first run.` });
    expect(await readdir(dir)).toEqual([]);
  });

  it('round-trips a document; file mode 0600 in a new folder of mode 0700', async () => {
    const store = fileStateStore({ proc: thisProcess, scope, env: { XDG_STATE_HOME: join(dir, 'xdg') } });
    const saved = await store.save(doc('a', 3));
    expect(saved).toEqual({ saved: true, location: store.path });
    const loaded = await store.load({ scope, filters: 'f' });
    expect(loaded).toEqual({ state: doc('a', 3), source: store.path });
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'xdg', 'cf-insights'))).mode & 0o777).toBe(0o700);
  });

  it('replaces the file atomically: a new inode by rename, no temp file left behind', async () => {
    const store = fileStateStore({ proc: thisProcess, scope, path: join(dir, 'state.json') });
    await store.save(doc('a'));
    const before = await stat(store.path);
    await store.save(doc('b'));
    const after = await stat(store.path);
    expect(after.ino).not.toBe(before.ino);
    expect(await readdir(dir)).toEqual(['state.json']);
    expect((await store.load({ scope })).state).toEqual(doc('b'));
  });

  it('reports filter changes and migrations for the debug log', async () => {
    const store = fileStateStore({ proc: thisProcess, scope, path: join(dir, 'state.json') });
    const { groups: _g, lastInventorySize: _l, github: _h, ...v1 } = doc('a');
    await writeFile(store.path, JSON.stringify({ ...v1, version: 1 }));
    const loaded = await store.load({ scope, filters: 'g' });
    expect(loaded.state?.insights).toEqual(doc('a').insights);
    expect(loaded.details).toEqual([`State at ${store.path} migrated from version 1.`, `State at ${store.path} was written with other filters (f); now g.`]);
  });

  it('a crash in the middle of a write leaves the previous document intact', async () => {
    const path = join(dir, 'state.json');
    await fileStateStore({ proc: thisProcess, scope, path }).save(doc('old', 2));
    const oldBytes = await readFile(path);

    // A real process writes a large new document and is SIGKILLed after the temp file is
    // written and synced but before the rename: the worst moment.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `
        import { fileStateStore } from ${JSON.stringify(fileStoreModule)};
        import { thisProcess } from ${JSON.stringify(thisProcessModule)};
        let text = '';
        for await (const part of process.stdin) text += part;
        const doc = JSON.parse(text);
        await fileStateStore({ proc: thisProcess, scope: doc.scope, path: ${JSON.stringify(path)}, hooks: {
          beforeRename: () => { process.stdout.write('ready\\n'); return new Promise(() => setInterval(() => {}, 1000)); },
        } }).save(doc);
        process.stdout.write('saved\\n');
        `,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    child.stdin.end(serializeState(doc('new', 5000)));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      });
      child.on('exit', () => reject(new Error(`child exited early: ${out}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(out).not.toContain('saved');

    const names = await readdir(dir);
    const temps = names.filter((n) => n.endsWith('.tmp'));
    expect(temps).toHaveLength(1);
    expect(temps[0]).toMatch(new RegExp(`^\\.state\\.json\\.${child.pid}\\.[0-9a-f]+\\.tmp$`));
    expect(await readFile(path)).toEqual(oldBytes);

    // The next run reads the old document and ignores the leftover...
    const store = fileStateStore({ proc: thisProcess, scope, path });
    expect(await store.load({ scope })).toEqual({ state: doc('old', 2), source: path });
    // ...and its next save cleans it up (its writer is gone).
    expect((await store.save(doc('next'))).saved).toBe(true);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('a half-written temp file of a dead writer is ignored on load and removed on save', async () => {
    const path = join(dir, 'state.json');
    const store = fileStateStore({ proc: thisProcess, scope, path });
    await store.save(doc('old'));
    const text = serializeState(doc('new', 100));
    // A pid that cannot be alive (above the kernel's pid_max ceiling).
    const stale = join(dir, '.state.json.99999999.0badf00d.tmp');
    await writeFile(stale, text.slice(0, text.length / 2));
    expect((await store.load({ scope })).state).toEqual(doc('old'));
    await store.save(doc('newer'));
    expect(await readdir(dir)).toEqual(['state.json']);
    expect((await store.load({ scope })).state).toEqual(doc('newer'));
  });

  it('a corrupt file: a warning and a first run; load leaves it; save keeps it aside', async () => {
    const path = join(dir, 'state.json');
    await writeFile(path, '{"version":2,"scope":"acc');
    const store = fileStateStore({ proc: thisProcess, scope, path });
    const loaded = await store.load({ scope });
    expect(loaded.state).toBeNull();
    expect(loaded.warning).toMatch(new RegExp(`^Ignoring saved state \\(${path.replace(/[.]/g, '\\.')}\\): it is not valid JSON`));
    expect(await readFile(path, 'utf8')).toBe('{"version":2,"scope":"acc');

    const saved = await store.save(doc('fresh'));
    expect(saved).toEqual({
      saved: true,
      location: path,
      notice: `The unreadable previous state at ${path} was kept as ${path}.corrupt.`,
    });
    expect(await readFile(`${path}.corrupt`, 'utf8')).toBe('{"version":2,"scope":"acc');
    expect((await store.load({ scope })).state).toEqual(doc('fresh'));
  });

  it('a document from a newer version: a warning and a first run; neither load nor save replace it', async () => {
    const path = join(dir, 'state.json');
    const newer = JSON.stringify({ ...doc('future'), version: 3, newField: [] });
    await writeFile(path, newer);
    const store = fileStateStore({ proc: thisProcess, scope, path });
    const loaded = await store.load({ scope });
    expect(loaded.state).toBeNull();
    expect(loaded.warning).toContain('it was written by a newer cf-insights (version 3');
    const saved = await store.save(doc('mine'));
    expect(saved.saved).toBe(false);
    expect(saved.reason).toBe(
      `${path} holds state written by a newer cf-insights (version 3); it was left as it is. Upgrade cf-insights or choose another state file.`,
    );
    expect(await readFile(path, 'utf8')).toBe(newer);
  });

  it('a document for another scope: a warning and a first run; neither load nor save replace it', async () => {
    const path = join(dir, 'state.json');
    const other = serializeState({ ...doc('other'), scope: 'zones/ffff' });
    await writeFile(path, other);
    const store = fileStateStore({ proc: thisProcess, scope, path });
    const loaded = await store.load({ scope });
    expect(loaded.state).toBeNull();
    expect(loaded.warning).toContain(`it belongs to zones/ffff, not ${scope}`);
    const saved = await store.save(doc('mine'));
    expect(saved).toEqual({
      saved: false,
      location: path,
      reason: `${path} holds the state of zones/ffff, not ${scope}; it was left as it is. Choose another state file for this scope.`,
    });
    expect(await readFile(path, 'utf8')).toBe(other);
  });

  it('a failed write is reported, not silent', async () => {
    await writeFile(join(dir, 'not-a-folder'), 'x');
    const path = join(dir, 'not-a-folder', 'state.json');
    const saved = await fileStateStore({ proc: thisProcess, scope, path }).save(doc('a'));
    expect(saved.saved).toBe(false);
    expect(saved.reason).toMatch(new RegExp(`^Could not write the state to ${path.replace(/[.]/g, '\\.')} \\((EEXIST|ENOTDIR)`));
  });

  it('an unreadable path is a warning, not a crash', async () => {
    const loaded = await fileStateStore({ proc: thisProcess, scope, path: dir }).load({ scope });
    expect(loaded.state).toBeNull();
    expect(loaded.warning).toMatch(/^Could not read the saved state at .* \(EISDIR.*\): this run starts as a first run\.$/);
  });
});
