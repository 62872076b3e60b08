import { describe, expect, it } from 'vitest';
import { emptyState } from '../../src/state/document.js';
import { noStateStore } from '../../src/state/store.js';

describe('noStateStore', () => {
  it('loads nothing and saves nothing, saying why, as a skip rather than a failure', async () => {
    const store = noStateStore('Running without saved state (--no-save).');
    expect(store.kind).toBe('none');
    expect(await store.load({ scope: 'accounts/x' })).toEqual({ state: null, notice: 'Running without saved state (--no-save).' });
    const doc = emptyState({ scope: 'accounts/x', filters: '', now: new Date(0) });
    expect(await store.save(doc)).toEqual({ saved: false, skipped: true, reason: 'Running without saved state (--no-save).' });
  });
});
