import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import { ComplianceLiveEvent, type CaseChangedEvent, LIVE_NAMESPACE, LiveEvent, type TruckPosition } from '@muckwatch/contracts';
import { AuthService } from '../auth/auth.service.js';
import type { Principal } from '../auth/principal.js';
import { SessionEvents, type SessionChange } from '../auth/session-events.js';
import { DomainEvents } from '../events/domain-events.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { LatestPositionsRepository } from './latest-positions.repository.js';
import { TownScope } from './town-scope.js';

/** How often connected consoles' sessions are checked again (a revoked session loses its socket). */
const RECHECK_MS = 30_000;
/** Consoles that see every truck; a town official's socket is in `town:<code>` instead. */
const DISTRICT_ROOM = 'district';

function roomOf(principal: Principal): string {
  return principal.role === 'town_official' && principal.townCode ? `town:${principal.townCode}` : DISTRICT_ROOM;
}

/**
 * Compliance alarms: the district's for admins, dispatchers and auditors, a town's for its
 * officials. Enforcement officers hear no raw alarm: their department's room gets `case_changed`
 * when a case is assigned to (or taken from) their department.
 */
function alarmRoomOf(principal: Principal): string | null {
  if (principal.role === 'town_official') return principal.townCode ? `alarms:town:${principal.townCode}` : null;
  if (principal.role === 'enforcement_officer') return principal.department ? departmentRoom(principal.department) : null;
  return ALARMS_DISTRICT_ROOM;
}
const ALARMS_DISTRICT_ROOM = 'alarms:district';

function departmentRoom(code: string): string {
  return `department:${code}`;
}

interface LiveSocketData {
  principal: Principal;
}

/**
 * The live map's socket: signed-in users only (`auth: { token }` in the handshake), a snapshot
 * of every truck on connect, then batched updates. A town official gets only the trucks inside
 * their own town.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(LiveGateway.name);
  @WebSocketServer() private readonly server!: Namespace;
  private recheck: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly latest: LatestPositionsRepository,
    private readonly metrics: MetricsService,
    private readonly auth: AuthService,
    private readonly sessionEvents: SessionEvents,
    private readonly towns: TownScope,
    private readonly events: DomainEvents,
  ) {}

  afterInit(server: Namespace): void {
    server.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.['token'];
      if (typeof token !== 'string') return next(new Error('unauthorized'));
      this.auth.authenticate(token).then(
        (principal) => {
          if (!principal) return next(new Error('unauthorized'));
          (socket.data as LiveSocketData) = { principal };
          next();
        },
        () => next(new Error('unavailable')),
      );
    });
    this.recheck = setInterval(() => void this.recheckSessions(), RECHECK_MS);
    this.recheck.unref();
    this.subscription = this.sessionEvents.changes.subscribe((change) => void this.recheckSessions(change));
    this.unsubscribe.push(
      this.events.subscribe('violation.opened', ({ violation }) => this.emitAlarm(ComplianceLiveEvent.ViolationOpened, violation, violation.townCode)),
      this.events.subscribe('violation.closed', ({ violation }) => this.emitAlarm(ComplianceLiveEvent.ViolationClosed, violation, violation.townCode)),
      this.events.subscribe('case.changed', ({ previousDepartmentCode, ...event }) => this.emitCase(event, previousDepartmentCode)),
      this.events.subscribe('live.positions', ({ positions }) => this.broadcast(positions)),
    );
  }

  onModuleDestroy(): void {
    clearInterval(this.recheck);
    this.subscription?.unsubscribe();
    for (const off of this.unsubscribe.splice(0)) off();
  }

  async handleConnection(client: Socket): Promise<void> {
    this.metrics.liveClients.inc();
    const { principal } = client.data as LiveSocketData;
    const room = roomOf(principal);
    await client.join(room);
    const alarms = alarmRoomOf(principal);
    if (alarms) await client.join(alarms);
    try {
      if (room !== DISTRICT_ROOM) await this.towns.ready();
      const all = await this.latest.all();
      client.emit(LiveEvent.Snapshot, room === DISTRICT_ROOM ? all : this.towns.within(all, principal.townCode!));
    } catch (error) {
      this.logger.error(`snapshot failed: ${(error as Error).message}`);
      client.disconnect(true);
    }
  }

  handleDisconnect(): void {
    this.metrics.liveClients.dec();
  }

  /**
   * To the district's consoles and each town's its own trucks. Nothing is encoded for a room with
   * no console on this instance (rooms are local to socket.io's in-memory adapter).
   */
  broadcast(positions: TruckPosition[]): void {
    const rooms = this.server.adapter.rooms;
    if (rooms.get(DISTRICT_ROOM)?.size) this.server.to(DISTRICT_ROOM).emit(LiveEvent.Positions, positions);
    for (const [room, sockets] of rooms) {
      if (!room.startsWith('town:') || sockets.size === 0) continue;
      const inTown = this.towns.within(positions, room.slice('town:'.length));
      if (inTown.length > 0) this.server.to(room).emit(LiveEvent.Positions, inTown);
    }
  }

  /** A compliance alarm to the consoles allowed to see it: the district's, and the town it happened in. */
  emitAlarm(event: string, payload: unknown, townCode: string | null): void {
    const target = townCode ? this.server.to(ALARMS_DISTRICT_ROOM).to(`alarms:town:${townCode}`) : this.server.to(ALARMS_DISTRICT_ROOM);
    target.emit(event, payload);
  }

  /**
   * A case moved: to the muck office's consoles, the town it happened in, and the officers of the
   * department that holds it now (and of the one it was taken from, so their inbox drops it).
   */
  emitCase(event: CaseChangedEvent, previousDepartmentCode: string | null): void {
    const { violation } = event;
    let target = this.server.to(ALARMS_DISTRICT_ROOM);
    if (violation.townCode) target = target.to(`alarms:town:${violation.townCode}`);
    if (violation.departmentCode) target = target.to(departmentRoom(violation.departmentCode));
    if (previousDepartmentCode && previousDepartmentCode !== violation.departmentCode) target = target.to(departmentRoom(previousDepartmentCode));
    target.emit(ComplianceLiveEvent.CaseChanged, event);
  }

  /**
   * Ends the sockets whose session was revoked or whose user was disabled, and takes up a changed
   * role or scope: at once for a change made here, every RECHECK_MS for any. An access token that
   * merely expired does not end a socket: the session behind it is what counts.
   */
  private async recheckSessions(change?: SessionChange): Promise<void> {
    for (const socket of this.server.sockets.values()) {
      const data = socket.data as LiveSocketData;
      if (change && !('sessionId' in change ? change.sessionId === data.principal.sessionId : change.userId === data.principal.userId)) continue;
      const principal = await this.auth.sessionPrincipal(data.principal.sessionId).catch(() => data.principal);
      if (principal) {
        if (roomOf(principal) !== roomOf(data.principal)) {
          await socket.leave(roomOf(data.principal));
          await socket.join(roomOf(principal));
        }
        const [before, after] = [alarmRoomOf(data.principal), alarmRoomOf(principal)];
        if (before !== after) {
          if (before) await socket.leave(before);
          if (after) await socket.join(after);
        }
        data.principal = principal;
      } else {
        socket.emit(LiveEvent.SessionEnded);
        socket.disconnect(true);
      }
    }
  }
}
