import { createHash } from 'node:crypto';
import { Inject, Injectable, NotFoundException, Optional } from '@nestjs/common';
import type pg from 'pg';
import type { TerminalCredentialsResponse } from '@muckwatch/contracts';
import { AuditService, type Queryable } from '../audit/audit.service.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { MosquittoDynsec } from '../broker/mosquitto-dynsec.js';
import { PG_POOL } from '../database/database.module.js';
import { hashSecret, newSecret, verifySecret } from './secret-hash.js';
import { inTransaction } from '../database/transaction.js';

/**
 * The rows of a query, whichever runner ran it: a `pg` result, a TypeORM EntityManager's row
 * array, or its `[rows, affected]` pair for UPDATE … RETURNING.
 */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return (Array.isArray(result[0]) ? result[0] : result) as T[];
  return (result as pg.QueryResult<T & pg.QueryResultRow>).rows;
}

/** Verified (hash → digest of the secret) pairs kept to skip PBKDF2 on reconnects. */
const VERIFIED_CACHE_SIZE = 20_000;

/**
 * Issues terminals' MQTT credentials and checks them for the embedded broker. A terminal's
 * username and client id are its terminal id; the secret is random, shown once, stored hashed.
 */
@Injectable()
export class TerminalCredentialsService {
  private readonly verified = new Map<string, string>();

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly audit: AuditService,
    @Optional() @Inject(MosquittoDynsec) private readonly dynsec: MosquittoDynsec | null = null,
  ) {}

  /**
   * New credentials for a registered terminal; any earlier secret stops working (on the external
   * Mosquitto its sessions are also closed). `actor` null = the system (demo seed). Throws
   * NotFoundException for a terminal the registry does not know.
   *
   * Registering a terminal: pass the registration's transaction as `tx` so the terminal row is
   * visible and the credentials commit (or roll back) with it; without `tx` the service runs its
   * own transaction.
   */
  async issue(
    terminalId: string,
    actor: Principal | null,
    origin: RequestOrigin | null = null,
    tx?: Queryable,
  ): Promise<TerminalCredentialsResponse> {
    if (tx) return this.issueIn(tx, terminalId, actor, origin);
    return inTransaction(this.pool, async (db) => {
      const issued = await this.issueIn(db, terminalId, actor, origin);
      return issued;
    });
  }

  private async issueIn(db: Queryable, terminalId: string, actor: Principal | null, origin: RequestOrigin | null): Promise<TerminalCredentialsResponse> {
    const password = newSecret();
    const secretHash = await hashSecret(password);
    const terminal = rowsOf<{ found: number }>(await db.query('SELECT 1 AS found FROM terminals WHERE terminal_id = $1 FOR UPDATE', [terminalId]));
    if (terminal.length === 0) throw new NotFoundException({ code: 'terminal.not_found', params: { terminalId }, message: `no terminal ${terminalId} in the registry` });
    const revoked = rowsOf<{ id: unknown }>(
      await db.query('UPDATE terminal_credentials SET revoked_at = now() WHERE terminal_id = $1 AND revoked_at IS NULL RETURNING terminal_id AS id', [terminalId]),
    );
    const rotated = revoked.length > 0;
    const rows = rowsOf<{ issued_at: Date }>(
      await db.query(
        'INSERT INTO terminal_credentials (terminal_id, secret_hash, issued_by) VALUES ($1, $2, $3) RETURNING issued_at',
        [terminalId, secretHash, actor?.userId ?? null],
      ),
    );
    await this.audit.record(
      {
        action: 'terminal.credentials.issue',
        actor,
        origin,
        resourceType: 'terminal',
        resourceId: terminalId,
        detail: { rotated, broker: this.dynsec ? 'mosquitto-dynsec' : 'registry' },
      },
      db,
    );
    // The broker learns the secret before the registry commits it; if it refuses, nothing changes.
    if (this.dynsec) await this.dynsec.provisionTerminal(terminalId, password);
    return { terminalId, clientId: terminalId, username: terminalId, password, issuedAt: rows[0]!.issued_at.toISOString(), rotated };
  }

  /**
   * Whether `secret` is the terminal's current one. The active hash is read on every call (one
   * indexed row), so a rotation or revocation holds for the next connection on every API
   * instance; only the PBKDF2 of a secret already verified against that same hash is skipped.
   */
  async verify(terminalId: string, secret: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ secret_hash: string }>(
      'SELECT secret_hash FROM terminal_credentials WHERE terminal_id = $1 AND revoked_at IS NULL',
      [terminalId],
    );
    const hash = rows[0]?.secret_hash;
    if (!hash) return false;
    const digest = createHash('sha256').update(secret).digest('base64');
    if (this.verified.get(hash) === digest) return true;
    if (!(await verifySecret(secret, hash))) return false;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(hash, digest);
    return true;
  }
}
