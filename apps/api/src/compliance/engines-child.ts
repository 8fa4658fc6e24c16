import type { ComplianceRules } from '@muckwatch/domain';
import { ComplianceEngines } from './compliance-engines.js';
import type { EngineCall, EngineMethod, EngineReply, WireArgs } from './engines-process.js';
import { decodeFixes } from './fix-columns.js';

/**
 * The child process of engines-process.ts: one ComplianceEngines, one call at a time, over the IPC
 * channel. It ends with the channel (the API closed it, or the API is gone).
 *
 * It ignores SIGINT and SIGTERM. Ctrl-C in a terminal (and `kill -- -pgid`) signals the whole
 * process group, this child included; the API stops on the signal and still needs this process to
 * hand over every engine's state for the shutdown checkpoint (ComplianceService
 * .beforeApplicationShutdown), then closes the channel, which ends it. A killed API closes the
 * channel too, so the child never outlives it. (Kept in the API's process group rather than
 * detached: job control and a group-wide SIGKILL still reach it.)
 */
const send = process.send?.bind(process);
if (!send) throw new Error('engines-child.ts runs as a child process of the API (engines-process.ts)');
const rules = JSON.parse(process.env['COMPLIANCE_ENGINE_RULES'] ?? 'null') as ComplianceRules | null;
if (!rules) throw new Error('engines-child.ts: COMPLIANCE_ENGINE_RULES is not set');
const engines = new ComplianceEngines(rules);

const handlers: { [M in EngineMethod]: (args: WireArgs[M]) => ReturnType<ComplianceEngines[M]> } = {
  setFacts: (args) => engines.setFacts(...args),
  restore: (args) => engines.restore(...args),
  evaluate: ([columns]) => engines.evaluate(decodeFixes(columns)),
  replay: (args) => engines.replay(...args),
  tick: (args) => engines.tick(...args),
  unsavedStates: () => engines.unsavedStates(),
  release: (args) => engines.release(...args),
  terminalIds: () => engines.terminalIds(),
};

process.on('message', ({ id, method, args }: EngineCall) => {
  let reply: EngineReply;
  try {
    const handler = handlers[method] as (args: unknown[]) => unknown;
    reply = { id, result: handler(args) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  send(reply);
});
process.on('disconnect', () => process.exit(0));
// An API killed while this process was starting: the channel is closed already, no 'disconnect' comes.
if (!process.connected) process.exit(0);
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
