import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import {
  COMMAND_FAMILY,
  COMMAND_LIMITS,
  CONTROL_POLICIES,
  type CommandFamily,
  type CommandKind,
  type CommandOrigin,
  type CommandParams,
  type CommandState,
  type ControlPolicy,
  type ControlPolicySettings,
  type TerminalCommandRecord,
} from '@muckwatch/contracts';
import type { Queryable } from '../audit/audit.service.js';
import { PG_POOL } from '../database/database.module.js';
import { inTransaction } from '../database/transaction.js';

interface CommandRow {
  id: string;
  terminal_id: string;
  truck_id: string | null;
  plate: string | null;
  kind: CommandKind;
  params: CommandParams;
  reason: string;
  origin: CommandOrigin;
  policy: ControlPolicy | null;
  issued_by: string | null;
  state: CommandState;
  attempts: number;
  created_at: Date;
  expires_at: Date | null;
  last_sent_at: Date | null;
  acknowledged_at: Date | null;
  settled_at: Date | null;
  answer_detail: string | null;
  released_at: Date | null;
  released_by: string | null;
  released_by_command: string | null;
  door: 'mqtt' | 'jt808' | null;
}

const COLUMNS = `c.id, c.terminal_id, c.truck_id, t.plate, c.kind, c.params, c.reason, c.origin, c.policy, c.issued_by, c.state,
  c.attempts, c.created_at, c.expires_at, c.last_sent_at, c.acknowledged_at, c.settled_at, c.answer_detail, c.released_at,
  c.released_by, c.released_by_command, c.door`;

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

function toRecord(row: CommandRow): TerminalCommandRecord {
  return {
    id: row.id,
    terminalId: row.terminal_id,
    truckId: row.truck_id,
    plate: row.plate,
    kind: row.kind,
    params: row.params,
    reason: row.reason,
    origin: row.origin,
    policy: row.policy,
    issuedBy: row.issued_by,
    state: row.state,
    attempts: row.attempts,
    createdAt: row.created_at.toISOString(),
    expiresAt: iso(row.expires_at),
    lastSentAt: iso(row.last_sent_at),
    acknowledgedAt: iso(row.acknowledged_at),
    settledAt: iso(row.settled_at),
    answerDetail: row.answer_detail,
    releasedAt: iso(row.released_at),
    releasedBy: row.released_by,
    releasedByCommand: row.released_by_command,
    door: row.door,
  };
}

export interface NewCommand {
  terminalId: string;
  truckId: string | null;
  kind: CommandKind;
  params: CommandParams;
  reason: string;
  origin: CommandOrigin;
  policy: ControlPolicy | null;
  issuedById: string | null;
  issuedBy: string | null;
  expiresInMs: number;
}

/** A command claimed for one attempt (state `sent`, its attempt counted). */
export interface ClaimedCommand {
  record: TerminalCommandRecord;
  attempt: number;
}

/** A restriction in force that a policy put there. */
export interface PolicyRestriction {
  id: string;
  terminalId: string;
  family: CommandFamily;
  policy: ControlPolicy;
}

const IN_FORCE = `state IN ('pending', 'sent', 'acknowledged') AND released_at IS NULL AND kind IN ('lock', 'speed_cap', 'lift_inhibit')`;

/** The SQL of remote control (style: repositories hold the SQL, services the rules). */
@Injectable()
export class CommandsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  transaction<T>(work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  async truck(id: string): Promise<{ id: string; plate: string; terminalId: string | null } | null> {
    const { rows } = await this.pool.query<{ id: string; plate: string; terminal_id: string | null }>(
      `SELECT t.id, t.plate, term.terminal_id FROM trucks t LEFT JOIN terminals term ON term.truck_id = t.id WHERE t.id = $1`,
      [id],
    );
    const row = rows[0];
    return row ? { id: row.id, plate: row.plate, terminalId: row.terminal_id } : null;
  }

  async truckOfTerminal(terminalId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ truck_id: string | null }>(`SELECT truck_id FROM terminals WHERE terminal_id = $1`, [terminalId]);
    return rows[0]?.truck_id ?? null;
  }

  async insert(command: NewCommand, db: Queryable): Promise<TerminalCommandRecord> {
    const result = (await db.query(
      `WITH c AS (
         INSERT INTO terminal_commands (terminal_id, truck_id, kind, family, params, reason, origin, policy, issued_by_id, issued_by, expires_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, now() + make_interval(secs => $11::float8 / 1000))
         RETURNING *)
       SELECT ${COLUMNS} FROM c LEFT JOIN trucks t ON t.id = c.truck_id`,
      [
        command.terminalId,
        command.truckId,
        command.kind,
        COMMAND_FAMILY[command.kind],
        JSON.stringify(command.params),
        command.reason,
        command.origin,
        command.policy,
        command.issuedById,
        command.issuedBy,
        command.expiresInMs,
      ],
    )) as pg.QueryResult<CommandRow>;
    return toRecord(result.rows[0]!);
  }

  /** Older commands of the family still waiting or in flight give way to `newer`. */
  async supersede(terminalId: string, family: CommandFamily, newer: string, db: Queryable): Promise<string[]> {
    const result = (await db.query(
      `UPDATE terminal_commands SET state = 'superseded', settled_at = now()
        WHERE terminal_id = $1 AND family = $2 AND id <> $3 AND state IN ('pending', 'sent')
        RETURNING id`,
      [terminalId, family, newer],
    )) as pg.QueryResult<{ id: string }>;
    return result.rows.map((r) => r.id);
  }

  /** Restrictions of the family in force on the terminal, newest first (locked against a concurrent release). */
  async inForce(terminalId: string, family: CommandFamily, db: Queryable): Promise<TerminalCommandRecord[]> {
    const result = (await db.query(
      `SELECT ${COLUMNS} FROM terminal_commands c LEFT JOIN trucks t ON t.id = c.truck_id
        WHERE c.terminal_id = $1 AND c.family = $2 AND c.${IN_FORCE.replaceAll(' AND ', ' AND c.')}
        ORDER BY c.created_at DESC FOR UPDATE OF c`,
      [terminalId, family],
    )) as pg.QueryResult<CommandRow>;
    return result.rows.map(toRecord);
  }

  async markReleased(ids: readonly string[], by: string, releaseCommand: string, db: Queryable): Promise<void> {
    if (ids.length === 0) return;
    await db.query(
      `UPDATE terminal_commands SET released_at = now(), released_by = $2, released_by_command = $3 WHERE id = ANY($1::uuid[]) AND released_at IS NULL`,
      [ids, by, releaseCommand],
    );
  }

  async one(id: string): Promise<TerminalCommandRecord | null> {
    const { rows } = await this.pool.query<CommandRow>(`SELECT ${COLUMNS} FROM terminal_commands c LEFT JOIN trucks t ON t.id = c.truck_id WHERE c.id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async ofTruck(truckId: string): Promise<TerminalCommandRecord[]> {
    const { rows } = await this.pool.query<CommandRow>(
      `SELECT ${COLUMNS} FROM terminal_commands c LEFT JOIN trucks t ON t.id = c.truck_id
        WHERE c.truck_id = $1 ORDER BY c.created_at DESC LIMIT $2`,
      [truckId, COMMAND_LIMITS.listLimit],
    );
    return rows.map(toRecord);
  }

  /**
   * Claims due commands for one attempt each: pending, not expired, of a terminal `reachable`
   * says a door reaches now (all terminals, or one). Rows another instance holds are skipped
   * (FOR UPDATE SKIP LOCKED), so two API instances never send the same attempt.
   */
  async claim(reachable: (terminalId: string) => 'mqtt' | 'jt808' | null, terminalId: string | null, limit = 100): Promise<ClaimedCommand[]> {
    return inTransaction(this.pool, async (db) => {
      const due = await db.query<{ id: string; terminal_id: string }>(
        `SELECT id, terminal_id FROM terminal_commands
          WHERE state = 'pending' AND (expires_at IS NULL OR expires_at > now()) AND ($1::text IS NULL OR terminal_id = $1)
          ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [terminalId, limit],
      );
      const chosen = due.rows.flatMap((row) => {
        const door = reachable(row.terminal_id);
        return door ? [{ id: row.id, door }] : [];
      });
      if (chosen.length === 0) return [];
      const { rows } = await db.query<CommandRow>(
        `WITH c AS (
           UPDATE terminal_commands c SET state = 'sent', attempts = c.attempts + 1, last_sent_at = now(), door = x.door
             FROM unnest($1::uuid[], $2::text[]) AS x(id, door) WHERE c.id = x.id
           RETURNING c.*)
         SELECT ${COLUMNS} FROM c LEFT JOIN trucks t ON t.id = c.truck_id`,
        [chosen.map((c) => c.id), chosen.map((c) => c.door)],
      );
      return rows.map((row) => ({ record: toRecord(row), attempt: row.attempts }));
    });
  }

  /** The terminal's answer to attempt `attempt`; null when the command moved on meanwhile (superseded). */
  async answered(id: string, attempt: number, outcome: 'acknowledged' | 'refused' | 'unsupported' | 'failed', detail: string | null): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE terminal_commands
          SET state = $3, answer = $3, answer_detail = $4, settled_at = now(),
              acknowledged_at = CASE WHEN $3 = 'acknowledged' THEN now() END
        WHERE id = $1 AND state = 'sent' AND attempts = $2`,
      [id, attempt, outcome, detail],
    );
    return (rowCount ?? 0) > 0;
  }

  /** No answer to attempt `attempt`: pending again for the next attempt, or `timed_out` after the last. */
  async unanswered(id: string, attempt: number, maxAttempts: number): Promise<CommandState | null> {
    const { rows } = await this.pool.query<{ state: CommandState }>(
      `UPDATE terminal_commands
          SET state = CASE WHEN attempts >= $3 THEN 'timed_out' ELSE 'pending' END,
              answer = CASE WHEN attempts >= $3 THEN 'timeout' END,
              settled_at = CASE WHEN attempts >= $3 THEN now() END
        WHERE id = $1 AND state = 'sent' AND attempts = $2
        RETURNING state`,
      [id, attempt, maxAttempts],
    );
    return rows[0]?.state ?? null;
  }

  /** Pending commands past their lifetime. */
  async expire(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE terminal_commands SET state = 'expired', settled_at = now()
        WHERE state = 'pending' AND expires_at <= now() RETURNING id`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Attempts in flight for much longer than an attempt may take: their instance stopped before
   * the answer. Back to pending (or timed_out after the last attempt).
   */
  async recoverStale(staleMs: number, maxAttempts: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE terminal_commands
          SET state = CASE WHEN attempts >= $2 THEN 'timed_out' ELSE 'pending' END,
              answer = CASE WHEN attempts >= $2 THEN 'timeout' END,
              settled_at = CASE WHEN attempts >= $2 THEN now() END
        WHERE state = 'sent' AND last_sent_at < now() - make_interval(secs => $1::float8 / 1000)`,
      [staleMs, maxAttempts],
    );
    return rowCount ?? 0;
  }

  /** Every restriction in force that a policy issued (the policies' memory after a restart). */
  async policyRestrictions(): Promise<PolicyRestriction[]> {
    const { rows } = await this.pool.query<{ id: string; terminal_id: string; family: CommandFamily; policy: ControlPolicy }>(
      `SELECT id, terminal_id, family, policy FROM terminal_commands WHERE origin = 'policy' AND ${IN_FORCE}`,
    );
    return rows.map((r) => ({ id: r.id, terminalId: r.terminal_id, family: r.family, policy: r.policy }));
  }

  /** Terminals with a manual restriction of the family in force (a policy leaves those alone). */
  async manualRestrictionInForce(terminalId: string, family: CommandFamily): Promise<boolean> {
    const { rows } = await this.pool.query(
      `SELECT 1 FROM terminal_commands WHERE terminal_id = $1 AND family = $2 AND origin = 'manual' AND ${IN_FORCE} LIMIT 1`,
      [terminalId, family],
    );
    return rows.length > 0;
  }

  /** `db`: the caller's transaction when it reads its own writes (one pooled connection on the embedded database). */
  async policySettings(db: pg.Pool | pg.PoolClient = this.pool): Promise<ControlPolicySettings> {
    const { rows } = await db.query<{ policy: ControlPolicy; enabled: boolean; params: { speedKmh?: number }; updated_at: Date | null; updated_by: string | null }>(
      `SELECT policy, enabled, params, updated_at, updated_by FROM control_policy_settings`,
    );
    const byPolicy = new Map(rows.map((r) => [r.policy, r]));
    return {
      policies: CONTROL_POLICIES.map((policy) => {
        const row = byPolicy.get(policy);
        return { policy, enabled: row?.enabled ?? false, updatedAt: iso(row?.updated_at ?? null), updatedBy: row?.updated_by ?? null };
      }),
      coverOpenSpeedKmh: byPolicy.get('speed_cap_cover_open')?.params.speedKmh ?? 30,
    };
  }

  async updatePolicy(policy: ControlPolicy, change: { enabled?: boolean; speedKmh?: number }, by: string, db: Queryable): Promise<void> {
    await db.query(
      `INSERT INTO control_policy_settings AS s (policy, enabled, params, updated_at, updated_by)
       VALUES ($1, coalesce($2, false), coalesce($3::jsonb, '{}'::jsonb), now(), $4)
       ON CONFLICT (policy) DO UPDATE
         SET enabled = coalesce($2, s.enabled), params = s.params || coalesce($3::jsonb, '{}'::jsonb), updated_at = now(), updated_by = $4`,
      [policy, change.enabled ?? null, change.speedKmh === undefined ? null : JSON.stringify({ speedKmh: change.speedKmh }), by],
    );
  }
}
