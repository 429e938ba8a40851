import { describe, expect, it } from 'vitest';
import { OverloadedError } from '../errors';
import { ReadGate } from './read-gate';

const never = () => new AbortController().signal;

describe('ReadGate', () => {
  it('lets `concurrency` reads run and the next waiting one in as each ends, in order', async () => {
    const gate = new ReadGate(2, 3);
    const first = await gate.enter(never());
    await gate.enter(never());
    const order: number[] = [];
    const waiting = [3, 4, 5].map((n) => gate.enter(never()).then((release) => (order.push(n), release)));
    expect(gate.counts()).toEqual({ running: 2, queued: 3, rejected: 0 });
    first();
    first(); // a second release of the same turn frees nothing
    const third = await waiting[0];
    expect(order).toEqual([3]);
    expect(gate.counts()).toEqual({ running: 2, queued: 2, rejected: 0 });
    third();
    await waiting[1];
    expect(order).toEqual([3, 4]);
  });

  it('refuses a read past the queue with OverloadedError, unless it must wait', async () => {
    const gate = new ReadGate(1, 1);
    await gate.enter(never());
    void gate.enter(never());
    const refused = gate.enter(never());
    await expect(refused).rejects.toBeInstanceOf(OverloadedError);
    await expect(refused).rejects.toMatchObject({ status: 503, code: 'overloaded', retryAfterSeconds: 1 });
    void gate.enter(never(), { wait: true });
    expect(gate.counts()).toEqual({ running: 1, queued: 2, rejected: 1 });
  });

  it('takes a read stopped while it waits out of the queue, with the reason it was stopped', async () => {
    const gate = new ReadGate(1, 2);
    const release = await gate.enter(never());
    const stop = new AbortController();
    const stopped = gate.enter(stop.signal);
    const next = gate.enter(never());
    stop.abort(new Error('client left'));
    await expect(stopped).rejects.toThrow('client left');
    expect(gate.counts()).toEqual({ running: 1, queued: 1, rejected: 0 });
    release();
    await next;
    expect(gate.counts()).toEqual({ running: 1, queued: 0, rejected: 0 });
  });

  it('tells when reads come to wait for a turn, and when none waits any more', async () => {
    const told: boolean[] = [];
    const gate = new ReadGate(2, 2, (crowded) => told.push(crowded));
    const first = await gate.enter(never());
    const second = await gate.enter(never());
    expect(told).toEqual([]);
    const stop = new AbortController();
    const waiting = gate.enter(stop.signal);
    expect(told).toEqual([true]);
    stop.abort(new Error('client left'));
    await expect(waiting).rejects.toThrow('client left');
    expect(told).toEqual([true, false]);
    const next = gate.enter(never());
    first();
    await next;
    expect(told).toEqual([true, false, true, false]);
    second();
    expect(told).toEqual([true, false, true, false]);
  });

  it('refuses a read stopped before it asks', async () => {
    const stop = new AbortController();
    stop.abort(new Error('gone'));
    await expect(new ReadGate(1, 1).enter(stop.signal)).rejects.toThrow('gone');
  });
});
