import { describe, expect, it } from 'vitest';
import { auditedSessionRef, sessionRef } from './session-ref.js';

describe('session references in the audit log', () => {
  const id = '64839168-5f06-405f-befe-d01d82dfc4a3';

  it('are stable and opaque: the same session gives the same reference, which does not contain the id', () => {
    expect(sessionRef(id)).toBe(sessionRef(id.toUpperCase()));
    expect(sessionRef(id)).toMatch(/^s-[0-9a-f]{24}$/);
    expect(sessionRef(id)).not.toContain(id.slice(0, 8));
  });

  it('turn an old row\'s session id into the same reference, and leave a reference alone', () => {
    expect(auditedSessionRef(id)).toBe(sessionRef(id));
    expect(auditedSessionRef(sessionRef(id))).toBe(sessionRef(id));
  });
});
