import { describe, expect, it } from 'vitest';
import { DomainEvents } from './domain-events.js';

describe('DomainEvents', () => {
  it('delivers a typed payload to every subscriber, and unsubscribes', () => {
    const bus = new DomainEvents();
    const seen: number[] = [];
    const off = bus.subscribe('fixes.committed', ({ count }) => {
      seen.push(count);
    });
    bus.publish('fixes.committed', { count: 3, positions: [] });
    off();
    bus.publish('fixes.committed', { count: 4, positions: [] });
    expect(seen).toEqual([3]);
  });

  it('a failing listener (thrown or rejected) never reaches the publisher, and the others still run', async () => {
    const bus = new DomainEvents();
    const seen: string[] = [];
    bus.subscribe('fixes.committed', () => {
      throw new Error('boom');
    });
    bus.subscribe('fixes.committed', () => Promise.reject(new Error('async boom')));
    bus.subscribe('fixes.committed', ({ count }) => {
      seen.push(String(count));
    });
    expect(() => bus.publish('fixes.committed', { count: 1, positions: [] })).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['1']);
  });
});
