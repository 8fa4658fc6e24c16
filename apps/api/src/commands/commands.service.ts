import { type BeforeApplicationShutdown, ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import {
  COMMAND_FAMILY,
  RELEASE_OF,
  RESTRICTING_KINDS,
  isReleaseKind,
  type CommandKind,
  type CommandParams,
  type CommandReleaseRequest,
  type CommandRequest,
  type ControlPolicy,
  type RestrictingKind,
  type Role,
  type TerminalCommandList,
  type TerminalCommandRecord,
} from '@muckwatch/contracts';
import { AuditService } from '../audit/audit.service.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { CommandDoors, type CommandAnswer } from './command-doors.js';
import { CommandsRepository, type ClaimedCommand } from './commands.repository.js';

/** Who may send and release commands, and who may read them (town officials and enforcement officers: neither). */
export const COMMAND_SENDERS: readonly Role[] = ['admin', 'dispatcher'];
export const COMMAND_READERS: readonly Role[] = ['admin', 'dispatcher', 'auditor'];

/** Who issues a command: a person, or a control policy. */
export type CommandIssuer =
  | { kind: 'person'; principal: Principal; origin: RequestOrigin | null }
  | { kind: 'policy'; policy: ControlPolicy };

export interface IssueRequest {
  terminalId: string;
  truckId: string | null;
  kind: CommandKind;
  params: CommandParams;
  reason: string;
  issuer: CommandIssuer;
  ttlMs?: number;
}

function isRestricting(kind: CommandKind): kind is RestrictingKind {
  return (RESTRICTING_KINDS as readonly string[]).includes(kind);
}

/** Only the params of the kind travel: a lock carries none even if the body had some. */
function paramsOf(kind: CommandKind, params: CommandParams | undefined): CommandParams {
  if (kind === 'speed_cap') return { speedKmh: params?.speedKmh };
  if (kind === 'display_text') return { text: params?.text?.trim() };
  return {};
}

/**
 * Commands to terminals: issued by a dispatcher or a policy, recorded, delivered through a door
 * (MQTT or JT/T 808) with retries, expiry and supersession, and released. Every issue and release
 * is audited in the same transaction as its row.
 *
 * Delivery: a command is `pending` until a door reaches its terminal; an attempt claims the row
 * (`sent`, FOR UPDATE SKIP LOCKED) and waits up to COMMAND_TIMEOUT_MS for the answer; without one
 * it is pending again until COMMAND_ATTEMPTS attempts, then `timed_out`. A pending command past
 * its `expiresAt` is `expired`. The sweep (COMMAND_SWEEP_MS) also delivers what another instance's
 * terminal came online for, and recovers attempts a stopped instance left in flight.
 */
@Injectable()
export class CommandsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Commands');
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private stopped = false;
  /** Attempts in flight in this process, settled before shutdown completes. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listeners = new Set<(record: TerminalCommandRecord) => void>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly repository: CommandsRepository,
    private readonly doors: CommandDoors,
    private readonly audit: AuditService,
  ) {
    doors.onTerminalReachable((terminalId) => this.deliver(terminalId));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.commands.sweepMs);
    this.timer.unref();
  }

  /** Stops issuing attempts and waits (briefly) for database work in flight; unanswered attempts are recovered later. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
  }

  // ---------- reading ----------

  async ofTruck(truckId: string): Promise<TerminalCommandList> {
    const truck = await this.repository.truck(truckId);
    if (!truck) throw new NotFoundException({ code: 'command.truck_not_found', message: 'no such truck' });
    return { truckId: truck.id, terminalId: truck.terminalId, items: await this.repository.ofTruck(truck.id) };
  }

  // ---------- issuing ----------

  /** A dispatcher's command to a truck. */
  async issueManual(truckId: string, body: CommandRequest, principal: Principal, origin: RequestOrigin): Promise<TerminalCommandRecord> {
    if (!COMMAND_SENDERS.includes(principal.role)) throw new ForbiddenException({ code: 'auth.role_required', params: { roles: COMMAND_SENDERS }, message: 'role required' });
    const truck = await this.repository.truck(truckId);
    if (!truck) throw new NotFoundException({ code: 'command.truck_not_found', message: 'no such truck' });
    if (!truck.terminalId) throw new ConflictException({ code: 'command.no_terminal', params: { plate: truck.plate }, message: `truck ${truck.plate} has no terminal` });
    return this.issue({
      terminalId: truck.terminalId,
      truckId: truck.id,
      kind: body.kind,
      params: paramsOf(body.kind, body.params),
      reason: body.reason.trim(),
      issuer: { kind: 'person', principal, origin },
      ...(body.ttlMinutes ? { ttlMs: body.ttlMinutes * 60_000 } : {}),
    });
  }

  /** A dispatcher releases a restriction: the release command of its family, sent like any other. */
  async releaseManual(commandId: string, body: CommandReleaseRequest, principal: Principal, origin: RequestOrigin): Promise<TerminalCommandRecord> {
    const command = await this.repository.one(commandId);
    if (!command) throw new NotFoundException({ code: 'command.not_found', message: 'no such command' });
    if (!isRestricting(command.kind)) throw new ConflictException({ code: 'command.not_releasable', params: { kind: command.kind }, message: `${command.kind} is not a restriction` });
    if (command.releasedAt !== null || !['pending', 'sent', 'acknowledged'].includes(command.state)) {
      throw new ConflictException({ code: 'command.already_released', message: 'already released or no longer in force' });
    }
    return this.issue({
      terminalId: command.terminalId,
      truckId: command.truckId,
      kind: RELEASE_OF[command.kind],
      params: {},
      reason: body.reason.trim(),
      issuer: { kind: 'person', principal, origin },
    });
  }

  /**
   * Records a command and starts its delivery. A newer command of a family supersedes the
   * family's pending or in-flight older ones; a release marks the family's restrictions in force
   * released (by whom, when, by which command) the moment it is issued.
   */
  async issue(request: IssueRequest): Promise<TerminalCommandRecord> {
    const family = COMMAND_FAMILY[request.kind];
    const person = request.issuer.kind === 'person' ? request.issuer : null;
    const policy = request.issuer.kind === 'policy' ? request.issuer.policy : null;
    const by = person ? person.principal.username : `policy:${policy}`;
    const record = await this.repository.transaction(async (db) => {
      const released = isReleaseKind(request.kind) ? await this.repository.inForce(request.terminalId, family, db) : [];
      const inserted = await this.repository.insert(
        {
          terminalId: request.terminalId,
          truckId: request.truckId,
          kind: request.kind,
          params: request.params,
          reason: request.reason,
          origin: person ? 'manual' : 'policy',
          policy,
          issuedById: person?.principal.userId ?? null,
          issuedBy: person?.principal.username ?? null,
          expiresInMs: request.ttlMs ?? this.config.commands.expiryMs,
        },
        db,
      );
      const superseded = await this.repository.supersede(request.terminalId, family, inserted.id, db);
      await this.repository.markReleased(released.map((r) => r.id), by, inserted.id, db);
      await this.audit.record(
        {
          action: isReleaseKind(request.kind) ? 'command.release' : 'command.issue',
          actor: person?.principal ?? null,
          origin: person?.origin ?? null,
          resourceType: 'terminal_command',
          resourceId: inserted.id,
          after: { terminalId: inserted.terminalId, truckId: inserted.truckId, plate: inserted.plate, kind: inserted.kind, params: inserted.params, reason: inserted.reason, expiresAt: inserted.expiresAt },
          detail: { origin: inserted.origin, policy, superseded, released: released.map((r) => r.id) },
        },
        db,
      );
      return { inserted, released: released.map((r) => r.id) };
    });
    this.changed(record.inserted);
    // The restrictions it released changed too (the policies learn a dispatcher overrode them).
    for (const id of record.released) await this.refresh(id);
    this.deliver(record.inserted.terminalId);
    return record.inserted;
  }

  // ---------- delivery ----------

  /** Listens to every change of a command's record (the policies, tests). Returns the unsubscribe. */
  onChange(listener: (record: TerminalCommandRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends the due commands of one terminal (or all reachable ones) now. */
  deliver(terminalId: string | null = null): void {
    if (this.stopped) return;
    const run = this.claimAndSend(terminalId).catch((error: unknown) => this.logger.warn(`delivery failed: ${(error as Error).message}`));
    this.track(run);
  }

  /** Expiry, recovery of stale attempts, and delivery of everything due. */
  async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      const { timeoutMs, attempts } = this.config.commands;
      for (const id of await this.repository.expire()) await this.refresh(id);
      await this.repository.recoverStale(2 * timeoutMs + 10_000, attempts);
      await this.claimAndSend(null);
    } catch (error) {
      this.logger.warn(`sweep failed: ${(error as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }

  private async claimAndSend(terminalId: string | null): Promise<void> {
    const claimed = await this.repository.claim((id) => this.doors.doorFor(id)?.name ?? null, terminalId);
    for (const command of claimed) {
      this.track(this.attempt(command).catch((error: unknown) => this.logger.warn(`command ${command.record.id}: ${(error as Error).message}`)));
    }
  }

  private async attempt({ record, attempt }: ClaimedCommand): Promise<void> {
    this.changed(record);
    const door = this.doors.doorFor(record.terminalId);
    const { timeoutMs, attempts } = this.config.commands;
    let answer: CommandAnswer | null = null;
    if (door) {
      try {
        answer = await door.send(
          { id: record.id, terminalId: record.terminalId, kind: record.kind, params: record.params, issuedAt: record.createdAt, expiresAt: record.expiresAt, attempt },
          timeoutMs,
        );
      } catch (error) {
        this.logger.debug(`command ${record.id} attempt ${attempt}: ${(error as Error).message}`);
      }
    }
    // Shutting down: the row stays `sent`; the sweep of the next instance recovers it.
    if (this.stopped) return;
    if (answer) {
      await this.repository.answered(record.id, attempt, answer.outcome, answer.outcome === 'acknowledged' ? null : answer.detail.slice(0, 500));
      await this.refresh(record.id);
      return;
    }
    const state = await this.repository.unanswered(record.id, attempt, attempts);
    await this.refresh(record.id);
    // The next attempt goes out at once when the terminal is still reachable (else when it returns).
    if (state === 'pending') this.deliver(record.terminalId);
  }

  private async refresh(id: string): Promise<void> {
    const record = await this.repository.one(id);
    if (record) this.changed(record);
  }

  private changed(record: TerminalCommandRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (error) {
        this.logger.warn(`command listener failed: ${(error as Error).message}`);
      }
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}
