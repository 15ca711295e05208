import { describe, expect, it, vi } from 'vitest';
import type { Database } from './db.js';
import { addressedTo, type BusEvent, EventBus, type EventFilter } from './events.js';

const ME = '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b';
const filter: EventFilter = { userId: ME, scopePath: 'cn.cq.yz.qxg', can: (p) => p === 'visits.read' };
const ev = (e: Partial<BusEvent>): BusEvent => ({
  channel: 'board',
  type: 'board.changed',
  userIds: [],
  unitPath: null,
  permission: null,
  data: {},
  ...e,
});

describe('addressedTo', () => {
  it('takes events addressed to the user or to a unit inside their scope, and nothing else', () => {
    expect(addressedTo(ev({ userIds: [ME] }), filter)).toBe(true);
    expect(addressedTo(ev({ userIds: ['someone-else'] }), filter)).toBe(false);
    expect(addressedTo(ev({ unitPath: 'cn.cq.yz.qxg' }), filter)).toBe(true);
    expect(addressedTo(ev({ unitPath: 'cn.cq.yz.qxg.xlj' }), filter)).toBe(true);
    expect(addressedTo(ev({ unitPath: 'cn.cq.yz.qxgx' }), filter)).toBe(false);
    expect(addressedTo(ev({ unitPath: 'cn.cq.yz.jfb' }), filter)).toBe(false);
    expect(addressedTo(ev({ unitPath: 'cn.cq.yz' }), filter)).toBe(false); // above the scope
    expect(addressedTo(ev({ unitPath: 'cn.cq.yz.jfb' }), { ...filter, scopePath: null })).toBe(true); // whole network
    expect(addressedTo(ev({ unitPath: 'cn.cq.yz.qxg' }), { ...filter, scopePath: '__none__' })).toBe(false);
    expect(addressedTo(ev({ userIds: [ME], permission: 'visits.read' }), filter)).toBe(true);
    expect(addressedTo(ev({ userIds: [ME], permission: 'audit.read' }), filter)).toBe(false);
    expect(addressedTo(ev({ userIds: [ME] }), { ...filter, channels: ['notifications'] })).toBe(false);
  });
});

describe('EventBus', () => {
  it('reconnects after the listening connection is lost or refused, tells subscribers to resync, and stops at close', async () => {
    let calls = 0;
    let stopped = 0;
    let current: { onPayload: (p: string) => void; lost: (e: Error) => void } | null = null;
    const database = {
      listen: async (_channel: string, onPayload: (p: string) => void, lost: (e: Error) => void) => {
        calls++;
        if (calls === 2) throw new Error('connection refused');
        current = { onPayload, lost };
        return async () => {
          stopped++;
        };
      },
    } as unknown as Database;
    const logs: string[] = [];
    const bus = new EventBus(database, (m) => logs.push(m));
    const got: BusEvent[] = [];
    let resyncs = 0;
    let closed = 0;
    const payload = (u: string[]) =>
      JSON.stringify({ c: 'notifications', t: 'notification.created', u, p: null, r: null, d: { id: 'n1' } });
    bus.subscribe(filter, { event: (e) => got.push(e), resync: () => resyncs++, closed: () => closed++ });
    await bus.ready();
    current!.onPayload(payload([ME]));
    current!.onPayload(payload(['someone-else']));
    current!.onPayload('not json');
    expect(got.map((e) => e.data.id)).toEqual(['n1']);

    current!.lost(new Error('terminated by administrator'));
    // first retry (0.5 s) is refused, the second (1 s later) listens again
    await vi.waitFor(() => expect(resyncs).toBe(1), { timeout: 5000, interval: 50 });
    expect(calls).toBe(3);
    expect(logs.length).toBe(2);
    current!.onPayload(payload([ME]));
    expect(got.length).toBe(2);

    await bus.close();
    expect(stopped).toBe(1);
    expect(closed).toBe(1);
    expect(bus.subscribers).toBe(0);
    await expect(bus.ready()).rejects.toThrow('closed');
  });
});
