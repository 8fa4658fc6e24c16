import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { inTransaction } from '../../database/transaction.js';
import type { RegistryChange, RegistryResourceType } from '@muckwatch/contracts';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal, RequestOrigin } from '../../auth/principal.js';
import { PG_POOL } from '../../database/database.module.js';
import { conflictFromPg } from './pg-errors.js';
import { RegistryChanges } from './registry-changes.service.js';

export interface Sql {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Who changes the registry, for the audit log. */
export interface Actor {
  principal: Principal;
  origin: RequestOrigin;
}

/** One registry transaction: SQL on one connection, audit rows in the same transaction. */
export class RegistryTx {
  readonly changes: RegistryChange[] = [];

  constructor(
    readonly sql: Sql,
    private readonly actor: Actor,
    private readonly audit: AuditService,
  ) {}

  /** Appends the audit row (who, when, before, after) and queues the change event for after COMMIT. */
  async audited(resourceType: RegistryResourceType, action: RegistryChange['action'], resourceId: string, before: unknown, after: unknown): Promise<void> {
    await this.audit.record(
      {
        action: `${resourceType}.${action}`,
        actor: this.actor.principal,
        origin: this.actor.origin,
        resourceType,
        resourceId,
        before: before ?? null,
        after: after ?? null,
      },
      this.sql,
    );
    this.changes.push({ resourceType, resourceId, action, at: new Date().toISOString() });
  }
}

/** Reads from the pool; writes in a transaction whose audit rows commit with it, then publishes the changes. */
@Injectable()
export class RegistryDb {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly audit: AuditService,
    private readonly registryChanges: RegistryChanges,
  ) {}

  get sql(): Sql {
    return this.pool;
  }

  async rows<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(text, params)).rows;
  }

  /**
   * One transaction with its audit rows; RegistryChange events after COMMIT. A unique or foreign-key
   * violation that a statement's own `orConflict` did not map (a trigger's, a cascade's) is a 409
   * all the same, never a 500.
   */
  async write<T>(actor: Actor, work: (tx: RegistryTx) => Promise<T>): Promise<T> {
    let tx: RegistryTx | undefined;
    const result = await inTransaction(this.pool, (client) => {
      tx = new RegistryTx(client, actor, this.audit);
      return work(tx);
    }).catch((error: unknown) => conflictFromPg(error));
    for (const change of tx?.changes ?? []) this.registryChanges.publish(change);
    return result;
  }
}
