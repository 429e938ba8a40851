import { describe, expect, it } from 'vitest';
import { absoluteLink } from './share-link';
import { DEFAULT_VIEW, readView } from './view-state';

const range = { fromMs: Date.parse('2026-12-07T10:00:00Z'), toMs: Date.parse('2026-12-07T11:00:00Z') };
const linked = (view: typeof DEFAULT_VIEW) => readView(new URL(absoluteLink(view, range, 'http://logpond', '/')).searchParams);

describe('absoluteLink', () => {
  it('fixes the range, and leaves out a saved search whose relative range it fixed', () => {
    const view = linked({ ...DEFAULT_VIEW, q: 'error', from: 'now-1h', saved: 's1' });
    expect(view).toMatchObject({ q: 'error', from: '2026-12-07T10:00:00.000Z', to: '2026-12-07T11:00:00.000Z', saved: null });
  });

  it('keeps a saved search whose range was fixed already', () => {
    const view = linked({ ...DEFAULT_VIEW, q: 'error', from: '2026-12-07T10:00:00.000Z', to: '2026-12-07T11:00:00.000Z', saved: 's1' });
    expect(view.saved).toBe('s1');
  });
});
