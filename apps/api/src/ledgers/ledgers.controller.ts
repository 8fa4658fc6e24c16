import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import {
  COLLECTION_REQUEST_STATES,
  FINDER_LEVELS,
  FINDING_KINDS,
  FINDING_STATUSES,
  LEDGER_LIMITS,
  PILE_STATUSES,
  type CollectionCancelRequest,
  type CollectionDispatchRequest,
  type CollectionPoint,
  type CollectionPointInput,
  type CollectionPointPatch,
  type CollectionRequest,
  type CollectionRequestDetail,
  type CollectionRequestInput,
  type CollectionRequestPatch,
  type DispatchableTruck,
  type Finding,
  type FindingDetail,
  type FindingInput,
  type FindingPatch,
  type FindingStatus,
  type LedgerPage,
  type LedgerPhoto,
  type LedgerTransitionRequest,
  type PileStatus,
  type TownLedgerCoverage,
  type WastePile,
  type WastePileDetail,
  type WastePileInput,
  type WastePilePatch,
} from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { MAX_ATTACHMENT_BYTES, contentDisposition } from '../cases/attachment-files.js';
import { CodedError } from '../cases/case-errors.js';
import { openApiSchema } from '../cases/case-schemas.js';
import { bodyValidator } from '../common/validate-body.js';
import {
  COLLECTION_POINT_SCHEMA,
  COLLECTION_REQUEST_DETAIL_SCHEMA,
  COLLECTION_REQUEST_SCHEMA,
  COVERAGE_SCHEMA,
  DISPATCHABLE_TRUCK_SCHEMA,
  FINDING_DETAIL_SCHEMA,
  FINDING_SCHEMA,
  LEDGER_PHOTO_SCHEMA,
  WASTE_PILE_DETAIL_SCHEMA,
  WASTE_PILE_SCHEMA,
  pageSchema,
} from './ledger-openapi.js';
import {
  cancelSchema,
  collectionPointCreateSchema,
  collectionPointPatchSchema,
  collectionRequestCreateSchema,
  collectionRequestPatchSchema,
  dispatchSchema,
  findingCreateSchema,
  findingPatchSchema,
  findingTransitionSchema,
  pileCreateSchema,
  pilePatchSchema,
  pileTransitionSchema,
} from './ledger-schemas.js';
import { LedgersService } from './ledgers.service.js';

const validate = {
  pileCreate: bodyValidator<WastePileInput>(pileCreateSchema),
  pilePatch: bodyValidator<WastePilePatch>(pilePatchSchema),
  pileTransition: bodyValidator<LedgerTransitionRequest<PileStatus>>(pileTransitionSchema),
  pointCreate: bodyValidator<CollectionPointInput>(collectionPointCreateSchema),
  pointPatch: bodyValidator<CollectionPointPatch>(collectionPointPatchSchema),
  requestCreate: bodyValidator<CollectionRequestInput>(collectionRequestCreateSchema),
  requestPatch: bodyValidator<CollectionRequestPatch>(collectionRequestPatchSchema),
  dispatch: bodyValidator<CollectionDispatchRequest>(dispatchSchema),
  cancel: bodyValidator<CollectionCancelRequest>(cancelSchema),
  findingCreate: bodyValidator<FindingInput>(findingCreateSchema),
  findingPatch: bodyValidator<FindingPatch>(findingPatchSchema),
  findingTransition: bodyValidator<LedgerTransitionRequest<FindingStatus>>(findingTransitionSchema),
};

/** Town and muck-office records (piles, points, requests): no enforcement officer business. */
const LEDGER_READERS = ['admin', 'dispatcher', 'town_official', 'auditor'] as const;
const SCOPE_NOTE = 'Town officials: only their own town (another town’s id → 404). Auditors read only.';

interface UploadedPhoto {
  originalname: string;
  buffer: Buffer;
  size: number;
}

/** Multer (memory storage), one file of at most 10 MiB; its refusals as coded errors. */
class PhotoUpload extends FileInterceptor('file', { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 0, parts: 2 } }) {
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

function sendPhoto(photo: LedgerPhoto & { content: Buffer }, res: Response): StreamableFile {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  return new StreamableFile(photo.content, { type: photo.contentType, length: photo.content.length, disposition: contentDisposition('inline', photo.fileName) });
}

const paging = [
  ApiQuery({ name: 'townCode', required: false }),
  ApiQuery({ name: 'page', required: false, description: '1-based, ≤ 100,000' }),
  ApiQuery({ name: 'pageSize', required: false, description: '1–200, default 50' }),
];

function applyAll(decorators: MethodDecorator[]): MethodDecorator {
  return (target, key, descriptor) => {
    for (const d of decorators) d(target, key, descriptor);
  };
}

const photoUploadDocs = applyAll([
  ApiConsumes('multipart/form-data'),
  ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } }),
  ApiOkResponse({ description: 'LedgerPhoto', schema: LEDGER_PHOTO_SCHEMA }),
  ApiBadRequestResponse({ description: '`attachment.missing` / `attachment.invalid`' }),
]);

@ApiTags('ledgers')
@Controller('api/v1/ledgers/piles')
@Roles(...LEDGER_READERS)
export class WastePilesController {
  constructor(private readonly ledgers: LedgersService) {}

  @Get()
  @ApiOperation({ summary: `Existing waste piles (既有建筑垃圾堆台账), newest first. ${SCOPE_NOTE}` })
  @applyAll(paging)
  @ApiQuery({ name: 'status', required: false, enum: PILE_STATUSES })
  @ApiQuery({ name: 'landNature', required: false })
  @ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'], description: 'past its deadline (before today in Asia/Shanghai) and not yet cleared, covered or verified (true), or not (false)' })
  @ApiOkResponse({ description: 'LedgerPage<WastePile>', schema: pageSchema(WASTE_PILE_SCHEMA) })
  list(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal): Promise<LedgerPage<WastePile>> {
    return this.ledgers.listPiles(query, principal);
  }

  @Post()
  @ApiOperation({ summary: 'Register a pile (audited); the location must lie in the town' })
  @ApiBody({ description: 'WastePileInput', schema: openApiSchema(pileCreateSchema) })
  @ApiCreatedResponse({ description: 'WastePileDetail', schema: WASTE_PILE_DETAIL_SCHEMA })
  @ApiBadRequestResponse({ description: '`input.invalid` naming the field, `ledger.geometry_invalid`' })
  @ApiUnprocessableEntityResponse({ description: '`ledger.outside_district` / `ledger.outside_town`' })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<WastePileDetail> {
    return this.ledgers.createPile(validate.pileCreate(body), { principal, origin });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One pile with its history and photos' })
  @ApiOkResponse({ description: 'WastePileDetail', schema: WASTE_PILE_DETAIL_SCHEMA })
  @ApiNotFoundResponse({ description: '`ledger.not_found`: unknown or out of scope' })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<WastePileDetail> {
    return this.ledgers.getPile(id, principal);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a pile (send the version you read; audited)' })
  @ApiBody({ description: 'WastePilePatch', schema: openApiSchema(pilePatchSchema) })
  @ApiOkResponse({ description: 'WastePileDetail', schema: WASTE_PILE_DETAIL_SCHEMA })
  @ApiConflictResponse({ description: '`ledger.version_conflict` / `ledger.record_final`' })
  patch(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<WastePileDetail> {
    return this.ledgers.patchPile(id, validate.pilePatch(body), { principal, origin });
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a pile: in_progress, cleared, covered; verified only by the muck office (audited)' })
  @ApiBody({ description: 'LedgerTransitionRequest', schema: openApiSchema(pileTransitionSchema) })
  @ApiOkResponse({ description: 'WastePileDetail', schema: WASTE_PILE_DETAIL_SCHEMA })
  @ApiForbiddenResponse({ description: '`ledger.action_forbidden` / `ledger.read_only`' })
  @ApiConflictResponse({ description: '`ledger.illegal_transition` / `ledger.version_conflict`' })
  transition(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<WastePileDetail> {
    return this.ledgers.transitionPile(id, validate.pileTransition(body), { principal, origin });
  }

  @Post(':id/photos')
  @UseInterceptors(PhotoUpload)
  @ApiOperation({ summary: 'Add a photo (JPEG, PNG or WebP by content; ≤ 10 MiB)' })
  @photoUploadDocs
  upload(@Param('id') id: string, @UploadedFile() file: UploadedPhoto | undefined, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<LedgerPhoto> {
    return this.ledgers.uploadPhoto('pile', id, file, { principal, origin });
  }

  @Get(':id/photos/:photoId')
  @ApiOperation({ summary: 'A photo of the pile (same scope)' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  async download(@Param('id') id: string, @Param('photoId') photoId: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    return sendPhoto(await this.ledgers.photo('pile', id, photoId, principal), res);
  }
}

@ApiTags('ledgers')
@Controller('api/v1/ledgers/findings')
export class FindingsController {
  constructor(private readonly ledgers: LedgersService) {}

  @Get()
  @ApiOperation({ summary: `Inspection findings (巡查发现), newest first. ${SCOPE_NOTE} Enforcement officers read every town’s.` })
  @applyAll(paging)
  @ApiQuery({ name: 'status', required: false, enum: FINDING_STATUSES })
  @ApiQuery({ name: 'kind', required: false, enum: FINDING_KINDS })
  @ApiQuery({ name: 'finder', required: false, enum: FINDER_LEVELS })
  @ApiQuery({ name: 'from', required: false, description: 'found at or after (ISO 8601 with an offset)' })
  @ApiQuery({ name: 'to', required: false, description: 'found before' })
  @ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'], description: 'past its deadline (before today in Asia/Shanghai) and not yet rectified or verified (true), or not (false)' })
  @ApiOkResponse({ description: 'LedgerPage<Finding>', schema: pageSchema(FINDING_SCHEMA) })
  list(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal): Promise<LedgerPage<Finding>> {
    return this.ledgers.listFindings(query, principal);
  }

  @Post()
  @ApiOperation({ summary: 'Record a finding (audited); its town is the one whose area holds the location' })
  @ApiBody({ description: 'FindingInput', schema: openApiSchema(findingCreateSchema) })
  @ApiCreatedResponse({ description: 'FindingDetail', schema: FINDING_DETAIL_SCHEMA })
  @ApiForbiddenResponse({ description: '`ledger.town_out_of_scope` / `ledger.finder_forbidden` / `ledger.read_only`' })
  @ApiUnprocessableEntityResponse({ description: '`ledger.outside_towns` / `ledger.outside_district`' })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<FindingDetail> {
    return this.ledgers.createFinding(validate.findingCreate(body), { principal, origin });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One finding with its history and photos' })
  @ApiOkResponse({ description: 'FindingDetail', schema: FINDING_DETAIL_SCHEMA })
  @ApiNotFoundResponse({ description: '`ledger.not_found`' })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<FindingDetail> {
    return this.ledgers.getFinding(id, principal);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a finding (send the version you read; audited)' })
  @ApiBody({ description: 'FindingPatch', schema: openApiSchema(findingPatchSchema) })
  @ApiOkResponse({ description: 'FindingDetail', schema: FINDING_DETAIL_SCHEMA })
  @ApiConflictResponse({ description: '`ledger.version_conflict` / `ledger.record_final`' })
  patch(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<FindingDetail> {
    return this.ledgers.patchFinding(id, validate.findingPatch(body), { principal, origin });
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a finding: rectifying, rectified; verified only by the muck office (audited)' })
  @ApiBody({ description: 'LedgerTransitionRequest', schema: openApiSchema(findingTransitionSchema) })
  @ApiOkResponse({ description: 'FindingDetail', schema: FINDING_DETAIL_SCHEMA })
  @ApiConflictResponse({ description: '`ledger.illegal_transition` / `ledger.version_conflict`' })
  transition(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<FindingDetail> {
    return this.ledgers.transitionFinding(id, validate.findingTransition(body), { principal, origin });
  }

  @Post(':id/photos')
  @UseInterceptors(PhotoUpload)
  @ApiOperation({ summary: 'Add a photo (JPEG, PNG or WebP by content; ≤ 10 MiB)' })
  @photoUploadDocs
  upload(@Param('id') id: string, @UploadedFile() file: UploadedPhoto | undefined, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<LedgerPhoto> {
    return this.ledgers.uploadPhoto('finding', id, file, { principal, origin });
  }

  @Get(':id/photos/:photoId')
  @ApiOperation({ summary: 'A photo of the finding (same scope)' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  async download(@Param('id') id: string, @Param('photoId') photoId: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    return sendPhoto(await this.ledgers.photo('finding', id, photoId, principal), res);
  }
}

@ApiTags('ledgers')
@Controller('api/v1/ledgers/collection-points')
@Roles(...LEDGER_READERS)
export class CollectionPointsController {
  constructor(private readonly ledgers: LedgersService) {}

  @Get()
  @ApiOperation({ summary: `Collection points (收集点) by town and village. ${SCOPE_NOTE}` })
  @applyAll(paging)
  @ApiQuery({ name: 'villageCode', required: false })
  @ApiQuery({ name: 'active', required: false, enum: ['true', 'false'] })
  @ApiOkResponse({ description: 'LedgerPage<CollectionPoint>', schema: pageSchema(COLLECTION_POINT_SCHEMA) })
  list(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal): Promise<LedgerPage<CollectionPoint>> {
    return this.ledgers.listPoints(query, principal);
  }

  @Post()
  @ApiOperation({ summary: 'Add a collection point (audited); active points are trip origins for the compliance engine' })
  @ApiBody({ description: 'CollectionPointInput', schema: openApiSchema(collectionPointCreateSchema) })
  @ApiCreatedResponse({ description: 'CollectionPoint', schema: COLLECTION_POINT_SCHEMA })
  @ApiUnprocessableEntityResponse({ description: '`ledger.outside_town` / `ledger.village_other_town`' })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<CollectionPoint> {
    return this.ledgers.createPoint(validate.pointCreate(body), { principal, origin });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One collection point' })
  @ApiOkResponse({ description: 'CollectionPoint', schema: COLLECTION_POINT_SCHEMA })
  @ApiNotFoundResponse({ description: '`ledger.not_found`' })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<CollectionPoint> {
    return this.ledgers.getPoint(id, principal);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit or (de)activate a collection point (send the version you read; audited)' })
  @ApiBody({ description: 'CollectionPointPatch', schema: openApiSchema(collectionPointPatchSchema) })
  @ApiOkResponse({ description: 'CollectionPoint', schema: COLLECTION_POINT_SCHEMA })
  @ApiConflictResponse({ description: '`ledger.version_conflict`' })
  patch(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<CollectionPoint> {
    return this.ledgers.patchPoint(id, validate.pointPatch(body), { principal, origin });
  }
}

@ApiTags('ledgers')
@Controller('api/v1/ledgers/collection-requests')
@Roles(...LEDGER_READERS)
export class CollectionRequestsController {
  constructor(private readonly ledgers: LedgersService) {}

  @Get()
  @ApiOperation({ summary: `Collection requests (收集申请), newest first. ${SCOPE_NOTE}` })
  @applyAll(paging)
  @ApiQuery({ name: 'state', required: false, enum: COLLECTION_REQUEST_STATES })
  @ApiQuery({ name: 'villageCode', required: false })
  @ApiOkResponse({ description: 'LedgerPage<CollectionRequest>', schema: pageSchema(COLLECTION_REQUEST_SCHEMA) })
  list(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal): Promise<LedgerPage<CollectionRequest>> {
    return this.ledgers.listRequests(query, principal);
  }

  @Post()
  @ApiOperation({ summary: 'Record a request from a community, enterprise or village (audited)' })
  @ApiBody({ description: 'CollectionRequestInput', schema: openApiSchema(collectionRequestCreateSchema) })
  @ApiCreatedResponse({ description: 'CollectionRequestDetail', schema: COLLECTION_REQUEST_DETAIL_SCHEMA })
  @ApiUnprocessableEntityResponse({ description: '`ledger.point_unknown` / `ledger.outside_town`' })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<CollectionRequestDetail> {
    return this.ledgers.createRequest(validate.requestCreate(body), { principal, origin });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One request with its history (dispatch, and the GPS fulfilment: visit, trip)' })
  @ApiOkResponse({ description: 'CollectionRequestDetail', schema: COLLECTION_REQUEST_DETAIL_SCHEMA })
  @ApiNotFoundResponse({ description: '`ledger.not_found`' })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<CollectionRequestDetail> {
    return this.ledgers.getRequest(id, principal);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a request before it is dispatched (send the version you read; audited)' })
  @ApiBody({ description: 'CollectionRequestPatch', schema: openApiSchema(collectionRequestPatchSchema) })
  @ApiOkResponse({ description: 'CollectionRequestDetail', schema: COLLECTION_REQUEST_DETAIL_SCHEMA })
  @ApiConflictResponse({ description: '`ledger.version_conflict` / `ledger.illegal_transition`' })
  patch(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<CollectionRequestDetail> {
    return this.ledgers.patchRequest(id, validate.requestPatch(body), { principal, origin });
  }

  @Get(':id/dispatchable-trucks')
  @ApiOperation({
    summary:
      'The trucks this request may be dispatched to: registered, a terminal bound and a transport permit valid today, wherever they are (contracted trucks are often outside the town). Whoever may read the request.',
  })
  @ApiQuery({ name: 'q', required: false, description: `part of the plate, case-insensitive (≤ ${LEDGER_LIMITS.truckQueryLength} characters)` })
  @ApiQuery({ name: 'page', required: false, description: '1-based, ≤ 100,000' })
  @ApiQuery({ name: 'pageSize', required: false, description: '1–200, default 50' })
  @ApiOkResponse({ description: 'LedgerPage<DispatchableTruck>', schema: pageSchema(DISPATCHABLE_TRUCK_SCHEMA) })
  @ApiBadRequestResponse({ description: '`query.invalid` (q too long) / `input.*` (paging)' })
  @ApiNotFoundResponse({ description: '`ledger.not_found`: unknown or out of scope' })
  dispatchable(@Param('id') id: string, @Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal): Promise<LedgerPage<DispatchableTruck>> {
    return this.ledgers.dispatchableTrucks(id, query, principal);
  }

  @Post(':id/dispatch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dispatch a contracted truck (or another one); fulfilment then follows from its fixes (audited)' })
  @ApiBody({ description: 'CollectionDispatchRequest', schema: openApiSchema(dispatchSchema) })
  @ApiOkResponse({ description: 'CollectionRequestDetail', schema: COLLECTION_REQUEST_DETAIL_SCHEMA })
  @ApiBadRequestResponse({ description: '`ledger.truck_unknown`' })
  @ApiUnprocessableEntityResponse({ description: '`ledger.truck_no_terminal` / `ledger.truck_permit_invalid`: only a dispatchable truck (see dispatchable-trucks)' })
  @ApiConflictResponse({ description: '`ledger.illegal_transition` / `ledger.version_conflict`' })
  dispatch(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<CollectionRequestDetail> {
    return this.ledgers.dispatchRequest(id, validate.dispatch(body), { principal, origin });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a request not yet fulfilled, with a reason (audited)' })
  @ApiBody({ description: 'CollectionCancelRequest', schema: openApiSchema(cancelSchema) })
  @ApiOkResponse({ description: 'CollectionRequestDetail', schema: COLLECTION_REQUEST_DETAIL_SCHEMA })
  @ApiConflictResponse({ description: '`ledger.illegal_transition` / `ledger.version_conflict`' })
  cancel(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<CollectionRequestDetail> {
    return this.ledgers.cancelRequest(id, validate.cancel(body), { principal, origin });
  }
}

@ApiTags('ledgers')
@Controller('api/v1/ledgers/coverage')
@Roles(...LEDGER_READERS)
export class LedgerCoverageController {
  constructor(private readonly ledgers: LedgersService) {}

  @Get()
  @ApiOperation({ summary: 'Per town: villages covered by an active collection point, requests, same-day clearance (日产日清), piles, open findings' })
  @ApiQuery({ name: 'from', required: false, description: 'requests made at or after (ISO 8601 with an offset)' })
  @ApiQuery({ name: 'to', required: false, description: 'requests made before' })
  @ApiOkResponse({ description: 'TownLedgerCoverage[]', schema: { type: 'array', items: COVERAGE_SCHEMA } })
  coverage(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal): Promise<TownLedgerCoverage[]> {
    return this.ledgers.coverage(query, principal);
  }
}
