import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import {
  FINDING_KIND_LABELS,
  RANKING_ADJUSTMENT_LABELS,
  VIOLATION_TYPE_LABELS,
  addMonths,
  officeMonthOf,
  type AfterCloseChange,
  type AssessmentItem,
  type Ranking,
  type RankingRecord,
  type RankingRefKind,
  type RankingRevisionSummary,
  type RankingRow,
  type RankingTrend,
} from '@muckwatch/contracts';
import { villages } from '@muckwatch/linzi';
import { methodologyForMonth, scoreMonth, type Methodology, type MonthRanking, type RankingHistory, type TownMonthFacts } from '@muckwatch/domain';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { CodedError } from '../cases/case-errors.js';
import type { Db } from '../cases/cases.repository.js';
import type { Actor } from '../cases/cases.service.js';
import { PG_POOL } from '../database/database.module.js';
import { runExclusive } from '../database/run-exclusive.js';
import { DomainEvents } from '../events/domain-events.js';
import { FactsRepository } from './facts.repository.js';
import { RankingsRepository, type SnapshotRow, toMethodology } from './rankings.repository.js';

/** What a frozen month stores: everything `scoreMonth` was given, nothing else. */
export interface SnapshotInputs {
  month: string;
  methodology: Methodology;
  history: RankingHistory;
  /** When the facts were gathered: a case still inside its hours or deadline then is not judged yet (scoreMonth's asOf). */
  asOf: string;
  facts: TownMonthFacts[];
}

/** Months the trend, the black-list streak and the month close look back at most. */
export const MAX_MONTHS_BACK = 24;

/**
 * Re-scores stored inputs: the frozen result is exactly this text (the reproducibility check, and
 * how a month is frozen in the first place: the result is computed from the stored text).
 */
export function scoreInputs(inputsText: string): string {
  const i = JSON.parse(inputsText) as SnapshotInputs;
  return JSON.stringify(scoreMonth(i.month, i.facts, i.methodology, i.history, { asOf: i.asOf }));
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const monthFrozen = (month: string): CodedError => new CodedError(409, 'ranking.month_frozen', `${month} is frozen; correct it by a revision`, { month });
const monthNotFrozen = (month: string): CodedError => new CodedError(409, 'ranking.month_not_frozen', `${month} is not frozen yet`, { month });
const closeBusy = (month: string): CodedError => new CodedError(409, 'ranking.close_busy', `${month} is being closed or revised right now; try again`, { month });
const townNotFound = (townCode: string): CodedError => new CodedError(404, 'ranking.town_not_found', `no assessed town ${townCode} in your scope`, { townCode });

interface Computed {
  inputs: SnapshotInputs;
  inputsText: string;
  resultText: string;
}

const villageNames = new Map(villages.map((v) => [v.code, v.name]));

/** Towns whose total or rank differ between two results of the same month. */
function changedTowns(before: MonthRanking, after: MonthRanking): string[] {
  const old = new Map(before.towns.map((t) => [t.townCode, t]));
  return after.towns
    .filter((t) => {
      const o = old.get(t.townCode);
      return !o || o.total !== t.total || o.rank !== t.rank;
    })
    .map((t) => t.townCode)
    .concat(before.towns.filter((t) => !after.towns.some((a) => a.townCode === t.townCode)).map((t) => t.townCode))
    .sort();
}

type FactRecords = Map<string, { kind: RankingRefKind; id: string; at: string | null; print: string }>;

/** Every record a town's facts name, with a fingerprint of what the facts say about it. */
function factRecords(f: TownMonthFacts): FactRecords {
  const map: FactRecords = new Map();
  const add = (kind: RankingRefKind, id: string, at: string | null, fact: unknown, role: string): void => {
    const key = `${kind}:${id}`;
    const prior = map.get(key);
    const print = JSON.stringify([role, fact]);
    map.set(key, { kind, id, at: prior?.at ?? at, print: prior ? `${prior.print}|${print}` : print });
  };
  for (const c of f.transportCases) add('violation', c.id, c.startedAt, c, 'B');
  for (const c of f.dumpingCases) add('violation', c.id, c.startedAt, c, 'C');
  for (const c of f.assignedCases) add('violation', c.id, null, c, 'E');
  for (const r of f.roadFindings) add('finding', r.id, r.foundAt, r, 'D');
  for (const id of f.sites.unapprovedIds) add('site', id, null, null, 'A');
  for (const id of f.ledger.staleIds) add('pile', id, null, null, 'F');
  for (const code of f.ledger.uncoveredVillageCodes) add('village', code, null, null, 'F');
  for (const id of f.ledger.lateRequestIds) add('request', id, null, null, 'F');
  for (const a of f.adjustments) add('adjustment', a.id, null, a, 'adj');
  return map;
}

function linkOf(kind: RankingRefKind, id: string): string | null {
  switch (kind) {
    case 'violation':
      return `/violations/${encodeURIComponent(id)}`;
    case 'finding':
      return `/ledgers/findings/${id}`;
    case 'pile':
      return `/ledgers/piles/${id}`;
    case 'request':
      return `/ledgers/requests/${id}`;
    case 'collection_point':
      return `/ledgers/collection-points/${id}`;
    case 'site':
      return `/registry/construction-sites/${id}`;
    default:
      return null;
  }
}

/**
 * The monthly ranking: provisional (computed on request from the facts as they are now) until the
 * month is frozen, then the newest frozen revision. Freezing and correcting run under the month's
 * advisory lock (runExclusive), so several API instances freeze a month once; a correction is a
 * new revision naming the towns it changed, audited.
 */
@Injectable()
export class RankingsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly facts: FactsRepository,
    private readonly rankings: RankingsRepository,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  currentMonth(nowMs: number = Date.now()): string {
    return officeMonthOf(nowMs);
  }

  async methodologyFor(month: string, db: Db = this.pool): Promise<Methodology> {
    const found = methodologyForMonth(month, (await this.rankings.methodologies(db)).map(toMethodology));
    if (!found) throw new CodedError(409, 'ranking.no_methodology', `no methodology applies to ${month}`, { month });
    return found;
  }

  /** How many months running (before `month`, frozen months only) each town has been on the black list. */
  async history(month: string, db: Db = this.pool): Promise<RankingHistory> {
    const summaries = await this.rankings.frozenSummaries(addMonths(month, -MAX_MONTHS_BACK), month, db);
    const streak: Record<string, number> = {};
    const towns = [...new Set([...summaries.values()].flatMap((list) => list.map((t) => t.townCode)))].sort();
    for (const town of towns) {
      let n = 0;
      for (let k = 1; k <= MAX_MONTHS_BACK; k++) {
        const entry = summaries.get(addMonths(month, -k))?.find((t) => t.townCode === town);
        if (!entry?.blackList) break;
        n += 1;
      }
      if (n > 0) streak[town] = n;
    }
    return { blackListStreak: streak };
  }

  /** The month scored from the facts as they are now (inputs and result as the exact texts a snapshot stores). */
  async compute(month: string, nowMs: number, db: Db = this.pool, methodology?: Methodology): Promise<Computed> {
    const m = methodology ?? (await this.methodologyFor(month, db));
    const history = await this.history(month, db);
    const facts = await this.facts.gather(month, m, nowMs, db);
    const inputs: SnapshotInputs = { month, methodology: m, history, asOf: new Date(nowMs).toISOString(), facts };
    const inputsText = JSON.stringify(inputs);
    return { inputs, inputsText, resultText: scoreInputs(inputsText) };
  }

  /** Ranks of last month's towns (frozen, else provisional when there was data), or null. */
  private async previousRanks(month: string, nowMs: number): Promise<Map<string, number> | null> {
    const previous = addMonths(month, -1);
    const frozen = await this.rankings.snapshot(previous, null);
    if (frozen) return new Map((JSON.parse(frozen.result) as MonthRanking).towns.map((t) => [t.townCode, t.rank]));
    const first = await this.facts.firstMonthWithData();
    if (!first || officeMonthOf(first) > previous) return null;
    const computed = await this.compute(previous, nowMs);
    return new Map((JSON.parse(computed.resultText) as MonthRanking).towns.map((t) => [t.townCode, t.rank]));
  }

  private view(result: MonthRanking, meta: Omit<Ranking, 'rows' | 'month' | 'methodologyVersion'>, previous: Map<string, number> | null): Ranking {
    const rows: RankingRow[] = result.towns.map((t) => {
      const before = previous?.get(t.townCode);
      return { ...t, movement: before === undefined ? null : before - t.rank };
    });
    return { month: result.month, methodologyVersion: result.methodologyVersion, ...meta, rows };
  }

  private frozenView(snapshot: SnapshotRow, previous: Map<string, number> | null): Ranking {
    return this.view(
      JSON.parse(snapshot.result) as MonthRanking,
      {
        provisional: false,
        revision: snapshot.revision,
        computedAt: snapshot.created_at.toISOString(),
        reason: snapshot.reason,
        createdBy: snapshot.created_by,
        inputsSha256: snapshot.inputs_sha256,
      },
      previous,
    );
  }

  /** The frozen month's newest revision, or the month to date, computed now. */
  async base(month: string, nowMs: number): Promise<{ result: MonthRanking; snapshot: SnapshotRow | null }> {
    const snapshot = await this.rankings.snapshot(month, null);
    if (snapshot) return { result: JSON.parse(snapshot.result) as MonthRanking, snapshot };
    return { result: JSON.parse((await this.compute(month, nowMs)).resultText) as MonthRanking, snapshot: null };
  }

  async ranking(month: string, nowMs: number = Date.now()): Promise<Ranking> {
    const previous = await this.previousRanks(month, nowMs);
    const snapshot = await this.rankings.snapshot(month, null);
    if (snapshot) return this.frozenView(snapshot, previous);
    const computed = await this.compute(month, nowMs);
    return this.view(
      JSON.parse(computed.resultText) as MonthRanking,
      { provisional: true, revision: 0, computedAt: new Date(nowMs).toISOString(), reason: null, createdBy: null, inputsSha256: null },
      previous,
    );
  }

  async revision(month: string, revision: number): Promise<Ranking> {
    const snapshot = await this.rankings.snapshot(month, revision);
    if (!snapshot) throw new CodedError(404, 'ranking.revision_not_found', `${month} has no revision ${revision}`, { month, revision });
    return this.frozenView(snapshot, await this.previousRanks(month, Date.now()));
  }

  revisions(month: string): Promise<RankingRevisionSummary[]> {
    return this.rankings.revisions(month);
  }

  /**
   * Freezes `month` as revision 1, once: under the month's lock, and only if no revision exists.
   * `frozen`: done now; `already`: it was frozen before; `busy`: another session holds the lock.
   */
  async close(month: string, actor: Actor | null, reason: string | null, nowMs: number = Date.now()): Promise<{ outcome: 'frozen' | 'already' | 'busy'; snapshot?: SnapshotRow }> {
    const run = await runExclusive(this.pool, `ranking.close:${month}`, async (db) => {
      if (await this.rankings.isFrozen(month, db)) return null;
      const computed = await this.compute(month, nowMs, db);
      const snapshot = await this.rankings.insertSnapshot(
        {
          month,
          revision: 1,
          methodologyVersion: computed.inputs.methodology.version,
          inputs: computed.inputsText,
          inputsSha256: sha256(computed.inputsText),
          result: computed.resultText,
          reason: reason ?? '月度冻结',
          changedTowns: [],
          createdBy: actor?.principal.username ?? null,
        },
        db,
      );
      await this.audit.record(
        {
          action: 'ranking.close',
          actor: actor?.principal ?? null,
          origin: actor?.origin ?? null,
          resourceType: 'ranking',
          resourceId: month,
          after: { revision: 1, methodologyVersion: snapshot.methodology_version, inputsSha256: snapshot.inputs_sha256 },
          detail: { reason: snapshot.reason },
        },
        db,
      );
      return snapshot;
    });
    if (!run.ran) return { outcome: 'busy' };
    if (!run.value) return { outcome: 'already' };
    this.announce(run.value);
    return { outcome: 'frozen', snapshot: run.value };
  }

  /** POST rankings/{month}/close: only a past month, not yet frozen. */
  async closeOnDemand(month: string, reason: string | null, actor: Actor): Promise<Ranking> {
    const nowMs = Date.now();
    if (month >= this.currentMonth(nowMs)) {
      throw new CodedError(409, 'ranking.month_open', `${month} is not over yet; only past months are frozen`, { month });
    }
    const { outcome } = await this.close(month, actor, reason, nowMs);
    if (outcome === 'busy') throw closeBusy(month);
    if (outcome === 'already') throw monthFrozen(month);
    return this.ranking(month, nowMs);
  }

  /** The month-close job: every past month not yet frozen, from the first month with data, at most 24 back. */
  async closePastMonths(nowMs: number = Date.now()): Promise<string[]> {
    const first = await this.facts.firstMonthWithData();
    if (!first) return [];
    const current = this.currentMonth(nowMs);
    const earliest = addMonths(current, -MAX_MONTHS_BACK);
    const start = officeMonthOf(first) > earliest ? officeMonthOf(first) : earliest;
    const closed: string[] = [];
    for (let month = start; month < current; month = addMonths(month, 1)) {
      if (await this.rankings.isFrozen(month)) continue;
      if ((await this.close(month, null, null, nowMs)).outcome === 'frozen') closed.push(month);
    }
    return closed;
  }

  /** A correction: the facts gathered now, stored as the next revision with what changed; audited. */
  async revise(month: string, reason: string, actor: Actor): Promise<Ranking> {
    const nowMs = Date.now();
    const run = await runExclusive(this.pool, `ranking.close:${month}`, async (db) => {
      const newest = await this.rankings.snapshot(month, null, db);
      if (!newest) throw monthNotFrozen(month);
      const computed = await this.compute(month, nowMs, db);
      const changed = changedTowns(JSON.parse(newest.result) as MonthRanking, JSON.parse(computed.resultText) as MonthRanking);
      const snapshot = await this.rankings.insertSnapshot(
        {
          month,
          revision: newest.revision + 1,
          methodologyVersion: computed.inputs.methodology.version,
          inputs: computed.inputsText,
          inputsSha256: sha256(computed.inputsText),
          result: computed.resultText,
          reason,
          changedTowns: changed,
          createdBy: actor.principal.username,
        },
        db,
      );
      await this.audit.record(
        {
          action: 'ranking.revise',
          actor: actor.principal,
          origin: actor.origin,
          resourceType: 'ranking',
          resourceId: month,
          before: { revision: newest.revision, inputsSha256: newest.inputs_sha256 },
          after: { revision: snapshot.revision, methodologyVersion: snapshot.methodology_version, inputsSha256: snapshot.inputs_sha256 },
          detail: { reason, changedTowns: changed },
        },
        db,
      );
      return snapshot;
    });
    if (!run.ran) throw closeBusy(month);
    this.announce(run.value);
    return this.ranking(month, nowMs);
  }

  private announce(s: SnapshotRow): void {
    this.events.publish('ranking.frozen', {
      month: s.month,
      revision: s.revision,
      methodologyVersion: s.methodology_version,
      inputsSha256: s.inputs_sha256,
      changedTowns: s.changed_towns,
    });
  }

  /** Facts that differ between the newest frozen inputs and the facts as they are now (for the next revision). */
  async afterClose(month: string): Promise<AfterCloseChange[]> {
    const newest = await this.rankings.snapshot(month, null);
    if (!newest) throw monthNotFrozen(month);
    const nowMs = Date.now();
    const frozen = JSON.parse(newest.inputs) as SnapshotInputs;
    const now = await this.facts.gather(month, frozen.methodology, nowMs);
    const at = new Date(nowMs).toISOString();
    const changes: AfterCloseChange[] = [];
    const before = new Map(frozen.facts.map((f) => [f.townCode, factRecords(f)]));
    const after = new Map(now.map((f) => [f.townCode, factRecords(f)]));
    for (const townCode of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const b: FactRecords = before.get(townCode) ?? (new Map() as FactRecords);
      const a: FactRecords = after.get(townCode) ?? (new Map() as FactRecords);
      for (const [key, record] of a) {
        const old = b.get(key);
        if (!old) changes.push({ townCode, kind: record.kind, id: record.id, change: 'added', at: record.at ?? at });
        else if (old.print !== record.print) changes.push({ townCode, kind: record.kind, id: record.id, change: 'changed', at: record.at ?? at });
      }
      for (const [key, record] of b) if (!a.has(key)) changes.push({ townCode, kind: record.kind, id: record.id, change: 'removed', at: record.at ?? at });
    }
    return changes;
  }

  /** Drill-down: the records behind a town's numbers. A town official only their own town; enforcement officers none (their scope is their department's cases). */
  async records(month: string, townCode: string, item: AssessmentItem | null, principal: Principal): Promise<RankingRecord[]> {
    if (principal.role === 'enforcement_officer') throw townNotFound(townCode);
    if (principal.role === 'town_official' && principal.townCode !== townCode) throw townNotFound(townCode);
    const { result } = await this.base(month, Date.now());
    const town = result.towns.find((t) => t.townCode === townCode);
    if (!town) throw townNotFound(townCode);
    const entries = new Map<string, { kind: RankingRefKind; id: string; item: RankingRecord['item']; points: number | null }>();
    const addLines = (itemCode: RankingRecord['item'], lines: MonthRanking['towns'][number]['adjustmentLines']): void => {
      for (const line of lines) {
        for (const ref of line.refs) {
          const key = `${itemCode}:${ref.kind}:${ref.id}`;
          const points = line.refs.length === 1 ? line.points : null;
          const prior = entries.get(key);
          if (prior) prior.points = prior.points === null || points === null ? prior.points ?? points : Math.round((prior.points + points) * 100) / 100;
          else entries.set(key, { kind: ref.kind, id: ref.id, item: itemCode, points });
        }
      }
    };
    for (const score of town.items) if (item === null || score.code === item) addLines(score.code, score.lines);
    if (item === null) addLines('adjustment', town.adjustmentLines);
    const list = [...entries.values()];
    const titles = await this.rankings.titles(list);
    return list.map((e) => {
      const t = titles.get(`${e.kind}:${e.id}`);
      let title = t?.title ?? e.id;
      if (e.kind === 'violation' && t?.code) title = `${(VIOLATION_TYPE_LABELS['zh-CN'] as Record<string, string>)[t.code] ?? t.code} ${t.title}`;
      if (e.kind === 'finding' && t?.code) title = `${(FINDING_KIND_LABELS['zh-CN'] as Record<string, string>)[t.code] ?? t.code} ${t.title}`.trim();
      if (e.kind === 'adjustment' && t?.code) title = `${(RANKING_ADJUSTMENT_LABELS['zh-CN'] as Record<string, string>)[t.code] ?? t.code}：${t.title}`;
      if (e.kind === 'village') title = villageNames.get(e.id) ?? e.id;
      return { kind: e.kind, id: e.id, item: e.item, title, at: t?.at ? t.at.toISOString() : null, points: e.points, link: linkOf(e.kind, e.id) };
    });
  }

  /** Total and rank per town per month up to `to`: frozen months as frozen, others provisional (future months empty). */
  async trend(to: string, months: number, nowMs: number = Date.now()): Promise<RankingTrend> {
    const list = Array.from({ length: months }, (_, i) => addMonths(to, i - months + 1));
    const frozen = await this.rankings.frozenSummaries(list[0]!, addMonths(to, 1));
    const current = this.currentMonth(nowMs);
    const towns = await this.facts.towns();
    const perMonth: Array<Map<string, { total: number; rank: number }>> = [];
    for (const month of list) {
      const summary = frozen.get(month);
      if (summary) perMonth.push(new Map(summary.map((t) => [t.townCode, t])));
      else if (month <= current) {
        const result = JSON.parse((await this.compute(month, nowMs)).resultText) as MonthRanking;
        perMonth.push(new Map(result.towns.map((t) => [t.townCode, t])));
      } else perMonth.push(new Map());
    }
    return {
      months: list,
      towns: towns.map((t) => ({
        townCode: t.code,
        townName: t.name,
        totals: perMonth.map((m) => m.get(t.code)?.total ?? null),
        ranks: perMonth.map((m) => m.get(t.code)?.rank ?? null),
      })),
    };
  }
}
