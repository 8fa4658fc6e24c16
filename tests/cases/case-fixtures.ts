import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A violation row as the compliance engine would have written it, for case tests and the bench. */
export interface ViolationSeed {
  id?: string;
  type?: string;
  severity?: 'low' | 'medium' | 'high' | 'critical';
  townCode?: string | null;
  startedAt?: Date;
  endedAt?: Date | null;
  plate?: string | null;
  truckId?: string | null;
  terminalId?: string;
  reasons?: Array<{ code: string; detail: string }>;
}

export async function insertViolation(db: pg.Client | pg.Pool, seed: ViolationSeed = {}): Promise<string> {
  const terminalId = seed.terminalId ?? `T${randomBytes(4).toString('hex')}`;
  const startedAt = seed.startedAt ?? new Date(Date.now() - 3_600_000);
  const type = seed.type ?? 'unsealed_transport';
  const id = seed.id ?? `${terminalId}/${type}/${startedAt.getTime()}`;
  const endedAt = seed.endedAt === undefined ? new Date(startedAt.getTime() + 600_000) : seed.endedAt;
  await db.query(
    `INSERT INTO violations (id, type, severity, status, terminal_id, truck_id, plate, started_at, start_geom, ended_at, end_geom,
                             town_code, reasons)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ST_SetSRID(ST_MakePoint(118.31, 36.82), 4326), $9,
             CASE WHEN $9::timestamptz IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(118.32, 36.83), 4326) END, $10, $11::jsonb)`,
    [
      id,
      type,
      seed.severity ?? 'medium',
      endedAt ? 'closed' : 'open',
      terminalId,
      seed.truckId ?? null,
      seed.plate === undefined ? '鲁C12345' : seed.plate,
      startedAt.toISOString(),
      endedAt?.toISOString() ?? null,
      seed.townCode === undefined ? 'E37030501' : seed.townCode,
      JSON.stringify(seed.reasons ?? [{ code: 'unsealed', detail: '重车行驶中未密闭' }]),
    ],
  );
  return id;
}
