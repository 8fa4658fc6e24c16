import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { FixSource, Rejection, RejectionReason } from '@muckwatch/contracts';
import { PG_POOL } from '../database/database.module.js';

interface RejectionDbRow {
  id: string;
  received_at: Date;
  source: FixSource;
  terminal_id: string | null;
  topic: string;
  reason: RejectionReason;
  detail: string;
  fix_index: number | null;
  payload: string;
  payload_truncated: boolean;
}

@Injectable()
export class RejectionsService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(filter: {
    from: Date;
    to: Date;
    terminalId?: string | undefined;
    reason?: RejectionReason | undefined;
    limit: number;
    offset: number;
  }): Promise<{ rejections: Rejection[]; truncated: boolean; total: number }> {
    const where = `received_at >= $1 AND received_at <= $2 AND ($3::text IS NULL OR terminal_id = $3) AND ($4::text IS NULL OR reason = $4)`;
    const params = [filter.from, filter.to, filter.terminalId ?? null, filter.reason ?? null];
    const [{ rows }, count] = await Promise.all([
      this.pool.query<RejectionDbRow>(
        `SELECT id, received_at, source, terminal_id, topic, reason, detail, fix_index, payload, payload_truncated
           FROM rejections
          WHERE ${where}
          ORDER BY received_at DESC, id DESC
          LIMIT $5 OFFSET $6`,
        [...params, filter.limit + 1, filter.offset],
      ),
      this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM rejections WHERE ${where}`, params),
    ]);
    return {
      total: count.rows[0]?.n ?? 0,
      truncated: rows.length > filter.limit,
      rejections: rows.slice(0, filter.limit).map((row) => ({
        id: row.id,
        receivedAt: row.received_at.toISOString(),
        source: row.source,
        terminalId: row.terminal_id,
        topic: row.topic,
        reason: row.reason,
        detail: row.detail,
        fixIndex: row.fix_index,
        payload: row.payload,
        payloadTruncated: row.payload_truncated,
      })),
    };
  }
}
