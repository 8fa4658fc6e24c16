import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors, type CallHandler, type ExecutionContext } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import {
  CASE_SORT_FIELDS,
  CASE_STATES,
  VIOLATION_STATUSES,
  VIOLATION_TYPE_NAMES,
  type BulkCaseTransitionRequest,
  type BulkCaseTransitionResult,
  type CaseAttachment,
  type CaseTransitionRequest,
  type ViolationDetail,
  type ViolationListQuery,
  type ViolationPage,
} from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import { RateLimited } from '../auth/rate-limited.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { bodyValidator } from '../common/validate-body.js';
import { MAX_ATTACHMENT_BYTES, contentDisposition } from './attachment-files.js';
import { CodedError } from './case-errors.js';
import { CASE_QUERY_KEYS } from './case-query.js';
import { bulkTransitionSchema, caseTransitionSchema, openApiSchema } from './case-schemas.js';
import { CasesExportService } from './cases-export.service.js';
import { CasesService } from './cases.service.js';
import { BULK_RESULT_SCHEMA, CASE_ATTACHMENT_SCHEMA, VIOLATION_DETAIL_SCHEMA, VIOLATION_PAGE_SCHEMA } from './openapi-schemas.js';
import { streamDownload } from '../exports/download.js';

const validateTransition = bodyValidator<CaseTransitionRequest>(caseTransitionSchema);
const validateBulk = bodyValidator<BulkCaseTransitionRequest>(bulkTransitionSchema);

const TIME = 'ISO 8601 with an offset, or epoch ms';

/** What multer's memory storage hands over. */
interface UploadedAttachment {
  originalname: string;
  buffer: Buffer;
  size: number;
}

/**
 * Multer with its memory storage (the default without `dest`: the file arrives as a Buffer, never
 * on disk), one file of at most 10 MiB; its refusals as this API's coded errors.
 */
class AttachmentUpload extends FileInterceptor('file', { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 0, parts: 2 } }) {
  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (error) {
      const status = (error as { getStatus?: () => number }).getStatus?.();
      if (status === 413) throw new CodedError(413, 'attachment.too_large', `at most ${MAX_ATTACHMENT_BYTES} bytes`, { maxBytes: MAX_ATTACHMENT_BYTES }, 'file');
      if (status === 400) throw new CodedError(400, 'attachment.invalid', (error as Error).message, {}, 'file');
      throw error;
    }
  }
}

/** Pulls the list's query parameters (each validated by the service). */
function listQuery(raw: Record<string, unknown>): ViolationListQuery {
  const query: Record<string, string> = {};
  for (const key of CASE_QUERY_KEYS) {
    const value = raw[key];
    if (typeof value === 'string') query[key] = value;
    else if (value !== undefined) throw new CodedError(400, 'query.invalid', `${key} must be given once`, { field: key }, key);
  }
  return query;
}

const listQueries = [
  ApiQuery({ name: 'from', required: false, description: `${TIME}: start at or after` }),
  ApiQuery({ name: 'to', required: false, description: `${TIME}: start at or before` }),
  ApiQuery({ name: 'type', required: false, description: `comma list of ${VIOLATION_TYPE_NAMES.join(', ')}` }),
  ApiQuery({ name: 'severity', required: false, description: 'comma list of low, medium, high, critical' }),
  ApiQuery({ name: 'caseState', required: false, description: `comma list of ${CASE_STATES.join(', ')}` }),
  ApiQuery({ name: 'status', required: false, enum: VIOLATION_STATUSES }),
  ApiQuery({ name: 'townCode', required: false }),
  ApiQuery({ name: 'companyId', required: false, description: 'UUID' }),
  ApiQuery({ name: 'truckId', required: false, description: 'UUID' }),
  ApiQuery({ name: 'plate', required: false }),
  ApiQuery({ name: 'departmentCode', required: false }),
  ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'] }),
  ApiQuery({ name: 'sort', required: false, enum: CASE_SORT_FIELDS }),
  ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] }),
];

function applyAll(decorators: MethodDecorator[]): MethodDecorator {
  return (target, key, descriptor) => {
    for (const d of decorators) d(target, key, descriptor);
  };
}

@ApiTags('cases')
@Controller('api/v1/violations')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly exports: CasesExportService,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Violation cases (违规案件), filtered, sorted, paged. Town officials see their town's; enforcement officers those their department holds or held.",
  })
  @applyAll(listQueries)
  @ApiQuery({ name: 'page', required: false, description: '1-based, ≤ 100,000' })
  @ApiQuery({ name: 'pageSize', required: false, description: '1–500, default 50' })
  @ApiOkResponse({ description: 'ViolationPage (libs/contracts/src/api/compliance.ts)', schema: VIOLATION_PAGE_SCHEMA })
  @ApiBadRequestResponse({ description: 'ApiError `query.invalid` naming the parameter' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>): Promise<ViolationPage> {
    return this.cases.list(listQuery(query), principal);
  }

  @Get('export.xlsx')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'The filtered list as xlsx (zh-CN columns, Asia/Shanghai times, ≤ 100,000 rows; audited)' })
  @applyAll(listQueries)
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: '违规案件_YYYYMMDD.xlsx' })
  @ApiBadRequestResponse({ description: 'ApiError `query.invalid`, or `export.too_many_rows`' })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Origin() origin: RequestOrigin,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    await streamDownload(res, () => this.exports.export(listQuery(query), { principal, origin }, res));
  }

  @Post('bulk')
  @RateLimited('expensive')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'confirm, dismiss or assign up to 500 cases; each in its own transaction and audited on its own' })
  @ApiBody({ description: 'BulkCaseTransitionRequest (libs/contracts/src/api/violation-cases.ts)', schema: openApiSchema(bulkTransitionSchema) })
  @ApiOkResponse({ description: 'BulkCaseTransitionResult: succeeded and failed (with code and params)', schema: BULK_RESULT_SCHEMA })
  @ApiBadRequestResponse({ description: 'ApiError naming the field' })
  bulk(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<BulkCaseTransitionResult> {
    return this.cases.bulk(validateBulk(body), { principal, origin });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One case: evidence, timeline, attachments, context and the actions the caller may take (id URL-encoded; out of scope → 404)' })
  @ApiParam({ name: 'id', description: 'the engine id `{terminalId}/{type}/{startMs}`, URL-encoded' })
  @ApiOkResponse({ description: 'ViolationDetail (libs/contracts/src/api/compliance.ts)', schema: VIOLATION_DETAIL_SCHEMA })
  @ApiNotFoundResponse({ description: '`case.not_found`: unknown, or outside the caller’s scope' })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ViolationDetail> {
    return this.cases.get(id, principal);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the case (confirm, dismiss, assign, reassign, handle, return, close, reopen) or comment; audited' })
  @ApiBody({ description: 'CaseTransitionRequest (libs/contracts/src/api/violation-cases.ts)', schema: openApiSchema(caseTransitionSchema) })
  @ApiOkResponse({ description: 'ViolationDetail after the transition', schema: VIOLATION_DETAIL_SCHEMA })
  @ApiBadRequestResponse({ description: '`case.field_required` / `case.field_invalid` / `department.unknown` / `attachment.unknown`' })
  @ApiForbiddenResponse({ description: '`case.action_forbidden`: this role (or another department) may not' })
  @ApiNotFoundResponse({ description: '`case.not_found`' })
  @ApiConflictResponse({ description: '`case.illegal_transition` (params state, allowed) or `case.version_conflict` (params currentVersion)' })
  transition(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Origin() origin: RequestOrigin,
  ): Promise<ViolationDetail> {
    return this.cases.transition(id, validateTransition(body), { principal, origin });
  }

  @Post(':id/attachments')
  @UseInterceptors(AttachmentUpload)
  @ApiOperation({ summary: 'Attach a photo or document (JPEG, PNG, WebP, PDF by content; ≤ 10 MiB); name it in a transition’s attachmentIds' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ description: 'CaseAttachment', schema: CASE_ATTACHMENT_SCHEMA })
  @ApiBadRequestResponse({ description: '`attachment.missing` / `attachment.invalid`' })
  upload(
    @Param('id') id: string,
    @UploadedFile() file: UploadedAttachment | undefined,
    @CurrentPrincipal() principal: Principal,
    @Origin() origin: RequestOrigin,
  ): Promise<CaseAttachment> {
    return this.cases.upload(id, file, { principal, origin });
  }

  @Get(':id/attachments/:attachmentId')
  @ApiOperation({ summary: 'Download an attachment (same scope as the case)' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'application/pdf')
  @ApiNotFoundResponse({ description: '`case.not_found` / `attachment.not_found`' })
  async download(
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.cases.attachment(id, attachmentId, principal);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(file.content, {
      type: file.content_type,
      length: file.content.length,
      disposition: contentDisposition('attachment', file.file_name),
    });
  }
}
