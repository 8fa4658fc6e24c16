import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of this API instance (one registry per instance, served at /metrics). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly messages = new Counter({
    name: 'muckwatch_ingest_messages_total',
    help: 'Broker messages handled by ingest, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly fixes = new Counter({
    name: 'muckwatch_ingest_fixes_total',
    help: 'Fixes committed: stored (new) or duplicate (already stored, e.g. broker redelivery)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly rejections = new Counter({
    name: 'muckwatch_ingest_rejections_total',
    help: 'Messages or fixes refused and recorded, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly batchFixes = new Histogram({
    name: 'muckwatch_ingest_batch_fixes',
    help: 'Fixes per group commit',
    buckets: [1, 5, 10, 50, 100, 500, 1000, 2000, 5000, 10000, 20000],
    registers: [this.registry],
  });

  readonly commitSeconds = new Histogram({
    name: 'muckwatch_ingest_commit_seconds',
    help: 'Duration of one group commit',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly commitFailures = new Counter({
    name: 'muckwatch_ingest_commit_failures_total',
    help: 'Group commits that failed and will be retried',
    registers: [this.registry],
  });

  readonly isolated = new Counter({
    name: 'muckwatch_ingest_isolated_total',
    help: 'Messages the database refused even on their own: recorded as rejected (reason unstorable) so the rest commit',
    registers: [this.registry],
  });

  readonly brokerRefusals = new Counter({
    name: 'muckwatch_broker_refusals_total',
    help: 'Connections, publishes and subscriptions the embedded broker refused, by kind and whether recorded (rate-limited)',
    labelNames: ['kind', 'recorded'] as const,
    registers: [this.registry],
  });

  readonly clusterEvents = new Counter({
    name: 'muckwatch_cluster_events_total',
    help: 'Domain events crossing instances over PostgreSQL LISTEN/NOTIFY: sent, received, dropped (queue full or malformed)',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });

  private pendingSource: () => number = () => 0;

  readonly pendingMessages: Gauge = new Gauge({
    name: 'muckwatch_ingest_pending_messages',
    help: 'Broker messages received and not yet committed (not yet acknowledged)',
    registers: [this.registry],
    collect: (): void => this.pendingMessages.set(this.pendingSource()),
  });

  /** The pending gauge reads its value at scrape time from the ingest's queue. */
  measurePending(source: () => number): void {
    this.pendingSource = source;
  }

  readonly brokerConnected = new Gauge({
    name: 'muckwatch_broker_connected_subscribers',
    help: 'Ingest subscriber connections currently connected to the broker',
    registers: [this.registry],
  });

  readonly brokerExpected = new Gauge({
    name: 'muckwatch_broker_expected_subscribers',
    help: 'Ingest subscriber connections configured',
    registers: [this.registry],
  });

  readonly liveClients = new Gauge({
    name: 'muckwatch_live_clients',
    help: 'Web consoles connected to the live gateway',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'muckwatch_' });
  }
}
