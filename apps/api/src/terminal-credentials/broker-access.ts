import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { MosquittoDynsec } from '../broker/mosquitto-dynsec.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { BrokerRefusals } from './broker-refusals.js';
import { TerminalCredentialsService } from './terminal-credentials.service.js';

/**
 * Connects the broker to the registry at boot: the embedded broker starts asking the registry
 * about terminals; on an external Mosquitto with dynamic security, the ingest's own account
 * (MQTT_USERNAME / MQTT_PASSWORD) is created or updated before ingest connects.
 */
@Injectable()
export class BrokerAccess implements OnModuleInit {
  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly credentials: TerminalCredentialsService,
    private readonly refusals: BrokerRefusals,
    @Optional() @Inject(MosquittoDynsec) private readonly dynsec: MosquittoDynsec | null = null,
  ) {}

  async onModuleInit(): Promise<void> {
    this.infra.embeddedBroker?.useAuthority({
      verify: (terminalId, secret) => this.credentials.verify(terminalId, secret),
      refused: (refusal) => this.refusals.record(refusal),
    });
    const broker = this.config.broker;
    if (this.dynsec && broker.kind === 'external' && broker.username !== undefined && broker.password !== undefined) {
      await this.dynsec.ensureIngestAccount({ username: broker.username, password: broker.password });
    }
  }
}
