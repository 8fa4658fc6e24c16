import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type {
  BulkCaseTransitionRequest,
  BulkCaseTransitionResult,
  CaseAttachment,
  CaseTransitionRequest,
  Violation,
  ViolationDetail,
  ViolationListQuery,
  ViolationPage,
} from '@muckwatch/contracts';
import { type CaseActor, type CaseRequest, allowedActions, planTransition } from '@muckwatch/domain';
import { AuditService } from '../audit/audit.service.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { PG_POOL } from '../database/database.module.js';
import { inTransaction } from '../database/transaction.js';
import { DomainEvents } from '../events/domain-events.js';
import { ALLOWED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, sanitiseFileName, sniffType } from './attachment-files.js';
import { CodedError, caseNotFound } from './case-errors.js';
import { parseCaseFilter, parseCasePaging } from './case-query.js';
import { type AttachmentRow, CasesRepository, type ViolationRow, toAttachment, toEvent, toViolation } from './cases.repository.js';
import { DepartmentsRepository } from './departments.repository.js';

const HOUR_MS = 3_600_000;
/** The latest deadline an assignment may set. */
const MAX_DEADLINE_MS = 366 * 24 * HOUR_MS;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([zZ]|[+-]\d{2}:?\d{2})$/;

export interface Actor {
  principal: Principal;
  origin: RequestOrigin;
}

function caseActor(principal: Principal): CaseActor {
  return { role: principal.role, departmentCode: principal.department };
}

function detailOf(row: ViolationRow): Omit<ViolationDetail, 'timeline' | 'attachments' | 'allowedActions' | 'context'> {
  const points = row.evidence ?? [];
  return {
    ...toViolation(row),
    evidence:
      points.length === 0
        ? null
        : {
            type: 'Feature',
            geometry: { type: 'LineString', coordinates: points.map((p) => [p.lon, p.lat]) },
            properties: {
              times: points.map((p) => new Date(p.atMs).toISOString()),
              speedsKmh: points.map((p) => p.speedKmh),
              thinned: row.evidence_thinned ?? false,
            },
          },
    startPoint: {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [row.start_lon, row.start_lat] },
      properties: { at: row.started_at.toISOString() },
    },
  };
}

/**
 * The case workflow on the platform: the rules are libs/domain's (`planTransition`), this service
 * reads the case in the caller's scope, writes the transition with an optimistic version check,
 * its timeline event, attachments and audit row in one transaction, and announces it after the
 * commit (`case.changed` on the domain event bus).
 */
@Injectable()
export class CasesService {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly cases: CasesRepository,
    private readonly departments: DepartmentsRepository,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  async list(query: ViolationListQuery, principal: Principal): Promise<ViolationPage> {
    const filter = parseCaseFilter(query);
    const paging = parseCasePaging(query);
    const { rows, total } = await this.cases.page(filter, paging, principal);
    return { items: rows.map(toViolation), total, page: paging.page, pageSize: paging.pageSize };
  }

  async get(id: string, principal: Principal): Promise<ViolationDetail> {
    const row = await this.cases.find(id, principal, this.pool, true);
    if (!row) throw caseNotFound(id);
    const [events, attachmentRows, context] = await Promise.all([this.cases.events(id), this.cases.attachments(id), this.cases.context(row)]);
    const attachments = attachmentRows.map(toAttachment);
    return {
      ...detailOf(row),
      timeline: events.map((e) => toEvent(e, attachments)),
      attachments,
      allowedActions: allowedActions({ state: row.case_state, departmentCode: row.department_code }, caseActor(principal)),
      context,
    };
  }

  async transition(id: string, request: CaseTransitionRequest, actor: Actor): Promise<ViolationDetail> {
    await this.apply(id, request, actor, Date.now());
    return this.get(id, actor.principal);
  }

  /** Each item on its own: its own transaction, audit row and event; one failing leaves the others. */
  async bulk(request: BulkCaseTransitionRequest, actor: Actor): Promise<BulkCaseTransitionResult> {
    const result: BulkCaseTransitionResult = { succeeded: [], failed: [] };
    const { items, ...common } = request;
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(item.id)) {
        result.failed.push({ id: item.id, statusCode: 400, code: 'case.duplicate_item', params: { id: item.id } });
        continue;
      }
      seen.add(item.id);
      try {
        const after = await this.apply(item.id, { ...common, version: item.version }, actor, Date.now());
        result.succeeded.push({ id: item.id, version: after.version, caseState: after.caseState });
      } catch (error) {
        if (!(error instanceof CodedError)) throw error;
        const body = error.getResponse() as { code: string; params?: Record<string, unknown> };
        result.failed.push({ id: item.id, statusCode: error.getStatus(), code: body.code, ...(body.params ? { params: body.params } : {}) });
      }
    }
    return result;
  }

  /** One transition: read in scope, plan (libs/domain), write with the version check, announce. */
  private async apply(id: string, request: CaseTransitionRequest, actor: Actor, nowMs: number): Promise<Violation> {
    const { principal } = actor;
    const row = await this.cases.find(id, principal);
    if (!row) throw caseNotFound(id);
    if (row.version !== request.version) {
      throw new CodedError(409, 'case.version_conflict', `the case changed (version ${row.version}); reload it`, { currentVersion: row.version }, 'version');
    }
    const assigning = request.action === 'assign' || request.action === 'reassign';
    const department = assigning && request.departmentCode ? await this.departments.get(request.departmentCode) : null;
    let deadlineMs: number | undefined;
    if (assigning) {
      if (request.deadline !== undefined && request.deadline !== null) {
        deadlineMs = ISO_WITH_OFFSET.test(request.deadline) ? Date.parse(request.deadline) : NaN;
        if (Number.isFinite(deadlineMs) && deadlineMs > nowMs + MAX_DEADLINE_MS) deadlineMs = NaN;
      } else if (request.departmentCode) {
        deadlineMs = nowMs + (department?.defaultDeadlineHours ?? 72) * HOUR_MS;
      }
    }
    const domainRequest: CaseRequest = {
      action: request.action,
      ...(request.comment != null && { comment: request.comment }),
      ...(request.dismissReason != null && { dismissReason: request.dismissReason }),
      ...(request.departmentCode != null && { departmentCode: request.departmentCode }),
      ...(deadlineMs !== undefined && { deadlineMs }),
      ...(request.outcome != null && { outcome: request.outcome }),
    };
    const plan = planTransition({ state: row.case_state, departmentCode: row.department_code }, domainRequest, caseActor(principal), nowMs);
    if (!('ok' in plan)) {
      const field = 'field' in plan.params ? plan.params.field : undefined;
      throw new CodedError(plan.status, plan.code, refusalMessage(plan.code, plan.params), { ...plan.params }, field);
    }
    if (assigning && (!department || !department.active)) {
      throw new CodedError(400, 'department.unknown', `no active department ${request.departmentCode}`, { departmentCode: request.departmentCode }, 'departmentCode');
    }
    const attachmentIds = request.attachmentIds ?? [];
    const deadline = assigning ? new Date(deadlineMs!) : row.deadline;
    const comment = request.comment?.trim() || null;

    const after = await inTransaction(this.pool, async (db) => {
      const updated = await this.cases.update(
        {
          id,
          version: request.version,
          state: plan.to,
          departmentCode: plan.departmentCode,
          deadline,
          assignedAt: assigning ? 'now' : 'keep',
          handledAt: request.action === 'handle' ? 'now' : 'keep',
          closedAt: request.action === 'close' ? 'now' : request.action === 'reopen' ? 'clear' : 'keep',
          dismissReason: request.action === 'dismiss' ? (request.dismissReason ?? null) : request.action === 'reopen' ? null : 'keep',
          outcome: request.action === 'handle' ? (request.outcome ?? null) : request.action === 'reopen' ? null : 'keep',
        },
        db,
      );
      if (!updated) {
        const currentVersion = await this.cases.currentVersion(id, db);
        throw new CodedError(409, 'case.version_conflict', `the case changed (version ${currentVersion}); reload it`, { currentVersion }, 'version');
      }
      const eventId = await this.cases.insertEvent(
        {
          violationId: id,
          action: request.action,
          fromState: plan.from,
          toState: plan.to,
          actor: principal,
          comment,
          dismissReason: request.action === 'dismiss' ? (request.dismissReason ?? null) : null,
          departmentCode: assigning ? plan.departmentCode : null,
          deadline: assigning ? deadline : null,
          outcome: request.action === 'handle' ? (request.outcome ?? null) : null,
        },
        db,
      );
      const linked = await this.cases.linkAttachments(id, eventId, attachmentIds, db);
      if (linked !== attachmentIds.length) {
        throw new CodedError(400, 'attachment.unknown', 'an attachment is not this case’s, or already on an event', { attachmentIds }, 'attachmentIds');
      }
      const afterRow = await this.cases.find(id, principal, db);
      if (!afterRow) throw caseNotFound(id);
      await this.audit.record(
        {
          action: `case_${request.action}`,
          actor: principal,
          origin: actor.origin,
          resourceType: 'violation',
          resourceId: id,
          before: { caseState: row.case_state, version: row.version, departmentCode: row.department_code },
          after: { caseState: afterRow.case_state, version: afterRow.version, departmentCode: afterRow.department_code, deadline: afterRow.deadline },
          detail: { eventId, comment, dismissReason: request.dismissReason ?? null, outcome: request.outcome ?? null, attachmentIds },
        },
        db,
      );
      return toViolation(afterRow);
    });
    this.events.publish('case.changed', {
      violation: after,
      action: request.action,
      actorUsername: principal.username,
      at: new Date().toISOString(),
      previousDepartmentCode: row.department_code,
    });
    return after;
  }

  /**
   * Stores a file for the case (in the database, with its SHA-256); it joins the timeline once a
   * transition or comment names it. Anyone who may comment on the case may attach.
   */
  async upload(id: string, file: { originalname?: string; buffer: Buffer; size: number } | undefined, actor: Actor): Promise<CaseAttachment> {
    const { principal } = actor;
    const row = await this.cases.find(id, principal);
    if (!row) throw caseNotFound(id);
    if (!allowedActions({ state: row.case_state, departmentCode: row.department_code }, caseActor(principal)).includes('comment')) {
      throw new CodedError(403, 'case.action_forbidden', 'you may not add to this case', { action: 'comment', role: principal.role });
    }
    if (!file) throw new CodedError(400, 'attachment.missing', 'send the file as multipart field `file`', {}, 'file');
    if (file.size > MAX_ATTACHMENT_BYTES) {
      throw new CodedError(413, 'attachment.too_large', `at most ${MAX_ATTACHMENT_BYTES} bytes`, { maxBytes: MAX_ATTACHMENT_BYTES }, 'file');
    }
    const type = sniffType(file.buffer);
    if (!type) {
      throw new CodedError(415, 'attachment.type_not_allowed', `only ${ALLOWED_ATTACHMENT_TYPES.join(', ')}`, { allowed: ALLOWED_ATTACHMENT_TYPES }, 'file');
    }
    const fileName = sanitiseFileName(decodeMultipartName(file.originalname), type);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const stored = await inTransaction(this.pool, async (db) => {
      const inserted = await this.cases.insertAttachment(
        { violationId: id, fileName, contentType: type.contentType, content: file.buffer, sha256, uploadedBy: principal.username },
        db,
      );
      await this.audit.record(
        {
          action: 'case_attachment_upload',
          actor: principal,
          origin: actor.origin,
          resourceType: 'violation',
          resourceId: id,
          after: { attachmentId: inserted.id, fileName, contentType: type.contentType, sizeBytes: file.size, sha256 },
        },
        db,
      );
      return inserted;
    });
    return toAttachment(stored);
  }

  async attachment(id: string, attachmentId: string, principal: Principal): Promise<AttachmentRow & { content: Buffer }> {
    if (!(await this.cases.find(id, principal))) throw caseNotFound(id);
    const found = /^[0-9a-f-]{36}$/i.test(attachmentId) ? await this.cases.attachmentContent(id, attachmentId) : null;
    if (!found) throw new CodedError(404, 'attachment.not_found', `attachment ${attachmentId} not found`, { attachmentId });
    return found;
  }
}

/** Multer hands the multipart file name over as Latin-1; browsers send UTF-8. */
function decodeMultipartName(name: string | undefined): string {
  if (!name) return '';
  const utf8 = Buffer.from(name, 'latin1').toString('utf8');
  return utf8.includes('\uFFFD') ? name : utf8;
}

function refusalMessage(code: string, params: object): string {
  const p = params as Record<string, unknown>;
  switch (code) {
    case 'case.illegal_transition':
      return `cannot ${String(p['action'])} a case that is ${String(p['state'])}; allowed: ${(p['allowed'] as string[]).join(', ') || 'none'}`;
    case 'case.action_forbidden':
      return `a ${String(p['role'])} may not ${String(p['action'])} this case`;
    case 'case.field_required':
      return `${String(p['field'])} is required to ${String(p['action'])}`;
    default:
      return `${String(p['field'])} is invalid`;
  }
}
