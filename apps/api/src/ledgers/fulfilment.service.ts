import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import { AuditService } from '../audit/audit.service.js';
import { PG_POOL } from '../database/database.module.js';
import { inTransaction } from '../database/transaction.js';
import { DomainEvents } from '../events/domain-events.js';

/** How often dispatched requests are checked again (late fixes, a trip announced while the API was down). */
const RECHECK_EVERY_MS = 5 * 60_000;

/**
 * Collection requests (收集申请) are fulfilled from GPS, never by hand: a dispatched request becomes
 * `fulfilled` when its truck's stored fixes show it within the point's radius after dispatch and a
 * trip of that truck then closed at a licensed disposal site. fulfilled_at is the end of the first
 * such trip, visit_at the first fix at the point, trip_id that trip; "same day" (日产日清) is then
 * fulfilled_at − requested_at ≤ 24 h (town-ledgers.ts).
 *
 * It runs when the compliance engine announces a closed trip (`trip.closed`) for the trip's truck,
 * and every few minutes for every dispatched request, so late fixes (盲区补传) that complete a
 * visit are still counted. PostGIS answers the visit against the stored positions.
 */
@Injectable()
export class FulfilmentService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Fulfilment');
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.subscribe('trip.closed', (trip) => {
      if (trip.truckId) this.enqueue(trip.truckId);
    });
    this.timer = setInterval(() => this.enqueue(null), RECHECK_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  /** One check at a time (the embedded database serves one session). */
  private enqueue(truckId: string | null): void {
    this.queue = this.queue
      .then(() => this.check(truckId))
      .catch((error: unknown) => this.logger.error(`fulfilment check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  }

  /**
   * Fulfils every dispatched request (of `truckId`, or all) whose truck visited its point and then
   * closed a trip at a licensed site; returns the ids fulfilled. Each in one transaction with its
   * history entry and an audit row (actor: the system).
   */
  async check(truckId: string | null): Promise<string[]> {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ id: string; trip_id: string; ended_at: Date; visit_at: Date; version: number }>(
        `WITH due AS (
           SELECT r.id, r.truck_id, r.dispatched_at, r.version,
                  COALESCE(c.geom, r.geom)::geography AS place,
                  (CASE WHEN c.id IS NULL THEN r.radius_m ELSE c.radius_m END)::float8 AS radius
             FROM collection_requests r LEFT JOIN collection_points c ON c.id = r.collection_point_id
            WHERE r.state = 'dispatched' AND ($1::uuid IS NULL OR r.truck_id = $1)
            FOR UPDATE OF r SKIP LOCKED
         )
         SELECT d.id, d.version, m.trip_id, m.ended_at, m.visit_at
           FROM due d
           CROSS JOIN LATERAL (
             SELECT t.id AS trip_id, t.ended_at, v.visit_at
               FROM trips t
               JOIN disposal_sites s ON s.id = t.destination_id AND s.status = 'licensed'
               CROSS JOIN LATERAL (
                 SELECT min(p.fix_time) AS visit_at FROM positions p
                  WHERE p.terminal_id = t.terminal_id AND p.fix_time >= d.dispatched_at AND p.fix_time <= t.ended_at
                    AND p.valid AND cardinality(p.quality) = 0
                    AND ST_DWithin(p.geom::geography, d.place, d.radius)
               ) v
              WHERE t.truck_id = d.truck_id AND t.status = 'closed' AND t.ended_at > d.dispatched_at AND v.visit_at IS NOT NULL
              ORDER BY t.ended_at, t.id
              LIMIT 1
           ) m`,
        [truckId],
      );
      for (const r of rows) {
        await db.query(
          `UPDATE collection_requests SET state = 'fulfilled', visit_at = $2, fulfilled_at = $3, trip_id = $4,
                  version = version + 1, updated_at = now()
            WHERE id = $1 AND state = 'dispatched'`,
          [r.id, r.visit_at.toISOString(), r.ended_at.toISOString(), r.trip_id],
        );
        await db.query(
          `INSERT INTO collection_request_events (request_id, action, from_status, to_status, changed)
           VALUES ($1, 'fulfil', 'dispatched', 'fulfilled', $2::jsonb)`,
          [r.id, JSON.stringify({ tripId: r.trip_id, visitAt: r.visit_at.toISOString(), fulfilledAt: r.ended_at.toISOString() })],
        );
        await this.audit.record(
          {
            action: 'collection_request.fulfil',
            actor: null,
            resourceType: 'collection_request',
            resourceId: r.id,
            before: { state: 'dispatched', version: r.version },
            after: { state: 'fulfilled', tripId: r.trip_id, visitAt: r.visit_at.toISOString(), fulfilledAt: r.ended_at.toISOString() },
          },
          db,
        );
      }
      return rows.map((r) => r.id);
    });
  }
}
