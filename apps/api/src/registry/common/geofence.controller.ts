import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, type Type } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Geometry } from 'geojson';
import type { GeofenceExport, GeofenceImportResult } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../../auth/auth.decorators.js';
import { RateLimited } from '../../auth/rate-limited.js';
import type { Principal, RequestOrigin } from '../../auth/principal.js';
import type { GeofenceResource } from './geofence-resource.js';

type Resource<R extends { id: string; geometry: Geometry }> = GeofenceResource<R, unknown>;

/**
 * The REST surface of one geofence kind under /api/v1/<path>: list, one, create, change, delete,
 * GeoJSON export and import. `contract` names the record type in libs/contracts for OpenAPI.
 */
export function geofenceController<R extends { id: string; geometry: Geometry }>(
  path: string,
  service: Type<Resource<R>>,
  text: { what: string; contract: string; scoped: boolean },
): Type<unknown> {
  const scopeNote = text.scoped ? ' Town officials see only their own town\'s.' : '';

  @ApiTags('registry')
  @Controller(`api/v1/${path}`)
  class GeofenceController {
    constructor(@Inject(service) readonly resource: Resource<R>) {}

    @Get()
    @ApiOperation({ summary: `${text.what}.${scopeNote}` })
    @ApiOkResponse({ description: `${text.contract}[] (libs/contracts/src/api/registry.ts)` })
    list(@CurrentPrincipal() principal: Principal): Promise<R[]> {
      return this.resource.list(principal);
    }

    @Get('export')
    @RateLimited('expensive')
    @ApiOperation({ summary: `${text.what} as a GeoJSON FeatureCollection (WGS-84; properties carry the record's fields).${scopeNote}` })
    export(@CurrentPrincipal() principal: Principal): Promise<GeofenceExport> {
      return this.resource.export(principal);
    }

    @Post('import')
    @HttpCode(200)
    @RateLimited('expensive')
    @Roles('admin', 'dispatcher')
    @ApiOperation({
      summary: `Import ${text.what} from a GeoJSON FeatureCollection (features with an existing properties.id are updated); CRS WGS84 (default) or GCJ02, declared by ?crs= or the crs member; all or nothing`,
    })
    @ApiQuery({ name: 'crs', required: false, enum: ['WGS84', 'GCJ02'] })
    @ApiBadRequestResponse({ description: 'ApiError naming features.N.<field>' })
    @ApiBody({ description: 'GeofenceImport: a GeoJSON FeatureCollection, optional crs member', schema: { type: 'object' } })
    import(@Body() body: unknown, @Query('crs') crs: string | undefined, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<GeofenceImportResult> {
      return this.resource.import({ principal, origin }, body, crs);
    }

    @Get(':id')
    @ApiOperation({ summary: `One of ${text.what}.${text.scoped ? ' Another town\'s is 404 for a town official.' : ''}` })
    get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<R> {
      return this.resource.get(id, principal);
    }

    @Post()
    @Roles('admin', 'dispatcher')
    @ApiOperation({ summary: `Register one of ${text.what}; geometry is validated (self-intersections are reported with their location)` })
    @ApiBadRequestResponse({ description: 'ApiError naming the field' })
    @ApiBody({ description: `${text.contract}Input (libs/contracts/src/api/registry.ts); geometry in WGS-84`, schema: { type: 'object' } })
    create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<R> {
      return this.resource.create({ principal, origin }, body);
    }

    @Patch(':id')
    @Roles('admin', 'dispatcher')
    @ApiOperation({ summary: `Change one of ${text.what} (any subset of the fields)` })
    @ApiBody({ description: `Partial<${text.contract}Input>: the fields to change`, schema: { type: 'object' } })
    update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<R> {
      return this.resource.update({ principal, origin }, id, body);
    }

    @Delete(':id')
    @HttpCode(204)
    @Roles('admin', 'dispatcher')
    @ApiOperation({ summary: `Remove one of ${text.what} (409 while an approval refers to it)` })
    async remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
      await this.resource.remove({ principal, origin }, id);
    }
  }

  Object.defineProperty(GeofenceController, 'name', { value: `${path.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Controller` });
  return GeofenceController;
}
