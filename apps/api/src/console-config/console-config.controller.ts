import { Controller, Get, Inject } from '@nestjs/common';
import { Public } from '../auth/auth.decorators.js';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ConsoleConfig } from '@muckwatch/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';

@ApiTags('console')
// The login page needs the map tiles before anyone signs in; nothing secret is here.
@Public()
@Controller('api/v1/console-config')
export class ConsoleConfigController {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  @Get()
  @ApiOperation({ summary: 'What the web console needs to start: base-map tiles, offline threshold, time zone' })
  @ApiOkResponse({ description: 'ConsoleConfig (libs/contracts/src/api/api-types.ts)' })
  get(): ConsoleConfig {
    return {
      tiles: this.config.baseMaps[0] ?? null,
      baseMaps: this.config.baseMaps,
      offlineAfterSeconds: this.config.live.offlineAfterSeconds,
      timeZone: 'Asia/Shanghai',
    };
  }
}
