import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Inject, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { MetricsService } from './metrics.service.js';

/** Compares digests, so neither the token's length nor its content leaks through timing. */
function sameSecret(offered: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(offered), digest(expected));
}

@ApiExcludeController()
// Counters and gauges only, no personal data. Not a console user's business: with METRICS_TOKEN
// set, only `Authorization: Bearer <token>` (the scraper) is answered; the production reverse proxy
// does not route /metrics at all (docker/nginx/muckwatch.conf).
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly token: string | null;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.token = config.metrics.token;
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (this.token !== null) {
      const offered = /^Bearer (\S{1,512})$/.exec(authorization ?? '')?.[1];
      if (offered === undefined || !sameSecret(offered, this.token)) {
        throw new UnauthorizedException('metrics need the bearer token'); // code http.401
      }
    }
    return this.metrics.registry.metrics();
  }
}
