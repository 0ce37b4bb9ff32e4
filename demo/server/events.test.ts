import { describe, expect, it } from 'vitest';
import { type DemoEvent, eventLog } from './events.js';

const event = (at: number): DemoEvent => ({
  source: 'session',
  type: 'rotated',
  at,
  sid: 'sid',
  userId: 'demo',
});

describe('eventLog', () => {
  it('keeps events oldest first until it is full', () => {
    const log = eventLog(3);
    log.push(event(1));
    log.push(event(2));
    expect(log.list().map((e) => e.at)).toEqual([1, 2]);
  });

  it('drops the oldest events once full, keeping order', () => {
    const log = eventLog(3);
    for (let at = 1; at <= 7; at++) log.push(event(at));
    expect(log.list().map((e) => e.at)).toEqual([5, 6, 7]);
  });

  it('hands out copies, so a caller cannot rewrite the log', () => {
    const log = eventLog(2);
    log.push(event(1));
    log.list().pop();
    expect(log.list()).toHaveLength(1);
  });
});
