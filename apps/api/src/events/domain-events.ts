import { EventEmitter } from 'node:events';
import { Global, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { PositionRow } from '../ingest/telemetry-message.js';
import type { CaseChangedEvent, RegistryChange, TruckPosition, Violation, ViolationClosedEvent } from '@muckwatch/contracts';

/**
 * Every in-process domain event and its payload, in one place: services publish, listeners
 * subscribe, and neither knows the other (the live gateway, later rankings and notifications
 * listen for what happened rather than being called by whoever made it happen).
 */
export interface DomainEventMap {
  /** The compliance engine opened an episode (after its write committed). */
  'violation.opened': { violation: Violation };
  /** An episode ended, or stored fixes retracted it (`retracted`). */
  'violation.closed': { violation: ViolationClosedEvent };
  /** A person moved a case (or commented on it), after the transaction committed. */
  'case.changed': CaseChangedEvent & {
    /** The department that held the case before, when it changed hands (reassign). */
    previousDepartmentCode: string | null;
  };
  /** A registry write committed. */
  'registry.changed': RegistryChange;
  /** A month's ranking was frozen (month close, revision 1) or corrected (a later revision), after the commit. */
  'ranking.frozen': { month: string; revision: number; methodologyVersion: number; inputsSha256: string; changedTowns: string[] };
  /**
   * Ingest committed fixes (handed to the compliance engine): every stored row, flagged ones
   * included, in commit order. Listeners must not mutate them.
   */
  'fixes.committed': { count: number; positions: readonly PositionRow[] };
  /**
   * The compliance engine stored a trip as closed (it ended at a disposal site its load was
   * meant for), after the write committed. A replay of late fixes may announce the same trip again.
   */
  'trip.closed': TripClosedEvent;
  /**
   * A JT/T 808 terminal's auth code stopped working after the commit: an admin revoked it
   * (`revoked`) or issued a new one (`reissued`). The JT/T 808 gateway closes the terminal's
   * session; the terminal must authenticate again (and, revoked, cannot).
   */
  'jt808.auth_code.revoked': { terminalId: string; reason: 'revoked' | 'reissued'; at: string };
  /** A town's collection point was created or changed (the engine treats active ones as origins). */
  'collection_points.changed': { id: string; at: string };
  /** A session ended or a user changed (disabled, role, password): live connections are checked again. */
  'session.changed': { sessionId: string } | { userId: string };
  /**
   * An instance stored fixes of terminals whose compliance partition another instance owns
   * (compliance/partition-leases.ts): per terminal, the span of fix times stored, for the owner to
   * read and evaluate.
   */
  'fixes.stored': { from: string; terminals: Array<[terminalId: string, fromMs: number, toMs: number]> };
  /** The live map's batch of positions (newest per truck), ready for the consoles. */
  'live.positions': { positions: TruckPosition[] };
}

/**
 * The events every API instance hears, wherever they happened (ClusterBus carries them over
 * PostgreSQL LISTEN/NOTIFY): what changes an instance's caches, its consoles or its terminals'
 * sessions. The others stay on the instance that produced them, because their listeners write
 * (`trip.closed` fulfils collection requests, `fixes.committed` drives control policies): run on
 * every instance they would write twice.
 */
export const CROSS_INSTANCE_EVENTS = [
  'registry.changed',
  'collection_points.changed',
  'jt808.auth_code.revoked',
  'violation.opened',
  'violation.closed',
  'case.changed',
  'ranking.frozen',
  'session.changed',
  'live.positions',
  'fixes.stored',
] as const satisfies readonly DomainEventName[];
export type CrossInstanceEventName = (typeof CROSS_INSTANCE_EVENTS)[number];
const CROSS_INSTANCE = new Set<string>(CROSS_INSTANCE_EVENTS);

export interface TripClosedEvent {
  tripId: string;
  terminalId: string;
  truckId: string | null;
  /** ISO 8601 UTC. */
  startedAt: string;
  endedAt: string;
  destinationId: string | null;
  originKind: 'construction-site' | 'collection-point' | null;
  originId: string | null;
}

export type DomainEventName = keyof DomainEventMap;
export type DomainEventListener<K extends DomainEventName> = (payload: DomainEventMap[K]) => void | Promise<void>;

/**
 * A small typed bus over node:events. `publish` never throws into the publisher: a listener's
 * error (thrown or a rejected promise) is logged and the other listeners still run. Listeners run
 * synchronously in subscription order; an async listener's work continues after `publish` returns.
 * Events in CROSS_INSTANCE_EVENTS also go to the relay (ClusterBus), which hands them to the other
 * instances; what arrives from them is delivered here with `deliverRemote`, to the local listeners only.
 */
@Injectable()
export class DomainEvents implements OnApplicationShutdown {
  private readonly logger = new Logger('DomainEvents');
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  private relay: (<K extends CrossInstanceEventName>(name: K, payload: DomainEventMap[K]) => void) | null = null;

  publish<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    this.deliver(name, payload);
    if (this.relay && CROSS_INSTANCE.has(name)) {
      try {
        this.relay(name as CrossInstanceEventName, payload as DomainEventMap[CrossInstanceEventName]);
      } catch (error) {
        this.failed(`${name} (relay)`, error);
      }
    }
  }

  /** An event another instance published: to this instance's listeners, never relayed again. */
  deliverRemote<K extends CrossInstanceEventName>(name: K, payload: DomainEventMap[K]): void {
    if (CROSS_INSTANCE.has(name)) this.deliver(name, payload);
  }

  /** The cluster bus: receives every cross-instance event published here. */
  setRelay(relay: (<K extends CrossInstanceEventName>(name: K, payload: DomainEventMap[K]) => void) | null): void {
    this.relay = relay;
  }

  private deliver<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    for (const listener of this.emitter.listeners(name) as Array<DomainEventListener<K>>) {
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.catch((error: unknown) => this.failed(name, error));
      } catch (error) {
        this.failed(name, error);
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe<K extends DomainEventName>(name: K, listener: DomainEventListener<K>): () => void {
    this.emitter.on(name, listener);
    return () => {
      this.emitter.off(name, listener);
    };
  }

  onApplicationShutdown(): void {
    this.emitter.removeAllListeners();
  }

  private failed(name: string, error: unknown): void {
    this.logger.error(`listener of ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

@Global()
@Module({ providers: [DomainEvents], exports: [DomainEvents] })
export class DomainEventsModule {}
