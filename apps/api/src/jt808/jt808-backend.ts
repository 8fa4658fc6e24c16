import type { FixRejection, TerminalModelMapping } from '@muckwatch/contracts';
import type { CheckedFixes } from '../ingest/fix-pipeline.js';
import type { MessageOrigin } from '../ingest/telemetry-message.js';

/** What a terminal that authenticated is known as. */
export interface Jt808Terminal {
  terminalId: string;
  /** Its model's mapping: how to read cover, body and load, and how commands go down. */
  mapping: TerminalModelMapping;
}

export type RegisterOutcome = { ok: true; terminalId: string; authCode: string } | { ok: false; result: 1 | 2 | 3 | 4; reason: string };
export type AuthenticateOutcome = { ok: true; terminal: Jt808Terminal } | { ok: false; reason: string };

/**
 * Everything a JT/T 808 connection needs from the platform: the registry (registration and
 * authentication), the fix pipeline, and the command records. The connection itself knows only
 * bytes and this interface (jt808-connection.ts), so its tests run it against a real pipeline
 * or a recording backend alike.
 */
export interface Jt808Backend {
  register(phone: string, info: { makerId: string; model: string; terminalId: string; plate: string }): Promise<RegisterOutcome>;
  authenticate(phone: string, authCode: string): Promise<AuthenticateOutcome>;
  /** Resolves once committed (the 0x8001 waits for it). */
  fixes(origin: MessageOrigin & { terminalId: string }, raw: string, checked: CheckedFixes): Promise<void>;
  /** Records a refused frame or message; resolves once committed. */
  refusal(origin: MessageOrigin, rejection: FixRejection, raw: string): Promise<void>;
  liveness(origin: MessageOrigin & { terminalId: string }, liveness: 'online' | 'offline'): Promise<void>;
}
