import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Point, Polygon } from 'geojson';
import type pg from 'pg';
import {
  COLLECTION_REQUEST_STATES,
  FINDER_LEVELS,
  FINDING_KINDS,
  FINDING_STATUSES,
  LEDGER_BBOX,
  LEDGER_LIMITS,
  PILE_STATUSES,
  SAME_DAY_CLEARANCE_HOURS,
  formatDateTime,
  type CollectionCancelRequest,
  type CollectionDispatchRequest,
  type CollectionPoint,
  type CollectionPointInput,
  type CollectionPointPatch,
  type CollectionRequest,
  type CollectionRequestDetail,
  type CollectionRequestInput,
  type CollectionRequestPatch,
  type CollectionRequestState,
  type DispatchableTruck,
  type Finding,
  type FindingDetail,
  type FindingInput,
  type FindingKind,
  type FindingPatch,
  type FindingStatus,
  type FinderLevel,
  type LandNature,
  type LedgerPage,
  type LedgerPhoto,
  type LedgerTransitionRequest,
  type PileStatus,
  type RequesterKind,
  type TownLedgerCoverage,
  type WastePile,
  type WastePileDetail,
  type WastePileInput,
  type WastePilePatch,
} from '@muckwatch/contracts';
import {
  FINDING_OPEN_STATUSES,
  FINDING_TRANSITIONS,
  LEDGER_WRITERS,
  PILE_OPEN_STATUSES,
  PILE_TRANSITIONS,
  REQUEST_TRANSITIONS,
  allowedTargets,
  checkPolygon,
  findingOverdue,
  fulfilledSameDay,
  pileOverdue,
  planLedgerTransition,
} from '@muckwatch/domain';
import { villageByCode, villagesOfTown } from '@muckwatch/linzi';
import { AuditService } from '../audit/audit.service.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { ALLOWED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, sanitiseFileName, sniffType } from '../cases/attachment-files.js';
import { CodedError } from '../cases/case-errors.js';
import type { Db } from '../cases/cases.repository.js';
import { parseIntParam, parseTimeParam } from '../common/query-params.js';
import { PG_POOL } from '../database/database.module.js';
import { inTransaction } from '../database/transaction.js';
import { DomainEvents } from '../events/domain-events.js';
import {
  type FindingRow,
  type LedgerKind,
  LedgersRepository,
  type ListFilter,
  type PileRow,
  type PointRow,
  type RequestRow,
} from './ledgers.repository.js';

export interface Actor {
  principal: Principal;
  origin: RequestOrigin;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOWN_CODE = /^(\d{9}|E\d{8})$/;
const VILLAGE_CODE = /^\d{12}$/;
/** How far ahead of the server's clock a reported time may be (a phone's clock runs fast). */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Only JPEG, PNG and WebP photos (no PDF) in a ledger. */
const PHOTO_TYPES = ALLOWED_ATTACHMENT_TYPES.filter((t) => t.startsWith('image/'));

const NOUN: Record<LedgerKind, string> = { pile: 'waste pile', collection_point: 'collection point', collection_request: 'collection request', finding: 'finding' };

function notFound(kind: LedgerKind, id: string): CodedError {
  return new CodedError(404, 'ledger.not_found', `${NOUN[kind]} ${id} not found`, { kind, id });
}

function versionConflict(current: number): CodedError {
  return new CodedError(409, 'ledger.version_conflict', `changed by someone else (now version ${current})`, { currentVersion: current });
}

function todayLocal(): string {
  return formatDateTime(Date.now())!.slice(0, 10);
}

const num = (v: string | null): number | null => (v === null ? null : Number(v));

/** The towns' ledgers: rules, scope decisions and audit; SQL in LedgersRepository. */
@Injectable()
export class LedgersService {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly repo: LedgersRepository,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  // --- scope -------------------------------------------------------------------------------

  /** The one town the caller may see (a town official's), or null for every town. */
  private scope(principal: Principal): string | null {
    return principal.role === 'town_official' ? principal.townCode : null;
  }

  private writer(principal: Principal): void {
    if (!(LEDGER_WRITERS as readonly string[]).includes(principal.role)) {
      throw new CodedError(403, 'ledger.read_only', `a ${principal.role} reads the ledgers but changes nothing`, { role: principal.role });
    }
  }

  /**
   * The town a new record belongs to: a town official's own; the muck office names it, or it is
   * the town whose area holds `place` (a polygon: its point on surface).
   */
  private async ownerTown(principal: Principal, townCode: string | null | undefined, place: Point | Polygon | null, db: Db): Promise<string> {
    if (principal.role === 'town_official') {
      if (townCode && townCode !== principal.townCode) {
        throw new CodedError(403, 'ledger.town_out_of_scope', 'a town official keeps only their own town’s ledger', { townCode }, 'townCode');
      }
      return principal.townCode!;
    }
    if (townCode) return townCode;
    const derived = place ? await this.repo.townAt(place, db) : null;
    if (!derived) throw new CodedError(400, 'input.required', 'townCode is required (the location is in no town)', { field: 'townCode' }, 'townCode');
    return derived;
  }

  // --- input checks ------------------------------------------------------------------------

  private inDistrict(field: string, positions: ReadonlyArray<readonly number[]>): void {
    const B = LEDGER_BBOX;
    for (const [lon = NaN, lat = NaN] of positions) {
      if (!(lon >= B.minLon && lon <= B.maxLon && lat >= B.minLat && lat <= B.maxLat)) {
        throw new CodedError(422, 'ledger.outside_district', `${field}: ${lon},${lat} is not in Linzi district`, { field, lon, lat }, field);
      }
    }
  }

  private async checkGeometry(field: string, geometry: Point | Polygon, db: Db): Promise<Point | Polygon> {
    if (geometry.type === 'Point') {
      this.inDistrict(field, [geometry.coordinates]);
      const [lon = NaN, lat = NaN] = geometry.coordinates;
      return { type: 'Point', coordinates: [lon, lat] };
    }
    const check = checkPolygon(geometry);
    if (!check.valid) throw new CodedError(400, 'ledger.geometry_invalid', `${field}: ${check.reason}`, { field, reason: check.reason }, field);
    this.inDistrict(field, geometry.coordinates.flat());
    const reason = await this.repo.validGeometry(geometry, db);
    if (reason) throw new CodedError(400, 'ledger.geometry_invalid', `${field}: ${reason}`, { field, reason: reason.toLowerCase() }, field);
    return geometry;
  }

  private async inTown(field: string, town: string, geometry: Point | Polygon, db: Db): Promise<void> {
    const { exists, covers, name } = await this.repo.townCovers(town, geometry, db);
    if (!exists) throw new CodedError(400, 'ledger.town_unknown', `town ${town} does not exist`, { townCode: town }, 'townCode');
    if (!covers) {
      throw new CodedError(422, 'ledger.outside_town', `the ${field === 'geometry' ? 'outline' : 'location'} is outside ${name ?? town} (${town})`, { field, townCode: town, townName: name ?? town }, field);
    }
  }

  private village(code: string | null | undefined, town: string): string | null {
    if (code === null || code === undefined) return null;
    const village = VILLAGE_CODE.test(code) ? villageByCode(code) : undefined;
    if (!village) throw new CodedError(400, 'ledger.village_unknown', `village ${code} is not a Linzi village`, { villageCode: code }, 'villageCode');
    if (village.townCode !== town) {
      throw new CodedError(422, 'ledger.village_other_town', `village ${code} belongs to another town`, { villageCode: code, townCode: town }, 'villageCode');
    }
    return code;
  }

  private date(field: string, value: string | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== value || value < '2000-01-01' || value > '2100-12-31') {
      throw new CodedError(400, 'input.date_invalid', `${field} must be a date yyyy-mm-dd`, { field }, field);
    }
    return value;
  }

  private pastTime(field: string, value: string): Date {
    const at = parseTimeParam(field, value, Date.now());
    if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw new CodedError(400, 'ledger.time_in_future', `${field} is in the future`, { field }, field);
    if (at.getTime() < Date.UTC(2000, 0, 1)) throw new CodedError(400, 'ledger.time_too_early', `${field} is before 2000`, { field }, field);
    return at;
  }

  private id(kind: LedgerKind, id: string): string {
    if (!UUID.test(id)) throw notFound(kind, id);
    return id.toLowerCase();
  }

  private async record(action: string, actor: Actor, resourceType: string, resourceId: string, before: unknown, after: unknown, db: Db): Promise<void> {
    await this.audit.record({ action, actor: actor.principal, origin: actor.origin, resourceType, resourceId, before, after }, db);
  }

  private eventActor(p: Principal): { userId: string; username: string; role: string } {
    return { userId: p.userId, username: p.username, role: p.role };
  }

  // --- lists -------------------------------------------------------------------------------

  /** `overdue`: the statuses that still need work, when the kind has deadlines (then `overdue=true|false` filters). */
  private listFilter(
    principal: Principal,
    raw: Record<string, unknown>,
    allowed: Record<string, readonly string[] | RegExp | 'boolean'>,
    overdueOpen?: readonly string[],
  ): ListFilter {
    const value = (key: string): string | undefined => {
      const v = raw[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') throw new CodedError(400, 'query.invalid', `${key} must be given once`, { field: key }, key);
      return v;
    };
    const equals: ListFilter['equals'] = [];
    const scope = this.scope(principal);
    const town = value('townCode');
    if (town !== undefined) {
      if (!TOWN_CODE.test(town)) throw new CodedError(400, 'query.invalid', 'townCode is not a town code', { field: 'townCode' }, 'townCode');
      // A town official asking for another town sees nothing of it (their scope still applies).
      equals.push(['town_code', town]);
    }
    for (const [key, rule] of Object.entries(allowed)) {
      const v = value(key);
      if (v === undefined) continue;
      const column = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      if (rule === 'boolean') {
        if (v !== 'true' && v !== 'false') throw new CodedError(400, 'query.invalid', `${key} must be true or false`, { field: key }, key);
        equals.push([column, v === 'true']);
      } else if (rule instanceof RegExp ? !rule.test(v) : !rule.includes(v)) {
        throw new CodedError(400, 'query.invalid', `${key} is not allowed`, { field: key }, key);
      } else {
        equals.push([column, v]);
      }
    }
    let overdue: readonly string[] | null = null;
    if (overdueOpen) {
      const v = value('overdue');
      if (v !== undefined && v !== 'true' && v !== 'false') throw new CodedError(400, 'query.invalid', 'overdue must be true or false', { field: 'overdue' }, 'overdue');
      if (v !== undefined) overdue = overdueOpen;
    }
    return {
      town: scope,
      equals,
      ...(overdue ? { overdue: { value: value('overdue') === 'true', today: todayLocal(), open: overdue } } : {}),
      page: parseIntParam('page', value('page'), 1, 1, 100_000),
      pageSize: parseIntParam('pageSize', value('pageSize'), 50, 1, LEDGER_LIMITS.maxPageSize),
    };
  }

  // --- waste piles -------------------------------------------------------------------------

  async listPiles(raw: Record<string, unknown>, principal: Principal): Promise<LedgerPage<WastePile>> {
    const filter = this.listFilter(principal, raw, { status: PILE_STATUSES, landNature: ['construction_land', 'farmland', 'roadside', 'riverbank', 'woodland', 'vacant_lot', 'other'] }, PILE_OPEN_STATUSES);
    const { rows, total } = await this.repo.list('pile', filter);
    const today = todayLocal();
    return { items: rows.map((r) => toPile(r, today)), total, page: filter.page, pageSize: filter.pageSize };
  }

  async getPile(id: string, principal: Principal, db: Db = this.pool): Promise<WastePileDetail> {
    const row = await this.repo.find('pile', this.id('pile', id), this.scope(principal), db);
    if (!row) throw notFound('pile', id);
    return {
      ...toPile(row, todayLocal()),
      history: await this.repo.history('pile', row.id, db),
      photos: await this.repo.photos('pile', row.id, db),
      allowedStatuses: allowedTargets(PILE_TRANSITIONS, row.status as PileStatus, principal.role),
    };
  }

  async createPile(input: WastePileInput, actor: Actor): Promise<WastePileDetail> {
    const { principal } = actor;
    this.writer(principal);
    const deadline = this.date('deadline', input.deadline);
    return inTransaction(this.pool, async (db) => {
      const geometry = await this.checkGeometry('geometry', input.geometry, db);
      const town = await this.ownerTown(principal, input.townCode, geometry, db);
      await this.inTown('geometry', town, geometry, db);
      const id = await this.repo.insert(
        'pile',
        {
          town_code: town,
          name: input.name.trim(),
          geom: { geojson: geometry },
          land_nature: input.landNature,
          volume_m3: input.volumeM3,
          responsible_party: input.responsibleParty ?? null,
          governance_plan: input.governancePlan ?? null,
          deadline,
          created_by: principal.userId,
        },
        db,
      );
      await this.repo.addEvent('pile', id, { action: 'create', fromStatus: null, toStatus: 'registered', actor: this.eventActor(principal) }, db);
      const after = await this.getPile(id, principal, db);
      await this.record('pile.create', actor, 'waste_pile', id, null, withoutHistory(after), db);
      return after;
    });
  }

  async patchPile(id: string, patch: WastePilePatch, actor: Actor): Promise<WastePileDetail> {
    const { principal } = actor;
    this.writer(principal);
    return inTransaction(this.pool, async (db) => {
      const row = await this.repo.find('pile', this.id('pile', id), this.scope(principal), db, true);
      if (!row) throw notFound('pile', id);
      if (row.version !== patch.version) throw versionConflict(row.version);
      if (row.status === 'verified') throw new CodedError(409, 'ledger.record_final', 'a verified pile is final', { state: row.status });
      const values: Record<string, unknown> = {};
      const changed: Record<string, unknown> = {};
      const set = (field: string, column: string, value: unknown, stored: unknown = value): void => {
        values[column] = stored;
        changed[field] = value;
      };
      if (patch.name !== undefined) set('name', 'name', patch.name.trim());
      if (patch.geometry !== undefined) {
        const geometry = await this.checkGeometry('geometry', patch.geometry, db);
        await this.inTown('geometry', row.town_code, geometry, db);
        set('geometry', 'geom', geometry, { geojson: geometry });
      }
      if (patch.landNature !== undefined) set('landNature', 'land_nature', patch.landNature);
      if (patch.volumeM3 !== undefined) set('volumeM3', 'volume_m3', patch.volumeM3);
      if (patch.responsibleParty !== undefined) set('responsibleParty', 'responsible_party', patch.responsibleParty);
      if (patch.governancePlan !== undefined) set('governancePlan', 'governance_plan', patch.governancePlan);
      if (patch.deadline !== undefined) set('deadline', 'deadline', this.date('deadline', patch.deadline));
      if (!(await this.repo.update('pile', row.id, row.version, values, db))) throw versionConflict(row.version + 1);
      await this.repo.addEvent('pile', row.id, { action: 'update', fromStatus: row.status, toStatus: row.status, actor: this.eventActor(principal), changed }, db);
      const after = await this.getPile(row.id, principal, db);
      await this.record('pile.update', actor, 'waste_pile', row.id, toPile(row, todayLocal()), withoutHistory(after), db);
      return after;
    });
  }

  async transitionPile(id: string, request: LedgerTransitionRequest<PileStatus>, actor: Actor): Promise<WastePileDetail> {
    return this.transition('pile', PILE_TRANSITIONS, id, request, actor, async (row, db) => {
      const after = await this.getPile(row.id, actor.principal, db);
      return { detail: after, before: toPile(row as PileRow, todayLocal()), after: withoutHistory(after) };
    });
  }

  // --- findings ----------------------------------------------------------------------------

  async listFindings(raw: Record<string, unknown>, principal: Principal): Promise<LedgerPage<Finding>> {
    const filter = this.listFilter(principal, raw, { status: FINDING_STATUSES, kind: FINDING_KINDS, finder: FINDER_LEVELS }, FINDING_OPEN_STATUSES);
    for (const key of ['from', 'to'] as const) {
      const v = raw[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') throw new CodedError(400, 'query.invalid', `${key} must be given once`, { field: key }, key);
      filter[key] = { column: 'found_at', at: parseTimeParam(key, v, Date.now()) };
    }
    const { rows, total } = await this.repo.list('finding', filter);
    const today = todayLocal();
    return { items: rows.map((r) => toFinding(r, today)), total, page: filter.page, pageSize: filter.pageSize };
  }

  async getFinding(id: string, principal: Principal, db: Db = this.pool): Promise<FindingDetail> {
    const row = await this.repo.find('finding', this.id('finding', id), this.scope(principal), db);
    if (!row) throw notFound('finding', id);
    return {
      ...toFinding(row, todayLocal()),
      history: await this.repo.history('finding', row.id, db),
      photos: await this.repo.photos('finding', row.id, db),
      allowedStatuses: allowedTargets(FINDING_TRANSITIONS, row.status as FindingStatus, principal.role),
    };
  }

  /** The town a finding falls in, from its location; a town official's must be their own. */
  private async findingTown(principal: Principal, location: Point, db: Db): Promise<string> {
    const point = (await this.checkGeometry('location', location, db)) as Point;
    const town = await this.repo.townAt(point, db);
    if (!town) throw new CodedError(422, 'ledger.outside_towns', 'location is in no town or street', { field: 'location' }, 'location');
    if (principal.role === 'town_official' && town !== principal.townCode) {
      throw new CodedError(403, 'ledger.town_out_of_scope', 'the location is in another town', { townCode: town }, 'location');
    }
    return town;
  }

  async createFinding(input: FindingInput, actor: Actor): Promise<FindingDetail> {
    const { principal } = actor;
    this.writer(principal);
    const finder: FinderLevel = input.finder ?? (principal.role === 'town_official' ? 'town' : 'district');
    if (principal.role === 'town_official' && finder !== 'town') {
      throw new CodedError(403, 'ledger.finder_forbidden', 'a town records its own findings; the muck office records the district’s, city’s and higher', { finder }, 'finder');
    }
    const foundAt = this.pastTime('foundAt', input.foundAt);
    const deadline = this.date('deadline', input.deadline);
    return inTransaction(this.pool, async (db) => {
      const town = await this.findingTown(principal, input.location, db);
      const id = await this.repo.insert(
        'finding',
        {
          town_code: town,
          kind: input.kind,
          geom: { geojson: { type: 'Point', coordinates: input.location.coordinates.slice(0, 2) } },
          found_at: foundAt.toISOString(),
          area_m2: input.areaM2 ?? null,
          description: input.description ?? null,
          finder,
          reported_by: principal.userId,
          deadline,
        },
        db,
      );
      await this.repo.addEvent('finding', id, { action: 'create', fromStatus: null, toStatus: 'open', actor: this.eventActor(principal) }, db);
      const after = await this.getFinding(id, principal, db);
      await this.record('finding.create', actor, 'finding', id, null, withoutHistory(after), db);
      return after;
    });
  }

  async patchFinding(id: string, patch: FindingPatch, actor: Actor): Promise<FindingDetail> {
    const { principal } = actor;
    this.writer(principal);
    return inTransaction(this.pool, async (db) => {
      const row = await this.repo.find('finding', this.id('finding', id), this.scope(principal), db, true);
      if (!row) throw notFound('finding', id);
      if (row.version !== patch.version) throw versionConflict(row.version);
      if (row.status === 'verified') throw new CodedError(409, 'ledger.record_final', 'a verified finding is final', { state: row.status });
      const values: Record<string, unknown> = {};
      const changed: Record<string, unknown> = {};
      const set = (field: string, column: string, value: unknown, stored: unknown = value): void => {
        values[column] = stored;
        changed[field] = value;
      };
      if (patch.kind !== undefined) set('kind', 'kind', patch.kind);
      if (patch.location !== undefined) {
        const town = await this.findingTown(principal, patch.location, db);
        const point: Point = { type: 'Point', coordinates: patch.location.coordinates.slice(0, 2) };
        set('location', 'geom', point, { geojson: point });
        if (town !== row.town_code) set('townCode', 'town_code', town);
      }
      if (patch.foundAt !== undefined) set('foundAt', 'found_at', this.pastTime('foundAt', patch.foundAt).toISOString());
      if (patch.areaM2 !== undefined) set('areaM2', 'area_m2', patch.areaM2);
      if (patch.description !== undefined) set('description', 'description', patch.description);
      if (patch.deadline !== undefined) set('deadline', 'deadline', this.date('deadline', patch.deadline));
      if (!(await this.repo.update('finding', row.id, row.version, values, db))) throw versionConflict(row.version + 1);
      await this.repo.addEvent('finding', row.id, { action: 'update', fromStatus: row.status, toStatus: row.status, actor: this.eventActor(principal), changed }, db);
      const after = await this.getFinding(row.id, principal, db);
      await this.record('finding.update', actor, 'finding', row.id, toFinding(row, todayLocal()), withoutHistory(after), db);
      return after;
    });
  }

  async transitionFinding(id: string, request: LedgerTransitionRequest<FindingStatus>, actor: Actor): Promise<FindingDetail> {
    return this.transition('finding', FINDING_TRANSITIONS, id, request, actor, async (row, db) => {
      const after = await this.getFinding(row.id, actor.principal, db);
      return { detail: after, before: toFinding(row as FindingRow, todayLocal()), after: withoutHistory(after) };
    });
  }

  /** A pile's or finding's status change: the workflow's verdict, the version check, history and audit. */
  private async transition<S extends string, D>(
    kind: 'pile' | 'finding',
    table: Parameters<typeof planLedgerTransition<S>>[0],
    id: string,
    request: LedgerTransitionRequest<S>,
    actor: Actor,
    read: (row: PileRow | FindingRow, db: Db) => Promise<{ detail: D; before: unknown; after: unknown }>,
  ): Promise<D> {
    const { principal } = actor;
    this.writer(principal);
    return inTransaction(this.pool, async (db) => {
      const row = await this.repo.find(kind, this.id(kind, id), this.scope(principal), db, true);
      if (!row) throw notFound(kind, id);
      if (row.version !== request.version) throw versionConflict(row.version);
      const plan = planLedgerTransition(table, row.status as S, request.to, principal.role);
      if (!plan.ok && plan.refusal === 'forbidden') {
        throw new CodedError(403, 'ledger.action_forbidden', `a ${principal.role} may not set ${request.to}`, { to: request.to, role: principal.role });
      }
      if (!plan.ok) {
        const allowed = plan.refusal === 'illegal_transition' ? plan.allowed : [];
        throw new CodedError(409, 'ledger.illegal_transition', `cannot go from ${row.status} to ${request.to}`, { state: row.status, allowed });
      }
      const values: Record<string, unknown> = { status: request.to };
      if (request.to === 'verified') values['verified_at'] = new Date().toISOString();
      if (!(await this.repo.update(kind, row.id, row.version, values, db))) throw versionConflict(row.version + 1);
      await this.repo.addEvent(
        kind,
        row.id,
        { action: 'status', fromStatus: row.status, toStatus: request.to, actor: this.eventActor(principal), comment: request.comment ?? null },
        db,
      );
      const { detail, before, after } = await read(row, db);
      await this.record(`${kind}.status`, actor, kind === 'pile' ? 'waste_pile' : 'finding', row.id, before, after, db);
      return detail;
    });
  }

  // --- photos ------------------------------------------------------------------------------

  async uploadPhoto(kind: 'pile' | 'finding', id: string, file: { originalname?: string; buffer: Buffer; size: number } | undefined, actor: Actor): Promise<LedgerPhoto> {
    const { principal } = actor;
    this.writer(principal);
    const row = await this.repo.find(kind, this.id(kind, id), this.scope(principal));
    if (!row) throw notFound(kind, id);
    if (!file) throw new CodedError(400, 'attachment.missing', 'send the photo as multipart field `file`', {}, 'file');
    if (file.size > MAX_ATTACHMENT_BYTES) {
      throw new CodedError(413, 'attachment.too_large', `at most ${MAX_ATTACHMENT_BYTES} bytes`, { maxBytes: MAX_ATTACHMENT_BYTES }, 'file');
    }
    const type = sniffType(file.buffer);
    if (!type || !PHOTO_TYPES.includes(type.contentType)) {
      throw new CodedError(415, 'attachment.type_not_allowed', `only ${PHOTO_TYPES.join(', ')}`, { allowed: PHOTO_TYPES }, 'file');
    }
    const fileName = sanitiseFileName(decodeMultipartName(file.originalname), type);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    return inTransaction(this.pool, async (db) => {
      const photo = await this.repo.insertPhoto({ ownerKind: kind, ownerId: row.id, fileName, contentType: type.contentType, content: file.buffer, sha256, uploadedBy: principal.username }, db);
      await this.repo.addEvent(kind, row.id, { action: 'photo', fromStatus: row.status, toStatus: row.status, actor: this.eventActor(principal), changed: { photoId: photo.id, fileName } }, db);
      await this.record(`${kind}.photo_upload`, actor, kind === 'pile' ? 'waste_pile' : 'finding', row.id, null, photo, db);
      return photo;
    });
  }

  async photo(kind: 'pile' | 'finding', id: string, photoId: string, principal: Principal): Promise<LedgerPhoto & { content: Buffer }> {
    const row = await this.repo.find(kind, this.id(kind, id), this.scope(principal));
    if (!row) throw notFound(kind, id);
    const found = UUID.test(photoId) ? await this.repo.photoContent(kind, row.id, photoId.toLowerCase()) : null;
    if (!found) throw new CodedError(404, 'attachment.not_found', `photo ${photoId} not found`, { attachmentId: photoId });
    return found;
  }

  // --- collection points -------------------------------------------------------------------

  async listPoints(raw: Record<string, unknown>, principal: Principal): Promise<LedgerPage<CollectionPoint>> {
    const filter = this.listFilter(principal, raw, { villageCode: VILLAGE_CODE, active: 'boolean' });
    const { rows, total } = await this.repo.list('collection_point', filter);
    return { items: rows.map(toPoint), total, page: filter.page, pageSize: filter.pageSize };
  }

  async getPoint(id: string, principal: Principal, db: Db = this.pool): Promise<CollectionPoint> {
    const row = await this.repo.find('collection_point', this.id('collection_point', id), this.scope(principal), db);
    if (!row) throw notFound('collection_point', id);
    return toPoint(row);
  }

  async createPoint(input: CollectionPointInput, actor: Actor): Promise<CollectionPoint> {
    const { principal } = actor;
    this.writer(principal);
    const created = await inTransaction(this.pool, async (db) => {
      const location = (await this.checkGeometry('location', input.location, db)) as Point;
      const town = await this.ownerTown(principal, input.townCode, location, db);
      const village = this.village(input.villageCode, town);
      await this.inTown('location', town, location, db);
      const id = await this.repo.insert(
        'collection_point',
        {
          town_code: town,
          village_code: village,
          name: input.name.trim(),
          geom: { geojson: location },
          radius_m: input.radiusM ?? 50,
          active: input.active ?? true,
          created_by: principal.userId,
        },
        db,
      );
      const after = await this.getPoint(id, principal, db);
      await this.record('collection_point.create', actor, 'collection_point', id, null, after, db);
      return after;
    });
    this.events.publish('collection_points.changed', { id: created.id, at: new Date().toISOString() });
    return created;
  }

  async patchPoint(id: string, patch: CollectionPointPatch, actor: Actor): Promise<CollectionPoint> {
    const { principal } = actor;
    this.writer(principal);
    const updated = await inTransaction(this.pool, async (db) => {
      const row = await this.repo.find('collection_point', this.id('collection_point', id), this.scope(principal), db, true);
      if (!row) throw notFound('collection_point', id);
      if (row.version !== patch.version) throw versionConflict(row.version);
      const values: Record<string, unknown> = {};
      if (patch.villageCode !== undefined) values['village_code'] = this.village(patch.villageCode, row.town_code);
      if (patch.name !== undefined) values['name'] = patch.name.trim();
      if (patch.location !== undefined) {
        const location = (await this.checkGeometry('location', patch.location, db)) as Point;
        await this.inTown('location', row.town_code, location, db);
        values['geom'] = { geojson: location };
      }
      if (patch.radiusM !== undefined) values['radius_m'] = patch.radiusM;
      if (patch.active !== undefined) values['active'] = patch.active;
      if (!(await this.repo.update('collection_point', row.id, row.version, values, db))) throw versionConflict(row.version + 1);
      const after = await this.getPoint(row.id, principal, db);
      await this.record('collection_point.update', actor, 'collection_point', row.id, toPoint(row), after, db);
      return after;
    });
    this.events.publish('collection_points.changed', { id: updated.id, at: new Date().toISOString() });
    return updated;
  }

  // --- collection requests -----------------------------------------------------------------

  async listRequests(raw: Record<string, unknown>, principal: Principal): Promise<LedgerPage<CollectionRequest>> {
    const filter = this.listFilter(principal, raw, { state: COLLECTION_REQUEST_STATES, villageCode: VILLAGE_CODE });
    const { rows, total } = await this.repo.list('collection_request', filter);
    return { items: rows.map(toRequest), total, page: filter.page, pageSize: filter.pageSize };
  }

  async getRequest(id: string, principal: Principal, db: Db = this.pool): Promise<CollectionRequestDetail> {
    const row = await this.repo.find('collection_request', this.id('collection_request', id), this.scope(principal), db);
    if (!row) throw notFound('collection_request', id);
    return { ...toRequest(row), history: await this.repo.history('collection_request', row.id, db) };
  }

  /** Where a request is collected: an active point of the same town, or a location of its own in the town. */
  private async requestPlace(
    principal: Principal,
    town: string,
    input: Pick<CollectionRequestInput, 'collectionPointId' | 'location'>,
    db: Db,
  ): Promise<{ pointId: string | null; location: Point | null }> {
    if (input.collectionPointId) {
      const point = await this.repo.find('collection_point', input.collectionPointId.toLowerCase(), this.scope(principal), db);
      if (!point || point.town_code !== town || !point.active) {
        throw new CodedError(422, 'ledger.point_unknown', 'no active collection point of this town has that id', { collectionPointId: input.collectionPointId }, 'collectionPointId');
      }
      return { pointId: point.id, location: null };
    }
    if (!input.location) throw new CodedError(400, 'input.required', 'collectionPointId or location is required', { field: 'location' }, 'location');
    const location = (await this.checkGeometry('location', input.location, db)) as Point;
    await this.inTown('location', town, location, db);
    return { pointId: null, location };
  }

  async createRequest(input: CollectionRequestInput, actor: Actor): Promise<CollectionRequestDetail> {
    const { principal } = actor;
    this.writer(principal);
    const requestedAt = input.requestedAt === undefined ? new Date() : this.pastTime('requestedAt', input.requestedAt);
    return inTransaction(this.pool, async (db) => {
      let town = input.townCode ?? null;
      if (!town && principal.role !== 'town_official' && input.collectionPointId) {
        town = (await this.repo.find('collection_point', input.collectionPointId.toLowerCase(), null, db))?.town_code ?? null;
      }
      town = await this.ownerTown(principal, town, input.location ? (await this.checkGeometry('location', input.location, db)) : null, db);
      const village = this.village(input.villageCode, town);
      const place = await this.requestPlace(principal, town, input, db);
      const id = await this.repo.insert(
        'collection_request',
        {
          town_code: town,
          village_code: village,
          requester_kind: input.requesterKind,
          requester_name: input.requesterName.trim(),
          contact: input.contact ?? null,
          collection_point_id: place.pointId,
          geom: place.location ? { geojson: place.location } : null,
          radius_m: input.radiusM ?? 50,
          volume_m3: input.volumeM3,
          requested_at: requestedAt.toISOString(),
          created_by: principal.userId,
        },
        db,
      );
      await this.repo.addEvent('collection_request', id, { action: 'create', fromStatus: null, toStatus: 'requested', actor: this.eventActor(principal) }, db);
      const after = await this.getRequest(id, principal, db);
      await this.record('collection_request.create', actor, 'collection_request', id, null, withoutHistory(after), db);
      return after;
    });
  }

  async patchRequest(id: string, patch: CollectionRequestPatch, actor: Actor): Promise<CollectionRequestDetail> {
    const { principal } = actor;
    this.writer(principal);
    return inTransaction(this.pool, async (db) => {
      const row = await this.repo.find('collection_request', this.id('collection_request', id), this.scope(principal), db, true);
      if (!row) throw notFound('collection_request', id);
      if (row.version !== patch.version) throw versionConflict(row.version);
      if (row.state !== 'requested') {
        throw new CodedError(409, 'ledger.illegal_transition', 'a request is edited only before it is dispatched', { state: row.state, allowed: [] });
      }
      const values: Record<string, unknown> = {};
      const changed: Record<string, unknown> = {};
      const set = (field: string, column: string, value: unknown): void => {
        values[column] = value;
        changed[field] = value;
      };
      if (patch.villageCode !== undefined) set('villageCode', 'village_code', this.village(patch.villageCode, row.town_code));
      if (patch.requesterKind !== undefined) set('requesterKind', 'requester_kind', patch.requesterKind);
      if (patch.requesterName !== undefined) set('requesterName', 'requester_name', patch.requesterName.trim());
      if (patch.contact !== undefined) set('contact', 'contact', patch.contact);
      if (patch.collectionPointId !== undefined || patch.location !== undefined) {
        const place = await this.requestPlace(principal, row.town_code, patch, db);
        set('collectionPointId', 'collection_point_id', place.pointId);
        values['geom'] = place.location ? { geojson: place.location } : null;
        changed['location'] = place.location;
      }
      if (patch.radiusM !== undefined) set('radiusM', 'radius_m', patch.radiusM);
      if (patch.volumeM3 !== undefined) set('volumeM3', 'volume_m3', patch.volumeM3);
      if (patch.requestedAt !== undefined) set('requestedAt', 'requested_at', this.pastTime('requestedAt', patch.requestedAt).toISOString());
      if (!(await this.repo.update('collection_request', row.id, row.version, values, db))) throw versionConflict(row.version + 1);
      await this.repo.addEvent('collection_request', row.id, { action: 'update', fromStatus: row.state, toStatus: row.state, actor: this.eventActor(principal), changed }, db);
      const after = await this.getRequest(row.id, principal, db);
      await this.record('collection_request.update', actor, 'collection_request', row.id, toRequest(row), withoutHistory(after), db);
      return after;
    });
  }

  async dispatchRequest(id: string, body: CollectionDispatchRequest, actor: Actor): Promise<CollectionRequestDetail> {
    return this.moveRequest(id, body.version, 'dispatched', actor, async (row, db) => {
      const truck = await this.repo.truckForDispatch(body.truckId.toLowerCase(), todayLocal(), db);
      if (!truck) throw new CodedError(400, 'ledger.truck_unknown', `truck ${body.truckId} is not registered`, { truckId: body.truckId }, 'truckId');
      if (!truck.has_terminal) {
        throw new CodedError(422, 'ledger.truck_no_terminal', `truck ${truck.plate} has no terminal bound (its GPS would never fulfil the request)`, { plate: truck.plate }, 'truckId');
      }
      if (!truck.permit_valid) {
        throw new CodedError(422, 'ledger.truck_permit_invalid', `truck ${truck.plate} has no transport permit valid today`, { plate: truck.plate }, 'truckId');
      }
      return {
        values: { state: 'dispatched', truck_id: body.truckId.toLowerCase(), dispatched_at: new Date().toISOString() },
        action: row.state === 'dispatched' ? 'redispatch' : 'dispatch',
        changed: { truckId: body.truckId.toLowerCase() },
      };
    });
  }

  /**
   * The trucks the request may be dispatched to, wherever they are (a town's contracted trucks are
   * often outside it): for whoever may read the request. `q`: part of the plate.
   */
  async dispatchableTrucks(id: string, raw: Record<string, unknown>, principal: Principal): Promise<LedgerPage<DispatchableTruck>> {
    const row = await this.repo.find('collection_request', this.id('collection_request', id), this.scope(principal));
    if (!row) throw notFound('collection_request', id);
    const value = (key: string): string | undefined => {
      const v = raw[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') throw new CodedError(400, 'query.invalid', `${key} must be given once`, { field: key }, key);
      return v;
    };
    const q = value('q')?.trim() ?? '';
    if (q.length > LEDGER_LIMITS.truckQueryLength) {
      throw new CodedError(400, 'query.invalid', `q is at most ${LEDGER_LIMITS.truckQueryLength} characters`, { field: 'q' }, 'q');
    }
    const page = parseIntParam('page', value('page'), 1, 1, 100_000);
    const pageSize = parseIntParam('pageSize', value('pageSize'), 50, 1, LEDGER_LIMITS.maxPageSize);
    const { rows, total } = await this.repo.dispatchableTrucks(todayLocal(), q === '' ? null : q, page, pageSize);
    return {
      items: rows.map((r) => ({ truckId: r.id, plate: r.plate, companyId: r.company_id, companyName: r.company_name, terminalId: r.terminal_id, permitValidTo: r.permit_valid_to })),
      total,
      page,
      pageSize,
    };
  }

  async cancelRequest(id: string, body: CollectionCancelRequest, actor: Actor): Promise<CollectionRequestDetail> {
    return this.moveRequest(id, body.version, 'cancelled', actor, () =>
      Promise.resolve({ values: { state: 'cancelled', cancel_reason: body.reason.trim() }, action: 'cancel', changed: null, comment: body.reason.trim() }),
    );
  }

  private async moveRequest(
    id: string,
    version: number,
    to: CollectionRequestState,
    actor: Actor,
    plan: (row: RequestRow, db: Db) => Promise<{ values: Record<string, unknown>; action: string; changed: Record<string, unknown> | null; comment?: string }>,
  ): Promise<CollectionRequestDetail> {
    const { principal } = actor;
    this.writer(principal);
    return inTransaction(this.pool, async (db) => {
      const row = await this.repo.find('collection_request', this.id('collection_request', id), this.scope(principal), db, true);
      if (!row) throw notFound('collection_request', id);
      if (row.version !== version) throw versionConflict(row.version);
      const verdict = planLedgerTransition(REQUEST_TRANSITIONS, row.state as CollectionRequestState, to, principal.role);
      if (!verdict.ok) {
        const allowed = verdict.refusal === 'illegal_transition' ? verdict.allowed : [];
        throw new CodedError(409, 'ledger.illegal_transition', `cannot go from ${row.state} to ${to}`, { state: row.state, allowed });
      }
      const step = await plan(row, db);
      if (!(await this.repo.update('collection_request', row.id, row.version, step.values, db))) throw versionConflict(row.version + 1);
      await this.repo.addEvent(
        'collection_request',
        row.id,
        { action: step.action, fromStatus: row.state, toStatus: to, actor: this.eventActor(principal), changed: step.changed, comment: step.comment ?? null },
        db,
      );
      const after = await this.getRequest(row.id, principal, db);
      await this.record(`collection_request.${step.action === 'redispatch' ? 'dispatch' : step.action}`, actor, 'collection_request', row.id, toRequest(row), withoutHistory(after), db);
      return after;
    });
  }

  // --- coverage ----------------------------------------------------------------------------

  async coverage(raw: Record<string, unknown>, principal: Principal): Promise<TownLedgerCoverage[]> {
    const bound = (key: 'from' | 'to'): Date | null => {
      const v = raw[key];
      if (v === undefined) return null;
      if (typeof v !== 'string') throw new CodedError(400, 'query.invalid', `${key} must be given once`, { field: key }, key);
      return parseTimeParam(key, v, Date.now());
    };
    const from = bound('from');
    const to = bound('to');
    if (from && to && from > to) throw new CodedError(400, 'input.range_reversed', 'from must not be after to', {}, 'from');
    const rows = await this.repo.coverage(this.scope(principal), from, to, SAME_DAY_CLEARANCE_HOURS, todayLocal());
    return rows.map((r) => {
      const villages = villagesOfTown(r.town_code).length;
      const covered = r.covered_villages.filter((code) => villageByCode(code)?.townCode === r.town_code).length;
      const counted = r.requests - r.cancelled;
      return {
        townCode: r.town_code,
        townName: r.town_name,
        villages,
        villagesCovered: covered,
        coverageRate: villages === 0 ? null : round4(covered / villages),
        activePoints: r.active_points,
        requests: r.requests,
        fulfilled: r.fulfilled,
        fulfilledSameDay: r.fulfilled_same_day,
        sameDayRate: counted === 0 ? null : round4(r.fulfilled_same_day / counted),
        piles: r.piles,
        pilesOpen: r.piles_open,
        pilesOverdue: r.piles_overdue,
        findingsOpen: r.findings_open,
      };
    });
  }
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

function withoutHistory<T extends { history: unknown }>(detail: T): Omit<T, 'history'> {
  const { history: _history, ...rest } = detail;
  return rest;
}

/** Multer hands the multipart file name over as Latin-1; browsers send UTF-8. */
function decodeMultipartName(name: string | undefined): string {
  if (!name) return '';
  const utf8 = Buffer.from(name, 'latin1').toString('utf8');
  return utf8.includes('\uFFFD') ? name : utf8;
}

function toPile(r: PileRow, today: string): WastePile {
  return {
    id: r.id,
    townCode: r.town_code,
    townName: r.town_name,
    name: r.name,
    geometry: r.geometry,
    landNature: r.land_nature as LandNature,
    volumeM3: Number(r.volume_m3),
    responsibleParty: r.responsible_party,
    governancePlan: r.governance_plan,
    deadline: r.deadline,
    status: r.status as PileStatus,
    overdue: pileOverdue(r.status as PileStatus, r.deadline, today),
    verifiedAt: r.verified_at?.toISOString() ?? null,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function toFinding(r: FindingRow, today: string): Finding {
  return {
    id: r.id,
    townCode: r.town_code,
    townName: r.town_name,
    kind: r.kind as FindingKind,
    location: r.location,
    foundAt: r.found_at.toISOString(),
    areaM2: num(r.area_m2),
    description: r.description,
    finder: r.finder as FinderLevel,
    reportedBy: r.reported_by,
    deadline: r.deadline,
    status: r.status as FindingStatus,
    overdue: findingOverdue(r.status as FindingStatus, r.deadline, today),
    verifiedAt: r.verified_at?.toISOString() ?? null,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function toPoint(r: PointRow): CollectionPoint {
  return {
    id: r.id,
    townCode: r.town_code,
    townName: r.town_name,
    villageCode: r.village_code,
    villageName: r.village_code ? (villageByCode(r.village_code)?.name ?? null) : null,
    name: r.name,
    location: r.location,
    radiusM: Number(r.radius_m),
    active: r.active,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function toRequest(r: RequestRow): CollectionRequest {
  return {
    id: r.id,
    townCode: r.town_code,
    townName: r.town_name,
    villageCode: r.village_code,
    villageName: r.village_code ? (villageByCode(r.village_code)?.name ?? null) : null,
    requesterKind: r.requester_kind as RequesterKind,
    requesterName: r.requester_name,
    contact: r.contact,
    collectionPointId: r.collection_point_id,
    location: r.location,
    radiusM: Number(r.radius_m),
    volumeM3: Number(r.volume_m3),
    requestedAt: r.requested_at.toISOString(),
    state: r.state as CollectionRequestState,
    truckId: r.truck_id,
    plate: r.plate,
    dispatchedAt: r.dispatched_at?.toISOString() ?? null,
    visitAt: r.visit_at?.toISOString() ?? null,
    fulfilledAt: r.fulfilled_at?.toISOString() ?? null,
    tripId: r.trip_id,
    sameDay: r.state === 'fulfilled' ? fulfilledSameDay(r.requested_at.getTime(), r.fulfilled_at?.getTime() ?? null, SAME_DAY_CLEARANCE_HOURS) : null,
    cancelReason: r.cancel_reason,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

