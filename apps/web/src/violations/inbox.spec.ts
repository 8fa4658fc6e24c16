import { describe, expect, it } from 'vitest';
import { inboxOrder, isNewAssignmentFor } from './inbox.js';

const c = (id: string, caseState: string, deadline: string | null, overdue = false, updatedAt = '2026-12-01T00:00:00Z') =>
  ({ id, caseState, deadline, overdue, updatedAt }) as never as { id: string; caseState: 'assigned'; deadline: string | null; overdue: boolean; updatedAt: string };

describe('the enforcement inbox', () => {
  it('puts waiting cases first, overdue ones on top, then by the nearest deadline; handled ones after, latest first', () => {
    const list = [
      c('handled-old', 'handled', null, false, '2026-12-01T00:00:00Z'),
      c('later', 'assigned', '2026-12-09T00:00:00Z'),
      c('handled-new', 'closed', null, false, '2026-12-03T00:00:00Z'),
      c('sooner', 'returned', '2026-12-06T00:00:00Z'),
      c('late', 'assigned', '2026-12-04T00:00:00Z', true),
    ];
    expect(inboxOrder(list).map((x) => x.id)).toEqual(['late', 'sooner', 'later', 'handled-new', 'handled-old']);
  });

  it('notices a case newly assigned, reassigned or returned to the officer’s department, by code or name', () => {
    const violation = { departmentCode: 'traffic-police', departmentName: '交警大队' } as never;
    expect(isNewAssignmentFor({ action: 'assign', violation }, 'traffic-police')).toBe(true);
    expect(isNewAssignmentFor({ action: 'reassign', violation }, '交警大队')).toBe(true);
    expect(isNewAssignmentFor({ action: 'return', violation }, 'traffic-police')).toBe(true);
    expect(isNewAssignmentFor({ action: 'handle', violation }, 'traffic-police')).toBe(false);
    expect(isNewAssignmentFor({ action: 'assign', violation }, 'ecology')).toBe(false);
    expect(isNewAssignmentFor({ action: 'assign', violation }, null)).toBe(false);
  });
});
