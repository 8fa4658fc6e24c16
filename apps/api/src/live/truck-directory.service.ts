import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module.js';

export interface TruckIdentity {
  truckId: string;
  plate: string;
  companyName: string;
}

/**
 * Which registered truck each terminal is bound to, held in memory for the live path and
 * refreshed periodically (and on demand after a registry change).
 */
@Injectable()
export class TruckDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private byTerminal = new Map<string, TruckIdentity>();
  private timer: NodeJS.Timeout | null = null;

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), 30_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  lookup(terminalId: string): TruckIdentity | null {
    return this.byTerminal.get(terminalId) ?? null;
  }

  async refresh(): Promise<void> {
    const { rows } = await this.pool.query<{ terminal_id: string; truck_id: string; plate: string; company_name: string }>(
      `SELECT te.terminal_id, tr.id AS truck_id, tr.plate, c.name AS company_name
         FROM terminals te
         JOIN trucks tr ON tr.id = te.truck_id
         JOIN transport_companies c ON c.id = tr.company_id`,
    );
    this.byTerminal = new Map(
      rows.map((row) => [row.terminal_id, { truckId: row.truck_id, plate: row.plate, companyName: row.company_name }]),
    );
  }
}
