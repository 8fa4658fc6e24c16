import { describe, expect, it } from 'vitest';
import { OpenViolations } from './open-violations.js';

describe('which trucks have an open violation', () => {
  it('follows the list read at connect, then each opened, closed or retracted violation', () => {
    const open = new OpenViolations();
    open.reset([
      { id: 'a/overspeed/1', terminalId: 'a', status: 'open' },
      { id: 'b/off_route/1', terminalId: 'b', status: 'closed' },
    ]);
    expect([...open.terminals()]).toEqual(['a']);

    expect(open.apply({ id: 'b/off_route/2', terminalId: 'b', status: 'open' })).toBe(true);
    expect(open.apply({ id: 'b/off_route/2', terminalId: 'b', status: 'open' })).toBe(false);
    expect([...open.terminals()].sort()).toEqual(['a', 'b']);

    // Two open violations of one truck: closing one leaves it listed.
    open.apply({ id: 'a/unsealed_transport/5', terminalId: 'a', status: 'open' });
    open.apply({ id: 'a/overspeed/1', terminalId: 'a', status: 'closed' });
    expect(open.terminals().has('a')).toBe(true);

    open.apply({ id: 'b/off_route/2', terminalId: 'b', status: 'open', retracted: true });
    expect([...open.terminals()]).toEqual(['a']);
  });
});
