import { describe, expect, it } from 'vitest';
import { ResendWindow } from './resend-window';

const stored = (accepted: number) => () => Promise.resolve({ accepted, duplicates: 0 });

describe('ResendWindow', () => {
  it('answers a resend within the window as its first, storing nothing, and stores it again after', async () => {
    let now = 0;
    const window = new ResendWindow(60_000, 100, () => now);
    const digest = ResendWindow.digestOf(['otlp-proto', 'identity', new Uint8Array([1, 2, 3])]);
    let stores = 0;
    const store = () => {
      stores++;
      return stored(5)();
    };
    expect(await window.once(digest, store)).toEqual({ result: { accepted: 5, duplicates: 0 }, resent: false });
    now = 59_999;
    expect(await window.once(digest, store)).toEqual({ result: { accepted: 0, duplicates: 5 }, resent: true });
    expect(stores).toBe(1);
    now = 120_000;
    expect((await window.once(digest, store)).resent).toBe(false);
    expect(stores).toBe(2);
  });

  it('makes a resend that arrives while the first is storing wait for it', async () => {
    const window = new ResendWindow();
    let finish!: (r: { accepted: number; duplicates: number }) => void;
    const first = window.once('d', () => new Promise((resolve) => (finish = resolve)));
    const second = window.once('d', stored(99));
    finish({ accepted: 7, duplicates: 0 });
    expect(await first).toEqual({ result: { accepted: 7, duplicates: 0 }, resent: false });
    expect(await second).toEqual({ result: { accepted: 0, duplicates: 7 }, resent: true });
  });

  it('forgets a request that failed, so its resend is stored', async () => {
    const window = new ResendWindow();
    const failing = window.once('d', () => Promise.reject(new Error('storage unavailable')));
    const resend = window.once('d', stored(3));
    await expect(failing).rejects.toThrow('storage unavailable');
    expect(await resend).toEqual({ result: { accepted: 3, duplicates: 0 }, resent: false });
  });

  it('tells different bodies, formats and encodings apart', () => {
    const body = new Uint8Array([1, 2]);
    const digests = new Set([
      ResendWindow.digestOf(['otlp-proto', 'identity', body]),
      ResendWindow.digestOf(['otlp-json', 'identity', body]),
      ResendWindow.digestOf(['otlp-proto', 'gzip', body]),
      ResendWindow.digestOf(['otlp-proto', 'identity', new Uint8Array([1, 3])]),
    ]);
    expect(digests.size).toBe(4);
  });

  it('keeps at most its bound of digests, forgetting the oldest', async () => {
    const window = new ResendWindow(60_000, 3);
    for (const d of ['a', 'b', 'c', 'd']) await window.once(d, stored(1));
    expect(window.size).toBe(3);
    expect((await window.once('a', stored(1))).resent).toBe(false);
    expect((await window.once('d', stored(1))).resent).toBe(true);
  });
});
