import type { CaseChangedEvent, Violation } from '@muckwatch/contracts';

/** States in which a case waits for the department: the inbox shows these first. */
export const PENDING_STATES = ['assigned', 'returned'] as const;

/** Whether a case is with `department` (the officer's; matched by code or by name). */
export function isForDepartment(violation: Pick<Violation, 'departmentCode' | 'departmentName'>, department: string | null | undefined): boolean {
  if (!department) return false;
  return violation.departmentCode === department || violation.departmentName === department;
}

/** A `case_changed` that puts a case in this department's hands: assigned or reassigned to it, or returned to it. */
export function isNewAssignmentFor(event: Pick<CaseChangedEvent, 'action' | 'violation'>, department: string | null | undefined): boolean {
  return (event.action === 'assign' || event.action === 'reassign' || event.action === 'return') && isForDepartment(event.violation, department);
}

/** The inbox's order: waiting cases first (overdue, then the nearest deadline), then the rest, latest change first. */
export function inboxOrder<T extends Pick<Violation, 'caseState' | 'deadline' | 'overdue' | 'updatedAt'>>(cases: readonly T[]): T[] {
  const pending = (c: T): boolean => (PENDING_STATES as readonly string[]).includes(c.caseState);
  const time = (iso: string | null, missing: number): number => (iso ? Date.parse(iso) : missing);
  return [...cases].sort((a, b) => {
    if (pending(a) !== pending(b)) return pending(a) ? -1 : 1;
    if (pending(a)) {
      if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
      return time(a.deadline, Infinity) - time(b.deadline, Infinity);
    }
    return time(b.updatedAt, 0) - time(a.updatedAt, 0);
  });
}
