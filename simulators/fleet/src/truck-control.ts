import { COMMAND_LIMITS, type CommandKind, type CommandParams, type TerminalControl } from '@muckwatch/contracts';

/**
 * What the platform's remote control (apps/api/src/commands) has told one simulated truck's
 * terminal, whichever door the command came through. The truck reads it every second
 * (./truck.ts): locked, it stands still; capped, it never drives faster than the cap; lift
 * inhibited, it does not raise its body.
 */
export class TruckControl {
  locked = false;
  /** The cap in force, km/h, or null. */
  speedLimitKmh: number | null = null;
  liftBlocked = false;
  /** The last text shown on the driver's display. */
  displayText: string | null = null;

  /**
   * Carries out a command; the answer the terminal gives. Bad parameters are refused, never
   * guessed (a cap outside the contract's range, an empty text).
   */
  apply(kind: CommandKind, params: CommandParams): { outcome: 'acknowledged' } | { outcome: 'refused'; detail: string } {
    switch (kind) {
      case 'lock':
        this.locked = true;
        break;
      case 'unlock':
        this.locked = false;
        break;
      case 'speed_cap': {
        const cap = params.speedKmh;
        if (typeof cap !== 'number' || !Number.isFinite(cap) || cap < COMMAND_LIMITS.minSpeedCapKmh || cap > COMMAND_LIMITS.maxSpeedCapKmh) {
          return { outcome: 'refused', detail: `speed cap must be ${COMMAND_LIMITS.minSpeedCapKmh}–${COMMAND_LIMITS.maxSpeedCapKmh} km/h` };
        }
        this.speedLimitKmh = cap;
        break;
      }
      case 'speed_release':
        this.speedLimitKmh = null;
        break;
      case 'lift_inhibit':
        this.liftBlocked = true;
        break;
      case 'lift_release':
        this.liftBlocked = false;
        break;
      case 'display_text': {
        const text = params.text;
        if (typeof text !== 'string' || text.trim() === '') return { outcome: 'refused', detail: 'no text to display' };
        this.displayText = text.slice(0, COMMAND_LIMITS.displayTextLength);
        break;
      }
    }
    return { outcome: 'acknowledged' };
  }

  /** The fix's `control` field: the cap in force, else the terminal's configured limit. */
  report(configuredLimitKmh: number): Required<TerminalControl> {
    return { locked: this.locked, speedLimitKmh: this.speedLimitKmh ?? configuredLimitKmh, liftBlocked: this.liftBlocked };
  }
}
