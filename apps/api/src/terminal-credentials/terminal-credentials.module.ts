import { Module } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { MosquittoDynsec } from '../broker/mosquitto-dynsec.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { BrokerAccess } from './broker-access.js';
import { BrokerRefusals } from './broker-refusals.js';
import { TerminalCredentialsController } from './terminal-credentials.controller.js';
import { TerminalCredentialsService } from './terminal-credentials.service.js';

@Module({
  controllers: [TerminalCredentialsController],
  providers: [
    {
      provide: MosquittoDynsec,
      inject: [API_CONFIG, INFRASTRUCTURE],
      useFactory: (config: ApiConfig, infra: Infrastructure): MosquittoDynsec | null =>
        config.broker.kind === 'external' && config.broker.dynsec ? new MosquittoDynsec(infra.mqttUrl, config.broker.dynsec) : null,
    },
    TerminalCredentialsService,
    BrokerRefusals,
    BrokerAccess,
  ],
  exports: [TerminalCredentialsService],
})
export class TerminalCredentialsModule {}
