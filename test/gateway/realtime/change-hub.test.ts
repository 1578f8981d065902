import { changeEvent } from '../../../src/events';
import { ChangeHub } from '../../../src/gateway/realtime/change-hub';

function delivered(orderId: string, n: number) {
  return changeEvent('order.status-changed', '2018-09-01 10:00:00', { orderId, status: `s${n}`, field: null, at: null });
}

describe('ChangeHub back-pressure', () => {
  it('keeps a slow subscriber to its buffer: the oldest changes are dropped and counted, the newest kept in order', async () => {
    const hub = new ChangeHub({ bufferSize: 3 });
    const slow = hub.subscribe(() => true);
    for (let n = 0; n < 10; n++) hub.publish(delivered('o1', n));
    expect(hub.stats()).toEqual({ subscribers: 1, published: 10, dropped: 7 });
    const read: (string | null)[] = [];
    for (let i = 0; i < 3; i++) read.push((await slow.next()).value.status);
    expect(read).toEqual(['s7', 's8', 's9']);
    await slow.return!();
    expect(hub.stats().subscribers).toBe(0);
  });

  it('hands a waiting subscriber each change at once, and only those it accepts', async () => {
    const hub = new ChangeHub({ bufferSize: 1 });
    const onlyO2 = hub.subscribe((change) => change.orderId === 'o2');
    const pending = onlyO2.next();
    hub.publish(delivered('o1', 1));
    hub.publish(delivered('o2', 2));
    expect((await pending).value.status).toBe('s2');
    expect(hub.stats().dropped).toBe(0);
  });
});
