import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import {
  CONTROL_POLICIES,
  type ControlPolicy,
  type ControlPolicySettings,
  type ControlPolicySettingsUpdate,
  type TerminalCommandRecord,
} from '@muckwatch/contracts';
import { ComplianceFacts, FAMILY_OF_POLICY, controlDecision, controlWishes, type ControlSwitches, type ControlWish } from '@muckwatch/domain';
import { AuditService } from '../audit/audit.service.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { loadRegistrySnapshot } from '../compliance/registry-snapshot.js';
import { PG_POOL } from '../database/database.module.js';
import { DomainEvents } from '../events/domain-events.js';
import type { PositionRow } from '../ingest/telemetry-message.js';
import { CommandsRepository } from './commands.repository.js';
import { CommandsService } from './commands.service.js';

/** A fix older than this when committed (a backlog) says nothing about the truck now. */
const STALE_FIX_MS = 10 * 60_000;
/** After a policy command failed (refused, timed out, expired), the policy waits this long before trying again. */
const RETRY_AFTER_FAILURE_MS = 5 * 60_000;
/** Other instances' switch changes are read this often. */
const SETTINGS_RELOAD_MS = 60_000;

interface Hold {
  policy: ControlPolicy;
  commandId: string;
  speedKmh?: number;
  /** A dispatcher released this restriction by hand: the policy stays quiet until its condition ends. */
  overridden: boolean;
}

const key = (terminalId: string, family: string): string => `${terminalId}|${family}`;

/**
 * The control policies at work: each committed fix (`fixes.committed`) is checked in memory
 * against the registry snapshot and its geofence index (libs/domain control-rules.ts, the
 * compliance engine's ComplianceFacts; no database round trip per fix), and a change of what a
 * switched-on policy wants becomes a command: the restriction, or its release. One restriction per
 * terminal and family at a time; a dispatcher's own restriction, or their release of a policy's,
 * takes precedence. Every policy is off until the administrator switches it on (a wrong lock stops
 * a truck on the road: that is a decision, audited, not a default).
 */
@Injectable()
export class ControlPolicies implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ControlPolicies');
  private facts: ComplianceFacts | null = null;
  private settings: ControlPolicySettings | null = null;
  private readonly holds = new Map<string, Hold>();
  private readonly retryAfter = new Map<string, number>();
  /** The newest fix time seen per terminal: a late fix does not turn the clock back. */
  private readonly lastFixMs = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private readonly stops: Array<() => void> = [];
  private reloadTimer: NodeJS.Timeout | null = null;
  private registryTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly repository: CommandsRepository,
    private readonly commands: CommandsService,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    this.enqueue('load', async () => {
      await this.loadSettings();
      for (const r of await this.repository.policyRestrictions()) {
        const record = await this.repository.one(r.id);
        this.holds.set(key(r.terminalId, r.family), { policy: r.policy, commandId: r.id, speedKmh: record?.params.speedKmh, overridden: false });
      }
    });
    this.stops.push(
      this.events.subscribe('fixes.committed', ({ positions }) => this.committed(positions)),
      this.events.subscribe('registry.changed', () => {
        if (this.registryTimer) clearTimeout(this.registryTimer);
        // Loaded only once a policy needs it (check); after that, kept current.
        this.registryTimer = setTimeout(() => this.enqueue('registry reload', async () => (this.facts ? this.loadFacts() : undefined)), 1000);
        this.registryTimer.unref();
      }),
      this.commands.onChange((record) => this.commandChanged(record)),
    );
    this.reloadTimer = setInterval(() => this.enqueue('settings reload', () => this.loadSettings()), SETTINGS_RELOAD_MS);
    this.reloadTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    if (this.reloadTimer) clearInterval(this.reloadTimer);
    if (this.registryTimer) clearTimeout(this.registryTimer);
    await this.queue;
  }

  /** Resolves once the work queued so far is done (tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  // ---------- the administrator's switches ----------

  async getSettings(): Promise<ControlPolicySettings> {
    return this.repository.policySettings();
  }

  async updateSettings(update: ControlPolicySettingsUpdate, principal: Principal, origin: RequestOrigin): Promise<ControlPolicySettings> {
    const before = await this.repository.policySettings();
    await this.repository.transaction(async (db) => {
      for (const policy of CONTROL_POLICIES) {
        const enabled = update.enabled?.[policy];
        const speedKmh = policy === 'speed_cap_cover_open' ? update.coverOpenSpeedKmh : undefined;
        if (enabled === undefined && speedKmh === undefined) continue;
        await this.repository.updatePolicy(policy, { ...(enabled !== undefined && { enabled }), ...(speedKmh !== undefined && { speedKmh }) }, principal.username, db);
      }
      const after = await this.repository.policySettings(db);
      await this.audit.record({ action: 'control_policy.update', actor: principal, origin, resourceType: 'control_policy', resourceId: null, before: summary(before), after: summary(after) }, db);
    });
    const after = await this.repository.policySettings();
    this.enqueue('settings changed', async () => {
      this.settings = after;
      // A policy switched off lifts what it put in force.
      for (const [k, hold] of [...this.holds]) {
        if (this.switches().enabled[hold.policy]) continue;
        const terminalId = k.slice(0, k.indexOf('|'));
        this.holds.delete(k);
        if (!hold.overridden) await this.release(terminalId, hold, 'policy switched off');
      }
    });
    await this.queue;
    return after;
  }

  // ---------- fixes ----------

  private committed(positions: readonly PositionRow[]): void {
    if (!this.settings || !this.anyEnabled()) return;
    const now = Date.now();
    const latest = new Map<string, PositionRow>();
    for (const p of positions) {
      if (!p.valid || p.quality.length > 0 || now - p.fixTimeMs > STALE_FIX_MS) continue;
      if (p.fixTimeMs < (this.lastFixMs.get(p.terminalId) ?? 0)) continue;
      const seen = latest.get(p.terminalId);
      if (!seen || seen.fixTimeMs <= p.fixTimeMs) latest.set(p.terminalId, p);
    }
    if (latest.size === 0) return;
    for (const p of latest.values()) this.lastFixMs.set(p.terminalId, p.fixTimeMs);
    this.enqueue('fixes', () => this.check([...latest.values()]));
  }

  private async check(fixes: PositionRow[]): Promise<void> {
    if (!this.facts) await this.loadFacts();
    const facts = this.facts!;
    const switches = this.switches();
    for (const fix of fixes) {
      const wishes = controlWishes(
        { terminalId: fix.terminalId, atMs: fix.fixTimeMs, lon: fix.lon, lat: fix.lat, cover: fix.cover, body: fix.body },
        facts,
        switches,
      );
      for (const wish of wishes) await this.act(fix.terminalId, wish, facts);
    }
  }

  private async act(terminalId: string, wish: ControlWish, facts: ComplianceFacts): Promise<void> {
    const k = key(terminalId, wish.family);
    const hold = this.holds.get(k) ?? null;
    if (hold?.overridden) {
      if (!wish.restrict) this.holds.delete(k);
      return;
    }
    if (wish.restrict && (this.retryAfter.get(k) ?? 0) > Date.now()) return;
    // Cheap in memory first; the database is asked only about a change.
    const decision = controlDecision(hold, wish, false);
    if (decision === null) return;
    if (decision === 'release') {
      this.holds.delete(k);
      await this.release(terminalId, hold!, wish.reason);
      return;
    }
    if (await this.repository.manualRestrictionInForce(terminalId, wish.family)) return;
    const truck = facts.truckOfTerminal(terminalId);
    const record = await this.commands.issue({
      terminalId,
      truckId: truck?.id ?? null,
      kind: wish.family === 'lock' ? 'lock' : wish.family === 'speed' ? 'speed_cap' : 'lift_inhibit',
      params: wish.speedKmh !== undefined ? { speedKmh: wish.speedKmh } : {},
      reason: wish.reason.slice(0, 500),
      issuer: { kind: 'policy', policy: wish.policy },
    });
    this.holds.set(k, { policy: wish.policy, commandId: record.id, ...(wish.speedKmh !== undefined && { speedKmh: wish.speedKmh }), overridden: false });
  }

  private async release(terminalId: string, hold: Hold, reason: string): Promise<void> {
    const family = FAMILY_OF_POLICY[hold.policy];
    const truckId = this.facts?.truckOfTerminal(terminalId)?.id ?? (await this.repository.truckOfTerminal(terminalId));
    await this.commands.issue({
      terminalId,
      truckId,
      kind: family === 'lock' ? 'unlock' : family === 'speed' ? 'speed_release' : 'lift_release',
      params: {},
      reason: reason.slice(0, 500),
      issuer: { kind: 'policy', policy: hold.policy },
    });
  }

  /** A policy's command that failed frees its family (retried later); a dispatcher's release of it overrides the policy. */
  private commandChanged(record: TerminalCommandRecord): void {
    const family = record.kind === 'lock' ? 'lock' : record.kind === 'speed_cap' ? 'speed' : record.kind === 'lift_inhibit' ? 'lift' : null;
    if (!family) return;
    const k = key(record.terminalId, family);
    const hold = this.holds.get(k);
    if (!hold || hold.commandId !== record.id) return;
    if (record.releasedAt !== null && record.releasedBy !== null && !record.releasedBy.startsWith('policy:')) {
      hold.overridden = true;
      return;
    }
    if (['refused', 'unsupported', 'failed', 'timed_out', 'expired', 'superseded'].includes(record.state)) {
      this.holds.delete(k);
      if (record.state !== 'superseded') this.retryAfter.set(k, Date.now() + RETRY_AFTER_FAILURE_MS);
    }
  }

  // ---------- state ----------

  private switches(): ControlSwitches {
    const settings = this.settings;
    const enabled = Object.fromEntries(CONTROL_POLICIES.map((p) => [p, settings?.policies.find((s) => s.policy === p)?.enabled ?? false])) as ControlSwitches['enabled'];
    return { enabled, coverOpenSpeedKmh: settings?.coverOpenSpeedKmh ?? 30 };
  }

  private anyEnabled(): boolean {
    return this.settings?.policies.some((p) => p.enabled) ?? false;
  }

  private async loadSettings(): Promise<void> {
    this.settings = await this.repository.policySettings();
  }

  private async loadFacts(): Promise<void> {
    this.facts = new ComplianceFacts(await loadRegistrySnapshot(this.pool));
  }

  private enqueue(what: string, work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => this.logger.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  }
}

function summary(settings: ControlPolicySettings): Record<string, unknown> {
  return { ...Object.fromEntries(settings.policies.map((p) => [p.policy, p.enabled])), coverOpenSpeedKmh: settings.coverOpenSpeedKmh };
}
