import {
  COMMAND_LIMITS,
  RESTRICTING_KINDS,
  type CommandKind,
  type CommandRequest,
  type CommandState,
  type Role,
  type TerminalCommandRecord,
} from '@muckwatch/contracts';

/** Who reads a truck's commands, and who sends them (apps/api/src/commands/commands.service.ts). */
export const COMMAND_READERS: readonly Role[] = ['admin', 'dispatcher', 'auditor'];
export const COMMAND_SENDERS: readonly Role[] = ['admin', 'dispatcher'];

/** The kinds a dispatcher picks from (releases go through each restriction's own button). */
export const SENDABLE_KINDS = ['lock', 'speed_cap', 'lift_inhibit', 'display_text', 'unlock', 'speed_release', 'lift_release'] as const satisfies readonly CommandKind[];

/** Element Plus tag type of a state. */
export function stateTagType(state: CommandState): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  switch (state) {
    case 'acknowledged':
      return 'success';
    case 'sent':
      return 'primary';
    case 'pending':
      return 'warning';
    case 'refused':
    case 'unsupported':
    case 'failed':
    case 'timed_out':
      return 'danger';
    default:
      return 'info';
  }
}

/** A restriction still in force: a release button is offered. */
export function releasable(command: TerminalCommandRecord): boolean {
  return (RESTRICTING_KINDS as readonly string[]).includes(command.kind) && command.releasedAt === null && ['pending', 'sent', 'acknowledged'].includes(command.state);
}

/** Still to be settled by the terminal: the list keeps refreshing while any is. */
export function unsettled(commands: readonly TerminalCommandRecord[]): boolean {
  return commands.some((c) => c.state === 'pending' || c.state === 'sent');
}

export interface CommandForm {
  kind: CommandKind;
  speedKmh: number | null;
  text: string;
  reason: string;
}

export function emptyCommandForm(): CommandForm {
  return { kind: 'lock', speedKmh: 30, text: '', reason: '' };
}

/** The request of a filled form, or the field that is missing or out of bounds (for the message). */
export function commandRequest(form: CommandForm): CommandRequest | { invalid: 'reason' | 'speedKmh' | 'text' } {
  const reason = form.reason.trim();
  if (!reason || reason.length > COMMAND_LIMITS.reasonLength) return { invalid: 'reason' };
  if (form.kind === 'speed_cap') {
    const speed = form.speedKmh;
    if (speed === null || !Number.isInteger(speed) || speed < COMMAND_LIMITS.minSpeedCapKmh || speed > COMMAND_LIMITS.maxSpeedCapKmh) return { invalid: 'speedKmh' };
    return { kind: form.kind, params: { speedKmh: speed }, reason };
  }
  if (form.kind === 'display_text') {
    const text = form.text.trim();
    if (!text || text.length > COMMAND_LIMITS.displayTextLength) return { invalid: 'text' };
    return { kind: form.kind, params: { text }, reason };
  }
  return { kind: form.kind, reason };
}
