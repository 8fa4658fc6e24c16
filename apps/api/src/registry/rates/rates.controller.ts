import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { RegistryRates } from '@muckwatch/contracts';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { dayParam } from '../common/local-date.js';
import { RatesService } from './rates.service.js';

@ApiTags('registry')
@Controller('api/v1/registry/rates')
export class RatesController {
  constructor(private readonly rates: RatesService) {}

  @Get()
  @ApiOperation({
    summary: 'Live registry rates per company, per town and for the district',
    description:
      'Per company, over its trucks: sealed (密闭化率) = trucks sealed with a certification dated on or before the day / trucks; ' +
      'terminalInstalled (卫星定位安装率) = trucks with a bound terminal / trucks; permitValid = trucks with a transport permit valid that day / trucks. ' +
      'Per town: approval (核准办理率) = active construction sites with an approval valid that day / active construction sites; the truck rates over ' +
      'the distinct trucks listed on those valid approvals. A rate is null when its denominator is 0. ' +
      "A town official gets only their own town's line (companies empty, district null).",
  })
  @ApiQuery({ name: 'on', required: false, description: 'YYYY-MM-DD, default today (Asia/Shanghai)' })
  @ApiOkResponse({ description: 'RegistryRates (libs/contracts/src/api/registry.ts)' })
  get(@CurrentPrincipal() principal: Principal, @Query('on') on?: string): Promise<RegistryRates> {
    return this.rates.rates(dayParam('on', on), principal);
  }
}
