import { createHash, timingSafeEqual } from 'node:crypto';
import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type pg from 'pg';
import type { Jt808AuthCodeResponse, Jt808AuthCodeStatus, TerminalModelMapping } from '@muckwatch/contracts';
import { checkPlate } from '@muckwatch/domain';
import { AuditService, type AuditRecord } from '../audit/audit.service.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { PG_POOL } from '../database/database.module.js';
import { inTransaction } from '../database/transaction.js';
import { DomainEvents } from '../events/domain-events.js';
import { TerminalModelsRepository } from '../registry/terminal-models/terminal-models.repository.js';
import { RefusalLimiter } from './refusal-limiter.js';
import { hashSecret, newSecret, verifySecret } from './secret-hash.js';

/** What a terminal says about itself in 0x0100 终端注册 (strings as decoded by the gateway). */
export interface Jt808RegistrationInfo {
  /** 制造商 ID (5 bytes in 2013, 11 in 2019). */
  makerId: string;
  /** 终端型号. */
  model: string;
  /** 终端 ID (the maker's serial, not the registry's terminal id). */
  terminalId: string;
  /** 车牌 (empty when the plate colour is 0: the vehicle is named by its VIN). */
  plate: string;
}

/** 0x8100 结果: 1 vehicle already registered, 2 vehicle not in database, 3 terminal already registered, 4 terminal not in database. */
export type Jt808RegisterResult = { ok: true; terminalId: string; authCode: string } | { ok: false; result: 1 | 2 | 3 | 4; reason: string };

export type Jt808AuthenticateResult = { ok: true; terminalId: string; model: TerminalModelMapping } | { ok: false; reason: string };

export const JT808_PROTOCOLS = ['jt808-2013', 'jt808-2019'] as const;

/** A phone number as JT/T 808 carries it: BCD digits (12 in 2013, 20 in 2019), leading zeros dropped. */
const PHONE = /^\d{1,20}$/;
/** JT/T 808-2019 gives the auth code a one-byte length; nothing longer can be ours. */
const AUTH_CODE_MAX = 255;
/** Terminal-reported text kept in records. */
const REPORTED_MAX = 64;
/** Verified (hash → digest of the code) pairs kept to skip PBKDF2 on reconnects. */
const VERIFIED_CACHE_SIZE = 20_000;

function stripPhone(phone: string): string {
  return phone.replace(/^0+/, '');
}

function reported(info: Jt808RegistrationInfo | null | undefined): Record<string, string> {
  const text = (value: unknown): string => (typeof value === 'string' ? value.slice(0, REPORTED_MAX) : '');
  return { makerId: text(info?.makerId), model: text(info?.model), deviceId: text(info?.terminalId), plate: text(info?.plate) };
}

interface TerminalByPhone {
  terminal_id: string;
  protocol: string;
  truck_id: string | null;
  bound_plate: string | null;
  last_revoke_reason: string | null;
  last_revoked_at: Date | null;
}

/**
 * JT/T 808 auth codes (鉴权码), issued and revoked like the MQTT credentials
 * (./terminal-credentials.service.ts): random, returned once, stored as a `$7$` hash, audited.
 * The JT/T 808 gateway (apps/api/src/jt808/) calls `register`, `authenticate` and `modelFor`; the
 * console issues and revokes through ./jt808-auth-code.controller.ts.
 *
 * Registration rule: a terminal is known by its phone number, the registry's `terminals.sim` with
 * leading zeros dropped, and must be registered with protocol jt808-2013 or jt808-2019. A known
 * terminal that registers again (a reset, a new SIM card profile) gets a NEW code and the old one
 * stops working; each registration is audited. JT/T 808 expects the platform to answer every
 * registration with a code, so re-registration is not refused with 3 ("terminal already
 * registered") — that answer is kept for a terminal whose code an admin revoked: it may not
 * register itself back in; an admin must issue a code (POST /api/v1/terminals/{id}/jt808-auth-code),
 * after which it may register again. The registry's binding of terminal and truck is the truth:
 * a reported plate must be the bound truck's (else 1, or 2 if no truck has it), an unbound
 * terminal may name any truck that carries no other terminal (1 if one does, 2 if none has the
 * plate); an empty plate (plate colour 0, VIN only) is not checked. Registration never binds.
 *
 * Refused registrations and authentications are audited (`jt808.register` / `jt808.authenticate`,
 * outcome denied), at most 10 rows per phone and 200 in all per minute (./refusal-limiter.ts).
 */
@Injectable()
export class Jt808AuthService {
  private readonly logger = new Logger('Jt808AuthService');
  private readonly verified = new Map<string, Buffer>();
  private readonly limiter = new RefusalLimiter({ perKey: 10, total: 200, windowMs: 60_000 });

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly audit: AuditService,
    private readonly models: TerminalModelsRepository,
    private readonly events: DomainEvents,
  ) {}

  /** 0x0100 终端注册: the answer for 0x8100. Never throws for what a terminal sends; a database failure does throw. */
  async register(phone: string, info: Jt808RegistrationInfo): Promise<Jt808RegisterResult> {
    const said = reported(info);
    const number = typeof phone === 'string' ? stripPhone(phone) : '';
    if (!PHONE.test(number)) return this.refuseRegistration(String(phone).slice(0, 32), null, 4, 'the phone number is not 1–20 decimal digits', said);
    const authCode = newSecret();
    const codeHash = await hashSecret(authCode);
    type Outcome = Jt808RegisterResult & { refusedTerminal?: string };
    const outcome = await inTransaction(this.pool, async (db): Promise<Outcome> => {
      const found = await this.terminalsByPhone(db, number, true);
      if (found.length === 0) return { ok: false, result: 4, reason: `no terminal in the registry has SIM ${number}` };
      if (found.length > 1) return { ok: false, result: 4, reason: `SIM ${number} belongs to ${found.length} terminals in the registry; correct the registry` };
      const terminal = found[0]!;
      if (!(JT808_PROTOCOLS as readonly string[]).includes(terminal.protocol)) {
        return { ok: false, result: 4, reason: `terminal ${terminal.terminal_id} is registered for ${terminal.protocol}, not JT/T 808`, refusedTerminal: terminal.terminal_id };
      }
      if (terminal.last_revoke_reason === 'revoked') {
        return {
          ok: false,
          result: 3,
          reason: `the auth code of terminal ${terminal.terminal_id} was revoked; an administrator must issue a new one`,
          refusedTerminal: terminal.terminal_id,
        };
      }
      const vehicle = await this.checkVehicle(db, terminal, said['plate']!);
      if (vehicle) return { ...vehicle, refusedTerminal: terminal.terminal_id };
      const rotated = await db.query(
        `UPDATE jt808_auth_codes SET revoked_at = now(), revoke_reason = 'reissued' WHERE terminal_id = $1 AND revoked_at IS NULL RETURNING id`,
        [terminal.terminal_id],
      );
      await db.query(`INSERT INTO jt808_auth_codes (terminal_id, code_hash, issued_via, reported) VALUES ($1, $2, 'register', $3::jsonb)`, [
        terminal.terminal_id,
        codeHash,
        JSON.stringify(said),
      ]);
      await this.audit.record(
        {
          action: 'jt808.register',
          actor: { username: terminal.terminal_id },
          resourceType: 'terminal',
          resourceId: terminal.terminal_id,
          detail: { phone: number, reissued: (rotated.rowCount ?? 0) > 0, reported: said },
        },
        db,
      );
      return { ok: true, terminalId: terminal.terminal_id, authCode };
    });
    if (outcome.ok) return { ok: true, terminalId: outcome.terminalId, authCode: outcome.authCode };
    return this.refuseRegistration(number, outcome.refusedTerminal ?? null, outcome.result, outcome.reason, said);
  }

  /** 0x0102 终端鉴权: whether `authCode` is the terminal's active code, and its model mapping. */
  async authenticate(phone: string, authCode: string): Promise<Jt808AuthenticateResult> {
    const number = typeof phone === 'string' ? stripPhone(phone) : '';
    if (!PHONE.test(number)) return this.refuseAuthentication(String(phone).slice(0, 32), null, 'the phone number is not 1–20 decimal digits');
    if (typeof authCode !== 'string' || authCode.length === 0 || authCode.length > AUTH_CODE_MAX) {
      return this.refuseAuthentication(number, null, 'the auth code is empty or longer than 255 characters');
    }
    const { rows } = await this.pool.query<{ terminal_id: string; protocol: string; code_hash: string | null }>(
      `SELECT te.terminal_id, te.protocol, c.code_hash
         FROM terminals te
         LEFT JOIN jt808_auth_codes c ON c.terminal_id = te.terminal_id AND c.revoked_at IS NULL
        WHERE ltrim(te.sim, '0') = $1 AND te.sim IS NOT NULL
        LIMIT 2`,
      [number],
    );
    if (rows.length === 0) return this.refuseAuthentication(number, null, `no terminal in the registry has SIM ${number}`);
    if (rows.length > 1) return this.refuseAuthentication(number, null, `SIM ${number} belongs to several terminals in the registry`);
    const terminal = rows[0]!;
    if (!(JT808_PROTOCOLS as readonly string[]).includes(terminal.protocol)) {
      return this.refuseAuthentication(number, terminal.terminal_id, `terminal ${terminal.terminal_id} is registered for ${terminal.protocol}, not JT/T 808`);
    }
    if (!terminal.code_hash) return this.refuseAuthentication(number, terminal.terminal_id, `terminal ${terminal.terminal_id} holds no active auth code`);
    if (!(await this.matches(authCode, terminal.code_hash))) return this.refuseAuthentication(number, terminal.terminal_id, 'wrong auth code');
    const { mapping } = await this.models.forTerminal(terminal.terminal_id);
    return { ok: true, terminalId: terminal.terminal_id, model: mapping };
  }

  /**
   * The mapping the gateway reads a terminal's reports with (terminal-models.repository.ts:
   * `forTerminal`): its maker / model's row, else the standard JT/T 808 row. Not cached here: the
   * gateway may keep it per session and refresh on 'registry.changed' (terminal, terminal_model).
   */
  async modelFor(terminalId: string): Promise<TerminalModelMapping> {
    return (await this.models.forTerminal(terminalId)).mapping;
  }

  /** Console: issue a code (returned once). An earlier code stops working and its session is closed ('jt808.auth_code.revoked'). */
  async issue(terminalId: string, actor: Principal, origin: RequestOrigin | null): Promise<Jt808AuthCodeResponse> {
    const authCode = newSecret();
    const codeHash = await hashSecret(authCode);
    const issued = await inTransaction(this.pool, async (db) => {
      await this.requireJt808Terminal(db, terminalId, true);
      const revoked = await db.query(
        `UPDATE jt808_auth_codes SET revoked_at = now(), revoke_reason = 'reissued', revoked_by = $2 WHERE terminal_id = $1 AND revoked_at IS NULL RETURNING id`,
        [terminalId, actor.userId],
      );
      const { rows } = await db.query<{ issued_at: Date }>(
        `INSERT INTO jt808_auth_codes (terminal_id, code_hash, issued_via, issued_by) VALUES ($1, $2, 'admin', $3) RETURNING issued_at`,
        [terminalId, codeHash, actor.userId],
      );
      const rotated = (revoked.rowCount ?? 0) > 0;
      await this.audit.record(
        { action: 'terminal.jt808_auth_code.issue', actor, origin, resourceType: 'terminal', resourceId: terminalId, detail: { rotated } },
        db,
      );
      return { terminalId, authCode, issuedAt: rows[0]!.issued_at.toISOString(), rotated };
    });
    if (issued.rotated) this.events.publish('jt808.auth_code.revoked', { terminalId, reason: 'reissued', at: issued.issuedAt });
    return issued;
  }

  /** Console: revoke the active code. The terminal may not register itself back in until an admin issues a code. */
  async revoke(terminalId: string, actor: Principal, origin: RequestOrigin | null): Promise<void> {
    const at = await inTransaction(this.pool, async (db) => {
      await this.requireJt808Terminal(db, terminalId, false);
      const { rows } = await db.query<{ revoked_at: Date }>(
        `UPDATE jt808_auth_codes SET revoked_at = now(), revoke_reason = 'revoked', revoked_by = $2 WHERE terminal_id = $1 AND revoked_at IS NULL RETURNING revoked_at`,
        [terminalId, actor.userId],
      );
      if (rows.length === 0) {
        throw new NotFoundException({ code: 'jt808.no_auth_code', params: { terminalId }, message: `terminal ${terminalId} holds no active auth code` });
      }
      await this.audit.record({ action: 'terminal.jt808_auth_code.revoke', actor, origin, resourceType: 'terminal', resourceId: terminalId }, db);
      return rows[0]!.revoked_at.toISOString();
    });
    this.events.publish('jt808.auth_code.revoked', { terminalId, reason: 'revoked', at });
  }

  /** Console: every JT/T 808 terminal and whether it holds a code (never the code). */
  async statuses(): Promise<Jt808AuthCodeStatus[]> {
    const { rows } = await this.pool.query<{
      terminal_id: string;
      issued_at: Date | null;
      issued_via: 'register' | 'admin' | null;
      revoked_at: Date | null;
      revoke_reason: string | null;
    }>(
      `SELECT te.terminal_id, c.issued_at, c.issued_via, c.revoked_at, c.revoke_reason
         FROM terminals te
         LEFT JOIN LATERAL (SELECT issued_at, issued_via, revoked_at, revoke_reason FROM jt808_auth_codes
                             WHERE terminal_id = te.terminal_id ORDER BY id DESC LIMIT 1) c ON true
        WHERE te.protocol = ANY($1::text[])
        ORDER BY te.terminal_id`,
      [JT808_PROTOCOLS],
    );
    return rows.map((row) => ({
      terminalId: row.terminal_id,
      state: row.issued_at === null ? 'none' : row.revoked_at === null ? 'issued' : row.revoke_reason === 'revoked' ? 'revoked' : 'none',
      issuedAt: row.issued_at?.toISOString() ?? null,
      issuedVia: row.issued_via,
      revokedAt: row.revoked_at?.toISOString() ?? null,
    }));
  }

  private async terminalsByPhone(db: pg.PoolClient, phone: string, lock: boolean): Promise<TerminalByPhone[]> {
    const { rows } = await db.query<TerminalByPhone>(
      `SELECT te.terminal_id, te.protocol, te.truck_id, tr.plate AS bound_plate, last.revoke_reason AS last_revoke_reason, last.revoked_at AS last_revoked_at
         FROM terminals te
         LEFT JOIN trucks tr ON tr.id = te.truck_id
         LEFT JOIN LATERAL (SELECT revoke_reason, revoked_at FROM jt808_auth_codes WHERE terminal_id = te.terminal_id ORDER BY id DESC LIMIT 1) last ON true
        WHERE ltrim(te.sim, '0') = $1 AND te.sim IS NOT NULL
        LIMIT 2${lock ? ' FOR UPDATE OF te' : ''}`,
      [phone],
    );
    return rows;
  }

  /** The 0x8100 vehicle answers (1, 2) for a reported plate; null when the plate is acceptable. */
  private async checkVehicle(db: pg.PoolClient, terminal: TerminalByPhone, rawPlate: string): Promise<Jt808RegisterResult | null> {
    const text = rawPlate.trim();
    if (text === '') return null;
    const plate = checkPlate(text).plate;
    if (terminal.bound_plate !== null && terminal.bound_plate === plate) return null;
    const { rows } = await db.query<{ terminal_id: string | null }>(
      `SELECT te.terminal_id FROM trucks tr LEFT JOIN terminals te ON te.truck_id = tr.id WHERE tr.plate = $1`,
      [plate],
    );
    if (rows.length === 0) return { ok: false, result: 2, reason: `no truck in the registry has plate ${plate}` };
    if (terminal.bound_plate !== null) {
      return { ok: false, result: 1, reason: `terminal ${terminal.terminal_id} is bound to ${terminal.bound_plate}, not ${plate}; rebind it in the registry` };
    }
    const carrier = rows[0]!.terminal_id;
    if (carrier !== null && carrier !== terminal.terminal_id) return { ok: false, result: 1, reason: `truck ${plate} carries terminal ${carrier}` };
    return null;
  }

  private async requireJt808Terminal(db: pg.PoolClient, terminalId: string, needSim: boolean): Promise<void> {
    const { rows } = await db.query<{ protocol: string; sim: string | null }>(`SELECT protocol, sim FROM terminals WHERE terminal_id = $1 FOR UPDATE`, [terminalId]);
    const terminal = rows[0];
    if (!terminal) throw new NotFoundException({ code: 'terminal.not_found', params: { terminalId }, message: `no terminal ${terminalId} in the registry` });
    if (!(JT808_PROTOCOLS as readonly string[]).includes(terminal.protocol)) {
      throw new ConflictException({
        code: 'jt808.not_jt808',
        params: { terminalId, protocol: terminal.protocol },
        message: `terminal ${terminalId} speaks ${terminal.protocol}, not JT/T 808`,
      });
    }
    if (needSim && terminal.sim === null) {
      throw new ConflictException({ code: 'jt808.no_sim', params: { terminalId }, message: `terminal ${terminalId} has no SIM number` });
    }
  }

  /** Constant-time as far as the code goes: PBKDF2 + timingSafeEqual, or a digest compared in constant time. */
  private async matches(code: string, hash: string): Promise<boolean> {
    const digest = createHash('sha256').update(code).digest();
    const known = this.verified.get(hash);
    if (known && timingSafeEqual(known, digest)) return true;
    if (!(await verifySecret(code, hash))) return false;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(hash, digest);
    return true;
  }

  private async refuseRegistration(phone: string, terminalId: string | null, result: 1 | 2 | 3 | 4, reason: string, said: Record<string, string>): Promise<Jt808RegisterResult> {
    await this.record(phone, { action: 'jt808.register', outcome: 'denied', actor: null, resourceType: 'terminal', resourceId: terminalId, detail: { phone, result, reason, reported: said } });
    return { ok: false, result, reason };
  }

  private async refuseAuthentication(phone: string, terminalId: string | null, reason: string): Promise<Jt808AuthenticateResult> {
    await this.record(phone, { action: 'jt808.authenticate', outcome: 'denied', actor: null, resourceType: 'terminal', resourceId: terminalId, detail: { phone, reason } });
    return { ok: false, reason };
  }

  /** An audit row for a refusal, rate-limited per phone; a failure to write it is logged, never thrown at the gateway. */
  private async record(phone: string, entry: AuditRecord): Promise<void> {
    if (!this.limiter.admit(`${entry.action}:${phone}`)) return;
    try {
      await this.audit.record(entry);
    } catch (error) {
      this.logger.warn(`could not record a refused ${entry.action}: ${(error as Error).message}`);
    }
  }
}
