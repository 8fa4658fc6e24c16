import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { FixQualityFlag, StoredFix } from '@muckwatch/contracts';
import { PG_POOL } from '../database/database.module.js';

interface FixRow {
  fix_time: Date;
  received_at: Date;
  lon: number;
  lat: number;
  speed_kmh: number;
  heading_deg: number;
  altitude_m: number | null;
  satellites: number | null;
  hdop: number | null;
  valid: boolean;
  ignition: boolean | null;
  mileage_km: number | null;
  seq: string | null;
  cover: StoredFix['cover'];
  body: StoredFix['body'];
  load: StoredFix['load'];
  load_t: number | null;
  sensors: StoredFix['sensors'];
  control: StoredFix['control'];
  extra: StoredFix['extra'];
  quality: FixQualityFlag[];
}

/** Stored fixes of one terminal in fix-time order (the raw material of track replay). */
@Injectable()
export class FixesService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async between(terminalId: string, from: Date, to: Date, limit: number): Promise<{ fixes: StoredFix[]; truncated: boolean }> {
    const { rows } = await this.pool.query<FixRow>(
      `SELECT fix_time, received_at, ST_X(geom) AS lon, ST_Y(geom) AS lat, speed_kmh, heading_deg, altitude_m,
              satellites, hdop, valid, ignition, mileage_km, seq, cover, body, load, load_t, sensors, control,
              extra, quality
         FROM positions
        WHERE terminal_id = $1 AND fix_time >= $2 AND fix_time <= $3
        ORDER BY fix_time
        LIMIT $4`,
      [terminalId, from, to, limit + 1],
    );
    const truncated = rows.length > limit;
    return {
      truncated,
      fixes: rows.slice(0, limit).map((row) => ({
        terminalId,
        ts: row.fix_time.toISOString(),
        receivedAt: row.received_at.toISOString(),
        lat: row.lat,
        lon: row.lon,
        speedKmh: row.speed_kmh,
        headingDeg: row.heading_deg,
        altitudeM: row.altitude_m,
        satellites: row.satellites,
        hdop: row.hdop,
        valid: row.valid,
        ignition: row.ignition,
        mileageKm: row.mileage_km,
        seq: row.seq === null ? null : Number(row.seq),
        cover: row.cover,
        body: row.body,
        load: row.load,
        loadT: row.load_t,
        sensors: row.sensors,
        control: row.control,
        extra: row.extra,
        quality: row.quality,
      })),
    };
  }
}
