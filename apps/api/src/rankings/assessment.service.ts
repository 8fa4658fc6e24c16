import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { addMonths, type Methodology as MethodologyView, type MethodologyInput, type RankingAdjustment, type RankingAdjustmentInput } from '@muckwatch/contracts';
import { validateMethodology } from '@muckwatch/domain';
import { AuditService } from '../audit/audit.service.js';
import { CodedError } from '../cases/case-errors.js';
import type { Actor } from '../cases/cases.service.js';
import { PG_POOL } from '../database/database.module.js';
import { inTransaction } from '../database/transaction.js';
import { RankingsRepository, toMethodologyView } from './rankings.repository.js';
import { RankingsService, monthFrozen } from './rankings.service.js';

/**
 * What the admin sets for the assessment: methodology versions (a new one applies from a month not
 * yet frozen, so frozen months keep theirs) and a month's adjustments (bonus, higher-level
 * notifications, veto; only while the month is open). Every change audited.
 */
@Injectable()
export class AssessmentService {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly rankings: RankingsRepository,
    private readonly ranking: RankingsService,
    private readonly audit: AuditService,
  ) {}

  async methodologies(): Promise<MethodologyView[]> {
    return (await this.rankings.methodologies()).map(toMethodologyView);
  }

  async createMethodology(input: MethodologyInput, actor: Actor): Promise<MethodologyView> {
    const { effectiveFrom, note, ...body } = input;
    const problems = validateMethodology({ ...body, version: 1, effectiveFrom });
    if (problems.length > 0) {
      throw new CodedError(400, 'ranking.methodology_invalid', `methodology: ${problems.join(', ')}`, { problems: problems.join(', ') }, 'body');
    }
    const created = await inTransaction(this.pool, async (db) => {
      // One new version at a time; the month check and the insert see the same frozen months.
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('ranking.methodology'))`);
      const newestFrozen = await this.rankings.newestFrozenMonth(db);
      if (newestFrozen !== null && effectiveFrom <= newestFrozen) {
        const firstOpenMonth = addMonths(newestFrozen, 1);
        throw new CodedError(409, 'ranking.methodology_month_frozen', `effectiveFrom must be ${firstOpenMonth} or later: earlier months are frozen`, { firstOpenMonth }, 'effectiveFrom');
      }
      const row = await this.rankings.insertMethodology({ body, effectiveFrom, note: note?.trim() || null, createdBy: actor.principal.username }, db);
      await this.audit.record(
        {
          action: 'methodology.create',
          actor: actor.principal,
          origin: actor.origin,
          resourceType: 'methodology',
          resourceId: String(row.version),
          after: { version: row.version, effectiveFrom, body },
          detail: { note: row.note },
        },
        db,
      );
      return row;
    });
    return toMethodologyView(created);
  }

  adjustments(month: string | null): Promise<RankingAdjustment[]> {
    return this.rankings.adjustments(month);
  }

  async createAdjustment(input: RankingAdjustmentInput, actor: Actor): Promise<RankingAdjustment> {
    const methodology = await this.ranking.methodologyFor(input.month);
    let points: number | null = input.points ?? null;
    let vetoGround = input.vetoGround ?? null;
    switch (input.kind) {
      case 'bonus':
        if (points === null || points > methodology.bonusCap) {
          throw new CodedError(400, 'ranking.points_out_of_range', `a bonus needs points from 0 to ${methodology.bonusCap}`, { kind: input.kind, max: methodology.bonusCap }, 'points');
        }
        vetoGround = null;
        break;
      case 'city_notification':
      case 'province_notification': {
        const max = methodology.notificationPoints.cap;
        if (points !== null && points > max) {
          throw new CodedError(400, 'ranking.points_out_of_range', `a notification deducts from 0 to ${max} points`, { kind: input.kind, max }, 'points');
        }
        vetoGround = null;
        break;
      }
      case 'veto':
        if (vetoGround === null) throw new CodedError(400, 'ranking.veto_ground_required', 'a veto needs its ground', {}, 'vetoGround');
        points = null;
        break;
    }
    if (!(await this.rankings.townExists(input.townCode))) {
      throw new CodedError(400, 'ranking.town_unknown', `no assessed town ${input.townCode}`, { townCode: input.townCode }, 'townCode');
    }
    return inTransaction(this.pool, async (db) => {
      // The month's close lock: an adjustment never lands in a month being frozen.
      await db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`ranking.close:${input.month}`]);
      if (await this.rankings.isFrozen(input.month, db)) throw monthFrozen(input.month);
      const created = await this.rankings.insertAdjustment(
        { month: input.month, townCode: input.townCode, kind: input.kind, points, vetoGround, reason: input.reason.trim(), documentRef: input.documentRef.trim(), createdBy: actor.principal.username },
        db,
      );
      await this.audit.record(
        { action: 'ranking_adjustment.create', actor: actor.principal, origin: actor.origin, resourceType: 'ranking_adjustment', resourceId: created.id, after: created },
        db,
      );
      return created;
    });
  }

  async deleteAdjustment(id: string, actor: Actor): Promise<void> {
    const found = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? await this.rankings.adjustment(id) : null;
    if (!found) throw new CodedError(404, 'ranking.adjustment_not_found', `adjustment ${id} not found`, { id });
    await inTransaction(this.pool, async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`ranking.close:${found.month}`]);
      if (await this.rankings.isFrozen(found.month, db)) throw monthFrozen(found.month);
      await this.rankings.deleteAdjustment(id, db);
      await this.audit.record(
        { action: 'ranking_adjustment.delete', actor: actor.principal, origin: actor.origin, resourceType: 'ranking_adjustment', resourceId: id, before: found },
        db,
      );
    });
  }
}
