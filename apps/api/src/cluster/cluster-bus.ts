import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { APPLICATION_NAME, PG_POOL } from '../database/database.module.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { CROSS_INSTANCE_EVENTS, DomainEvents, type CrossInstanceEventName, type DomainEventMap } from '../events/domain-events.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { clusterChannel, isDeliverable, splitMessage, MessageAssembler, type WireMessage } from './cluster-wire.js';


/** Messages waiting to be sent (the database away): beyond this the oldest are dropped and counted. */
const MAX_QUEUED = 20_000;
/** Listening again soon: while not listening, this instance misses the others' events (health says so). */
/** Positions per `live.positions` event on the wire (~0.6 MB, well under the bus's 1.8 MB a message). */
const LIVE_POSITIONS_PER_EVENT = 2_000;
const RECONNECT_MS = [250, 500, 1_000, 2_000];

/**
 * Carries the cross-instance domain events (CROSS_INSTANCE_EVENTS: registry and session changes,
 * alarms, case changes, the live map's positions, auth-code revocations) between the API instances
 * of one database over PostgreSQL LISTEN/NOTIFY, so a change made on one instance is live on all
 * within a moment and a console connected to any instance sees every truck and every alarm.
 *
 * NOTIFY is what PostgreSQL already offers every instance: no broker feature, no extra service. It
 * delivers to the sessions listening at the time, in commit order, at most 8,000 bytes a payload:
 * larger events go in parts and are put together again (cluster-wire.ts). An instance whose
 * listening connection drops reconnects and counts what it may have missed as lost: these events
 * refresh caches and consoles, which also re-read from the database (the consoles' periodic
 * session recheck, the registry's reload at the next change).
 *
 * Off with the embedded database (one process by construction).
 */
@Injectable()
export class ClusterBus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ClusterBus');
  /** This process: its own notifications come back to it and are skipped. */
  readonly processId = randomUUID();
  private listener: pg.Client | null = null;
  private stopped = false;
  private reconnects = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private queue: string[] = [];
  private sending = false;
  private sequence = 0;
  private readonly assembler = new MessageAssembler();
  private connected = false;
  private readonly channel: string;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly events: DomainEvents,
    private readonly metrics: MetricsService,
  ) {
    this.channel = clusterChannel(config.clusterName);
  }

  private readonly resyncListeners = new Set<() => void>();

  /**
   * Called when this instance listens again after its listening connection was lost: whatever
   * keeps state from events (registry facts, fixes stored by others) re-reads it from the database.
   */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  get enabled(): boolean {
    return this.config.database.kind === 'external';
  }

  /** For health: whether this instance hears the others. */
  status(): { enabled: boolean; listening: boolean; processId: string } {
    return { enabled: this.enabled, listening: this.connected, processId: this.processId };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    this.events.setRelay((name, payload) => this.send(name, payload));
    await this.listen().catch((error: unknown) => {
      this.logger.warn(`listening failed, retrying: ${String(error)}`);
      this.scheduleReconnect();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.events.setRelay(null);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.flushQueue().catch(() => undefined);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  private send<K extends CrossInstanceEventName>(name: K, payload: DomainEventMap[K]): void {
    if (this.stopped) return;
    // A city's live batch (11,000 trucks) is megabytes: it crosses as several events of a bounded size.
    if (name === 'live.positions') {
      const { positions } = payload as DomainEventMap['live.positions'];
      if (positions.length > LIVE_POSITIONS_PER_EVENT) {
        for (let i = 0; i < positions.length; i += LIVE_POSITIONS_PER_EVENT) this.enqueue(name, { positions: positions.slice(i, i + LIVE_POSITIONS_PER_EVENT) });
        return;
      }
    }
    this.enqueue(name, payload);
  }

  private enqueue(name: CrossInstanceEventName, payload: unknown): void {
    this.sequence += 1;
    let parts: string[];
    try {
      parts = splitMessage({ from: this.processId, seq: this.sequence, name, payload });
    } catch (error) {
      this.metrics.clusterEvents.inc({ direction: 'dropped' });
      this.logger.warn(`an event too large for the cluster bus was not sent: ${String(error)}`);
      return;
    }
    for (const part of parts) this.queue.push(part);
    if (this.queue.length > MAX_QUEUED) {
      const dropped = this.queue.length - MAX_QUEUED;
      this.queue.splice(0, dropped);
      this.metrics.clusterEvents.inc({ direction: 'dropped' }, dropped);
      this.logger.warn(`dropped ${dropped} queued cluster messages: the database is not taking them`);
    }
    void this.flushQueue();
  }

  /** Sends what is queued, in order: one statement per batch (notifications keep their order within it). */
  private async flushQueue(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, 200);
        try {
          await this.pool.query(`SELECT pg_notify($1, m) FROM unnest($2::text[]) WITH ORDINALITY AS t(m, i) ORDER BY i`, [this.channel, batch]);
        } catch (error) {
          this.logger.warn(`sending cluster events failed, retrying: ${String(error)}`);
          await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
          if (this.stopped) return;
          continue;
        }
        this.queue.splice(0, batch.length);
        this.metrics.clusterEvents.inc({ direction: 'sent' }, batch.length);
      }
    } finally {
      this.sending = false;
    }
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.infra.databaseUrl, application_name: `${APPLICATION_NAME}-cluster`, keepAlive: true });
    client.on('error', (error) => {
      this.logger.warn(`listening connection failed: ${error.message}`);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload) this.received(message.payload);
    });
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.listener = client;
    this.connected = true;
    const missed = this.reconnects > 0;
    this.reconnects = 0;
    if (missed) {
      this.logger.log('listening again: events the other instances sent meanwhile were missed; catching up');
      for (const listener of this.resyncListeners) {
        try {
          listener();
        } catch (error) {
          this.logger.warn(`catching up failed: ${String(error)}`);
        }
      }
    }
  }

  private lost(client: pg.Client): void {
    if (this.listener !== client) return;
    this.listener = null;
    this.connected = false;
    if (!this.stopped) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = RECONNECT_MS[Math.min(this.reconnects, RECONNECT_MS.length - 1)]!;
    this.reconnects += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().catch((error: unknown) => {
        this.logger.warn(`listening failed, retrying: ${String(error)}`);
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  private received(text: string): void {
    let message: WireMessage | null;
    try {
      message = this.assembler.accept(text, this.processId, Date.now());
    } catch (error) {
      this.metrics.clusterEvents.inc({ direction: 'dropped' });
      this.logger.warn(`a malformed cluster message was dropped: ${String(error)}`);
      return;
    }
    if (!message) return;
    if (!isDeliverable(message, CROSS_INSTANCE_EVENTS)) {
      this.metrics.clusterEvents.inc({ direction: 'dropped' });
      this.logger.warn(`a cluster message that is not a known event in its shape was dropped: ${message.name.slice(0, 100)}`);
      return;
    }
    this.metrics.clusterEvents.inc({ direction: 'received' });
    this.events.deliverRemote(message.name as CrossInstanceEventName, message.payload as never);
  }
}
