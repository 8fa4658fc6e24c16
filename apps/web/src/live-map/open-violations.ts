import type { Violation } from '@muckwatch/contracts';

/**
 * Which terminals have an open violation: the open violations read at connect, then each
 * `violation_opened` / `violation_closed` (a retracted one closes too).
 */
export class OpenViolations {
  /** violation id → terminal id */
  private readonly open = new Map<string, string>();
  private cached: ReadonlySet<string> | null = null;

  /** Replaces what is known with the API's list of open violations. */
  reset(violations: readonly Pick<Violation, 'id' | 'terminalId' | 'status'>[]): void {
    this.open.clear();
    for (const v of violations) if (v.status === 'open') this.open.set(v.id, v.terminalId);
    this.cached = null;
  }

  /** One violation's news; true when the set of terminals may have changed. */
  apply(violation: Pick<Violation, 'id' | 'terminalId' | 'status'> & { retracted?: boolean }): boolean {
    const isOpen = violation.status === 'open' && violation.retracted !== true;
    const was = this.open.has(violation.id);
    if (isOpen === was) return false;
    if (isOpen) this.open.set(violation.id, violation.terminalId);
    else this.open.delete(violation.id);
    this.cached = null;
    return true;
  }

  terminals(): ReadonlySet<string> {
    this.cached ??= new Set(this.open.values());
    return this.cached;
  }
}
