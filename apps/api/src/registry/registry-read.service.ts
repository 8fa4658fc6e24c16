import { Inject, Injectable } from '@nestjs/common';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { Pool } from 'pg';
import type { TruckPosition, TruckSummary } from '@muckwatch/contracts';
import { PG_POOL } from '../database/database.module.js';
import { LatestPositionsRepository } from '../live/latest-positions.repository.js';

export interface TownProperties {
  code: string;
  name: string;
  kind: 'street' | 'town' | 'enterprise';
  synthetic: boolean;
}

@Injectable()
export class RegistryReadService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly latest: LatestPositionsRepository,
  ) {}

  async trucks(): Promise<TruckSummary[]> {
    const [{ rows }, positions] = await Promise.all([
      this.pool.query<{ id: string; plate: string; company_name: string; terminal_id: string | null; rated_load_t: string | null }>(
        `SELECT tr.id, tr.plate, c.name AS company_name, te.terminal_id, tr.rated_load_t
           FROM trucks tr
           JOIN transport_companies c ON c.id = tr.company_id
           LEFT JOIN terminals te ON te.truck_id = tr.id
          ORDER BY tr.plate`,
      ),
      this.latest.all(),
    ]);
    const byTerminal = new Map<string, TruckPosition>(positions.map((p) => [p.terminalId, p]));
    return rows.map((row) => ({
      truckId: row.id,
      plate: row.plate,
      companyName: row.company_name,
      terminalId: row.terminal_id,
      ratedLoadT: row.rated_load_t === null ? null : Number(row.rated_load_t),
      latest: row.terminal_id ? (byTerminal.get(row.terminal_id) ?? null) : null,
    }));
  }

  async towns(): Promise<FeatureCollection<MultiPolygon, TownProperties>> {
    const { rows } = await this.pool.query<TownProperties & { geometry: MultiPolygon }>(
      `SELECT code, name, kind, synthetic, ST_AsGeoJSON(geom, 6)::json AS geometry FROM towns ORDER BY code`,
    );
    return {
      type: 'FeatureCollection',
      features: rows.map(({ geometry, ...properties }) => ({ type: 'Feature', id: properties.code, geometry, properties })),
    };
  }
}
