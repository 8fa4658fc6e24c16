import { Inject, Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import { AuditService } from '../audit/audit.service.js';
import { EMBEDDED_MAX_PACKET_BYTES, type BrokerRefusal } from '../broker/embedded-broker.js';
import { PG_POOL } from '../database/database.module.js';
import { capPayload } from '../ingest/telemetry-message.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RefusalLimiter } from './refusal-limiter.js';

/**
 * Records what the embedded broker refused. A publish to another terminal's topic becomes a
 * rejection (`unauthorized_topic`, with the payload, like any refused message) and an audit
 * entry; refused connections and subscriptions are audited. Rows are rate-limited per
 * username / client id and in all; the metric counts every refusal.
 */
@Injectable()
export class BrokerRefusals {
  private readonly logger = new Logger('BrokerRefusals');
  private readonly limiter = new RefusalLimiter({ perKey: 10, total: 200, windowMs: 60_000 });

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  record(refusal: BrokerRefusal): void {
    const key = `${refusal.kind}:${refusalKey(refusal)}`;
    const recorded = this.limiter.admit(key);
    this.metrics.brokerRefusals.inc({ kind: refusal.kind, recorded: String(recorded) });
    if (!recorded) return;
    this.write(refusal).catch((error: Error) => this.logger.warn(`could not record a broker refusal: ${error.message}`));
  }

  private async write(refusal: BrokerRefusal): Promise<void> {
    if (refusal.kind === 'oversize') {
      await this.audit.record({
        action: 'mqtt.packet',
        outcome: 'denied',
        actor: null,
        resourceType: 'broker',
        resourceId: null,
        detail: {
          address: refusal.address.slice(0, 64),
          declaredBytes: Number.isFinite(refusal.declaredBytes) ? refusal.declaredBytes : 'malformed length',
          reason: `a packet larger than ${EMBEDDED_MAX_PACKET_BYTES} bytes: connection closed before its body was read`,
        },
      });
      return;
    }
    const clientId = refusal.clientId.slice(0, 64);
    if (refusal.kind === 'connect') {
      await this.audit.record({
        action: 'mqtt.connect',
        outcome: 'denied',
        actor: refusal.username === null ? null : { username: refusal.username },
        resourceType: 'terminal',
        resourceId: refusal.username,
        detail: { clientId, reason: refusal.reason },
      });
      return;
    }
    const topic = refusal.topic.slice(0, 256);
    if (refusal.kind === 'subscribe') {
      await this.audit.record({
        action: 'mqtt.subscribe',
        outcome: 'denied',
        actor: { username: refusal.terminalId },
        resourceType: 'terminal',
        resourceId: refusal.terminalId,
        detail: { clientId, topic, reason: 'terminals may not subscribe' },
      });
      return;
    }
    const detail = `terminal ${refusal.terminalId} may publish only to its own telemetry and status topics`;
    const { payload, payloadTruncated } = capPayload(refusal.payload.toString('utf8'));
    await this.pool.query(
      `INSERT INTO rejections (received_at, terminal_id, topic, reason, detail, fix_index, payload, payload_truncated)
       VALUES (now(), $1, $2, 'unauthorized_topic', $3, NULL, $4, $5)`,
      [refusal.terminalId, topic, detail, payload.replaceAll('\u0000', '\\u0000'), payloadTruncated],
    );
    await this.audit.record({
      action: 'mqtt.publish',
      outcome: 'denied',
      actor: { username: refusal.terminalId },
      resourceType: 'terminal',
      resourceId: refusal.terminalId,
      detail: { clientId, topic, reason: 'unauthorized_topic' },
    });
  }
}

function refusalKey(refusal: BrokerRefusal): string {
  switch (refusal.kind) {
    case 'connect':
      return refusal.username ?? `client:${refusal.clientId}`;
    case 'oversize':
      return refusal.address;
    default:
      return refusal.terminalId;
  }
}
