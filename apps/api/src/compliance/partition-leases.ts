import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Which instance evaluates which terminals. The terminals are cut into PARTITIONS by a hash of
 * their id; an instance evaluates a partition while it holds that partition's PostgreSQL advisory
 * lock on a connection of its own (the lease). Locks are PostgreSQL's: exclusive, and released the
 * moment the holder's session ends — an instance that dies (SIGKILL, lost network) lets go of its
 * partitions as soon as PostgreSQL sees its connection close, and the survivors take them.
 *
 * Each round (every ROUND_MS) an instance counts the instances of its cluster (the lease
 * connections in pg_stat_activity, by application name), takes free partitions up to its fair
 * share (⌈PARTITIONS / instances⌉) and, when it holds more than that (an instance joined), gives
 * back the surplus after its owner callback has saved their state.
 */
export const PARTITIONS = 32;
export const ROUND_MS = 2_000;

/** The partition of a terminal: stable across processes and versions (SHA-256 of its id). */
export function partitionOf(terminalId: string): number {
  return createHash('sha256').update(terminalId).digest().readUInt32BE(0) % PARTITIONS;
}

export interface LeaseOwner {
  /** Partitions just taken: rebuild their terminals from checkpoints and stored fixes. */
  acquired(partitions: readonly number[]): Promise<void>;
  /** Partitions about to be given back: stop evaluating them and save their state. */
  releasing(partitions: readonly number[]): Promise<void>;
  /** Every partition is lost at once (the lease connection failed): forget their terminals. */
  lost(partitions: readonly number[]): Promise<void>;
}

export class PartitionLeases {
  private client: pg.Client | null = null;
  private readonly owned = new Set<number>();
  private instanceCount = 1;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly applicationName: string;
  private readonly lockClass: number;

  constructor(
    private readonly databaseUrl: string,
    clusterName: string,
    private readonly owner: LeaseOwner,
    private readonly log: { warn(message: string): void; log(message: string): void },
  ) {
    // ≤ 63 characters (PostgreSQL's limit): the cluster name is ≤ 40.
    this.applicationName = `muckwatch-lease:${clusterName}`;
    // The advisory lock's first key: the cluster's own space of locks (second key: the partition).
    this.lockClass = createHash('sha256').update(`compliance-partitions:${clusterName}`).digest().readInt32BE(0);
  }

  /** Instances of the cluster at the last round (this one included). */
  get instances(): number {
    return this.instanceCount;
  }

  owns(partition: number): boolean {
    return this.owned.has(partition);
  }

  ownedPartitions(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  /** The first round (awaited at boot, so the instance starts with its share), then one every ROUND_MS. */
  async start(): Promise<void> {
    await this.runRound();
    this.timer = setInterval(() => void this.runRound(), ROUND_MS);
    this.timer.unref();
  }

  /** Gives every partition back (their state saved first) and closes the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.round;
    const client = this.client;
    this.client = null;
    if (client && this.owned.size > 0) {
      const all = this.ownedPartitions();
      this.owned.clear();
      await this.owner.releasing(all).catch((error: unknown) => this.log.warn(`saving the partitions' state failed: ${String(error)}`));
    }
    // Closing the session releases its locks.
    await client?.end().catch(() => undefined);
  }

  private runRound(): Promise<void> {
    this.round = this.round.then(() => this.balance()).catch((error: unknown) => this.log.warn(`partition round failed: ${String(error)}`));
    return this.round;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: this.applicationName, keepAlive: true });
    client.on('error', (error) => {
      this.log.warn(`lease connection failed: ${error.message}`);
      void this.dropLease(client);
    });
    client.on('end', () => void this.dropLease(client));
    await client.connect();
    return client;
  }

  /** The lease session ended: PostgreSQL has released its locks, so this instance owns nothing. */
  private async dropLease(client: pg.Client): Promise<void> {
    if (this.client !== client) return;
    this.client = null;
    const lost = this.ownedPartitions();
    this.owned.clear();
    if (lost.length > 0) {
      this.log.warn(`lease lost: partitions ${lost.join(', ')} go to the other instances`);
      await this.owner.lost(lost).catch((error: unknown) => this.log.warn(`forgetting lost partitions failed: ${String(error)}`));
    }
  }

  private async balance(): Promise<void> {
    if (this.stopped) return;
    if (!this.client) this.client = await this.connect();
    const client = this.client;
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1`, [this.applicationName]);
    const instances = Math.max(1, Number(rows[0]?.n ?? 1));
    this.instanceCount = instances;
    const share = Math.ceil(PARTITIONS / instances);
    if (this.owned.size > share) {
      const surplus = this.ownedPartitions().slice(share);
      // Not evaluated here from now on; their state saved, then the locks go.
      for (const p of surplus) this.owned.delete(p);
      try {
        await this.owner.releasing(surplus);
      } finally {
        for (const p of surplus) await client.query(`SELECT pg_advisory_unlock($1, $2)`, [this.lockClass, p]);
      }
      this.log.log(`gave back partitions ${surplus.join(', ')} (${instances} instances)`);
      return;
    }
    if (this.owned.size >= share) return;
    const taken: number[] = [];
    for (let p = 0; p < PARTITIONS && this.owned.size + taken.length < share; p += 1) {
      if (this.owned.has(p)) continue;
      const { rows: got } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1, $2) AS ok`, [this.lockClass, p]);
      if (got[0]?.ok) taken.push(p);
    }
    if (taken.length === 0) return;
    for (const p of taken) this.owned.add(p);
    try {
      await this.owner.acquired(taken);
    } catch (error) {
      // Not rebuilt: given back, to be taken again (by this instance or another) next round.
      for (const p of taken) {
        this.owned.delete(p);
        await client.query(`SELECT pg_advisory_unlock($1, $2)`, [this.lockClass, p]).catch(() => undefined);
      }
      throw error;
    }
    this.log.log(`took partitions ${taken.join(', ')} (${instances} instances, ${this.owned.size} held)`);
  }
}
