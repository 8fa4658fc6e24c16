import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { TerminalLiveness, TruckPosition } from '@muckwatch/contracts';
import { PG_POOL } from '../database/database.module.js';
import type { AdvancedPosition } from '../ingest/telemetry-store.js';
import { TruckDirectory } from './truck-directory.service.js';

interface LatestRow {
  terminal_id: string;
  fix_time: Date;
  received_at: Date;
  lon: number;
  lat: number;
  speed_kmh: number;
  heading_deg: number;
  ignition: boolean | null;
  cover: string | null;
  body: string | null;
  load: string | null;
  load_t: number | null;
  sensors: TruckPosition['sensors'];
  control: TruckPosition['control'];
  liveness: TerminalLiveness | null;
}

/** Every terminal's latest position, shaped for the live map. */
@Injectable()
export class LatestPositionsRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly directory: TruckDirectory,
  ) {}

  async all(): Promise<TruckPosition[]> {
    const { rows } = await this.pool.query<LatestRow>(
      `SELECT l.terminal_id, l.fix_time, l.received_at, ST_X(l.geom) AS lon, ST_Y(l.geom) AS lat, l.speed_kmh,
              l.heading_deg, l.ignition, l.cover, l.body, l.load, l.load_t, l.sensors, l.control, v.liveness
         FROM latest_positions l
         LEFT JOIN terminal_liveness v ON v.terminal_id = l.terminal_id
        ORDER BY l.terminal_id`,
    );
    return rows.map((row) =>
      this.toTruckPosition(
        {
          terminalId: row.terminal_id,
          fixTimeMs: row.fix_time.getTime(),
          receivedAtMs: row.received_at.getTime(),
          lat: row.lat,
          lon: row.lon,
          speedKmh: row.speed_kmh,
          headingDeg: row.heading_deg,
          ignition: row.ignition,
          cover: row.cover,
          body: row.body,
          load: row.load,
          loadT: row.load_t,
          sensors: row.sensors,
          control: row.control,
        },
        row.liveness,
      ),
    );
  }

  toTruckPosition(p: AdvancedPosition, liveness: TerminalLiveness | null): TruckPosition {
    const truck = this.directory.lookup(p.terminalId);
    return {
      terminalId: p.terminalId,
      truckId: truck?.truckId ?? null,
      plate: truck?.plate ?? null,
      companyName: truck?.companyName ?? null,
      ts: new Date(p.fixTimeMs).toISOString(),
      receivedAt: new Date(p.receivedAtMs).toISOString(),
      lat: p.lat,
      lon: p.lon,
      speedKmh: p.speedKmh,
      headingDeg: p.headingDeg,
      ignition: p.ignition,
      cover: p.cover as TruckPosition['cover'],
      body: p.body as TruckPosition['body'],
      load: p.load as TruckPosition['load'],
      loadT: p.loadT,
      sensors: p.sensors,
      control: p.control,
      liveness,
    };
  }
}
