import { Injectable, Logger } from '@nestjs/common';
import type { CommandKind, CommandParams } from '@muckwatch/contracts';

/** One attempt of a command as a door sends it. */
export interface DeliverableCommand {
  id: string;
  terminalId: string;
  kind: CommandKind;
  params: CommandParams;
  issuedAt: string;
  expiresAt: string | null;
  attempt: number;
}

export type CommandAnswer = { outcome: 'acknowledged' } | { outcome: 'refused' | 'unsupported' | 'failed'; detail: string };

/**
 * A way to a terminal: MQTT (mqtt-command-door.ts) or JT/T 808 (apps/api/src/jt808). The commands
 * service decides what to send and when, and records it; a door only carries one attempt and
 * brings back the terminal's answer.
 */
export interface CommandDoor {
  readonly name: 'mqtt' | 'jt808';
  /** Whether this door can reach the terminal now. */
  reachable(terminalId: string): boolean;
  /** Sends one attempt; resolves with the terminal's answer, rejects (Error) when no answer came within `timeoutMs`. */
  send(command: DeliverableCommand, timeoutMs: number): Promise<CommandAnswer>;
}

/**
 * The registered doors. A door registers itself when it starts (and calls the returned function
 * when it stops), and calls `terminalReachable` when a terminal comes (back) online, so its
 * pending commands are delivered at once.
 */
@Injectable()
export class CommandDoors {
  private readonly logger = new Logger('CommandDoors');
  private readonly doors: CommandDoor[] = [];
  private listener: ((terminalId: string) => void) | null = null;

  register(door: CommandDoor): () => void {
    this.doors.push(door);
    this.logger.log(`command door ${door.name} registered`);
    return () => {
      const at = this.doors.indexOf(door);
      if (at >= 0) this.doors.splice(at, 1);
    };
  }

  /** A door calls this when a terminal comes (back) online: deliver its pending commands. */
  terminalReachable(terminalId: string): void {
    this.listener?.(terminalId);
  }

  /** The first registered door that reaches the terminal now, or null. */
  doorFor(terminalId: string): CommandDoor | null {
    return this.doors.find((door) => door.reachable(terminalId)) ?? null;
  }

  /** The commands service listens here (one listener). */
  onTerminalReachable(listener: (terminalId: string) => void): void {
    this.listener = listener;
  }
}
